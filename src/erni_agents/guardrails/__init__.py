"""Local guardrail classifiers: relevance, jailbreak (input) and PII redaction (output).

Self-contained: no SDK, API or agent imports, no network. The trained artifact in ``model/``
is rebuilt from ``data/`` with ``python -m erni_agents.guardrails.train``.
"""

from erni_agents.guardrails.jailbreak import judge_jailbreak
from erni_agents.guardrails.pii import Redaction, redact_pii
from erni_agents.guardrails.relevance import judge_relevance
from erni_agents.guardrails.verdict import JAILBREAK_GUARDRAIL, RELEVANCE_GUARDRAIL, Verdict

__all__ = [
    "JAILBREAK_GUARDRAIL",
    "RELEVANCE_GUARDRAIL",
    "Redaction",
    "Verdict",
    "judge_jailbreak",
    "judge_relevance",
    "redact_pii",
]
