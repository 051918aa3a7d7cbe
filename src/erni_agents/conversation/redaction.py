"""The PII Guardrail on the way out: every assistant text is redacted before anyone sees it.

It runs here, in the conversation layer, rather than as an SDK output guardrail, because the SDK
can only fail a turn on an output (we redact instead) and because streamed text leaves before
the SDK's output guardrails run. What is the customer's own (their name, e-mail, phone, the
values of this message) stays; other customers' data, AHV numbers, IBANs and card numbers go.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from erni_agents.agents.context import ConversationContext
from erni_agents.agents.guardrails import PII
from erni_agents.guardrails import redact_pii
from erni_agents.guardrails.pii import find_pii

PII_GUARDRAIL = PII

# Redaction needs whole values, so streamed text is released up to the last sentence or line end.
_BOUNDARY = re.compile(r"(?:[.!?:]\s|\n)")


@dataclass
class OutputRedactor:
    allowed: tuple[str, ...]
    forbidden_names: tuple[str, ...]
    findings: list[str] = field(default_factory=list)

    @classmethod
    def for_turn(
        cls, state: ConversationContext, message: str, known_customers: Collection[str]
    ) -> OutputRedactor:
        own = [
            state.customer_name,
            state.customer_email,
            state.customer_phone,
            state.customer_last_name,
            state.project_number,
        ]
        allowed = [value for value in own if value]
        # What the customer wrote in this very message is theirs to see again.
        allowed.extend(value for _kind, value in find_pii(message))
        if state.customer_name:
            allowed.extend(state.customer_name.split())
        return cls(tuple(allowed), tuple(known_customers))

    def redact(self, text: str, *, record: bool = True) -> str:
        result = redact_pii(text, allowed=self.allowed, forbidden_names=self.forbidden_names)
        if record:
            self.findings.extend(result.findings)
        return result.text

    def report(self) -> str:
        if not self.findings:
            return "No personal data of others in the answer."
        kinds = sorted(set(self.findings))
        return f"Redacted {len(self.findings)} item(s) of personal data: {', '.join(kinds)}."


@dataclass
class StreamRedactor:
    """Holds streamed text back to the last sentence boundary, so a value is never split."""

    redactor: OutputRedactor
    _buffer: str = ""

    def feed(self, delta: str) -> str:
        self._buffer += delta
        cut = 0
        for match in _BOUNDARY.finditer(self._buffer):
            cut = match.end()
        if not cut:
            return ""
        ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        # Findings are recorded once, when the whole message is redacted at the end of the turn.
        return self.redactor.redact(ready, record=False)

    def flush(self) -> str:
        ready, self._buffer = self._buffer, ""
        return self.redactor.redact(ready, record=False) if ready else ""
