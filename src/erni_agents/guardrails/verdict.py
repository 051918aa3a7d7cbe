"""The result every guardrail returns."""

from __future__ import annotations

import math
from dataclasses import dataclass

JAILBREAK_GUARDRAIL = "Jailbreak Guardrail"
RELEVANCE_GUARDRAIL = "Relevance Guardrail"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of one guardrail on one message.

    ``score`` is a trip probability centred on the decision point: ``tripped`` is
    ``score >= 0.5``. ``uncertain`` marks scores close to that point, where an optional LLM
    cascade may overrule the local classifier. ``reasoning`` is short English and never
    quotes the message, so it is safe to log and to return to the client.
    """

    name: str
    tripped: bool
    reasoning: str
    score: float
    uncertain: bool


def margin_to_score(margin: float) -> float:
    """Logistic squash of (logit - threshold); clipped so extreme margins cannot overflow."""
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, margin))))
