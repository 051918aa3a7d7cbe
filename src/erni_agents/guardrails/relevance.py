"""Relevance Guardrail: is the message about ERNI, building with timber, the customer's project,
bookings or the company, judged in the context of the assistant's last turn?"""

from __future__ import annotations

import re

from erni_agents.guardrails.model import GuardrailModel, cached_logits, load_model
from erni_agents.guardrails.rules import is_acknowledgement, is_structured_answer, looks_like_name
from erni_agents.guardrails.verdict import RELEVANCE_GUARDRAIL, Verdict, margin_to_score

# A reply of at most this many words to a question of the assistant, shaped like an answer
# (not a request or a question of its own), is read as an answer: the classifier sees "Tuesday"
# or "a barn for my farm" without the question that made it relevant, so its off-topic logit is
# lowered by CONTEXT_SHIFT.
SHORT_REPLY_WORDS = 8
CONTEXT_SHIFT = 2.5

_REQUEST = re.compile(
    r"\?|\b(?:please|bitte)\s+(?:\w+\s+){0,3}(?:provide|give|tell|enter|send|share|confirm|choose|select|"
    r"nennen|angeben|geben|teilen|schicken|senden|bestätigen|wählen|mitteilen)\b"
    r"|\b(?:let me know|lassen sie mich wissen|sag mir|tell me)\b",
    re.IGNORECASE,
)


# Open invitations ("How can I help?") ask for a request, not for a slot value: a reply to them
# must stand on its own, so they give no context leniency.
_OPEN_QUESTION = re.compile(
    r"\b(?:how\s+(?:can|may)\s+i\s+(?:help|assist)|what\s+can\s+i\s+do\s+for\s+you|anything\s+else|"
    r"something\s+else|wie\s+kann\s+ich\s+(?:ihnen\s+|dir\s+|euch\s+)?(?:helfen|behilflich)|"
    r"was\s+kann\s+ich\s+für\s+(?:sie|dich|euch)\s+tun|sonst\s+noch\s+(?:etwas|was|fragen)|"
    r"noch\s+(?:etwas|eine\s+frage)|womit\s+kann\s+ich)\b[^?]*\?\s*$",
    re.IGNORECASE,
)
# A reply that asks or orders something is a request of its own, never a slot value ("Write a
# poem about strawberries" after "Which material do you prefer?" is still off-topic).
_REQUEST_START = re.compile(
    r"^(?:please\s+|bitte\s+)?(?:write|tell|give|make|create|generate|compose|explain|translate|summari[sz]e|"
    r"list|show|help|find|draw|sing|play|recommend|suggest|describe|calculate|solve|what|who|whom|whose|why|"
    r"how|when|where|which|can|could|would|will|do|does|did|is|are|schreib\w*|erzähl\w*|gib|geben|mach\w*|"
    r"erstell\w*|erklär\w*|übersetz\w*|fass\w*|nenn\w*|zeig\w*|hilf|empfiehl|beschreib\w*|berechne\w*|"
    r"lös\w*|spiel\w*|sing\w*|was|wer|wem|wen|warum|wieso|weshalb|wie|wann|wo|welche\w*|kannst|können|"
    r"könntest|könnten|würdest|bist|ist|sind|hast|habt)\b",
    re.IGNORECASE,
)


def _asks_for_input(last_assistant: str | None) -> bool:
    if not last_assistant:
        return False
    # Only the end of a long answer matters: that is where the follow-up question sits.
    tail = last_assistant[-400:].strip()
    return bool(_REQUEST.search(tail)) and not _OPEN_QUESTION.search(tail)


def is_answer_like(message: str) -> bool:
    """Short and shaped like a slot value ("timber please", "a barn for my farm"), not a request."""
    text = message.strip()
    return len(text.split()) <= SHORT_REPLY_WORDS and "?" not in text and not _REQUEST_START.match(text)


def judge_relevance(
    message: str, *, last_assistant: str | None = None, model: GuardrailModel | None = None
) -> Verdict:
    """Judge the latest user message; ``last_assistant`` is the assistant turn it answers."""
    text = message.strip()
    if not text:
        return Verdict(RELEVANCE_GUARDRAIL, False, "Empty message.", 0.0, False)
    if is_acknowledgement(text):
        return Verdict(RELEVANCE_GUARDRAIL, False, "Greeting or acknowledgement.", 0.0, False)
    if is_structured_answer(text):
        return Verdict(
            RELEVANCE_GUARDRAIL,
            False,
            "Answer-shaped reply (contact details, date, time or number).",
            0.0,
            False,
        )
    asked = _asks_for_input(last_assistant)
    if asked and looks_like_name(text):
        return Verdict(
            RELEVANCE_GUARDRAIL, False, "A name given in reply to the assistant's question.", 0.0, False
        )

    if model is None:
        model, logit = load_model(), cached_logits(message).relevance
    else:
        logit = model.logits(message).relevance
    margin = logit - model.relevance.threshold
    context_used = asked and is_answer_like(text)
    if context_used:
        margin -= CONTEXT_SHIFT
    score = margin_to_score(margin)
    tripped = margin >= 0.0
    uncertain = abs(margin) < model.uncertain_band
    if tripped:
        reasoning = "Unrelated to ERNI, timber construction, the customer's project, bookings or the company."
    elif context_used:
        reasoning = "Short reply to the assistant's question."
    else:
        reasoning = "About ERNI's building services, the customer's project, bookings or the company."
    return Verdict(RELEVANCE_GUARDRAIL, tripped, f"{reasoning} (classifier {score:.2f})", score, uncertain)
