"""Jailbreak Guardrail: role changes, instruction overrides, prompt extraction, data extraction
and injected code, in German and English."""

from __future__ import annotations

from erni_agents.guardrails.model import GuardrailModel, cached_logits, load_model
from erni_agents.guardrails.rules import jailbreak_rule
from erni_agents.guardrails.verdict import JAILBREAK_GUARDRAIL, Verdict, margin_to_score


def judge_jailbreak(
    message: str, *, last_assistant: str | None = None, model: GuardrailModel | None = None
) -> Verdict:
    """Judge the latest user message.

    ``last_assistant`` is accepted for symmetry with the relevance guardrail but deliberately
    unused: no preceding question makes an injection attempt acceptable. ``model`` overrides the
    shipped artifact (training-time evaluation).
    """
    del last_assistant
    if not message.strip():
        return Verdict(JAILBREAK_GUARDRAIL, False, "Empty message.", 0.0, False)
    hit = jailbreak_rule(message)
    if hit is not None:
        return Verdict(JAILBREAK_GUARDRAIL, True, f"{hit.reasoning} (rule: {hit.rule})", 1.0, False)

    if model is None:
        model, logit = load_model(), cached_logits(message).jailbreak
    else:
        logit = model.logits(message).jailbreak
    margin = logit - model.jailbreak.threshold
    score = margin_to_score(margin)
    tripped = margin >= 0.0
    uncertain = abs(margin) < model.uncertain_band
    if tripped:
        reasoning = "Resembles attempts to override the assistant's rules, change its role or extract data."
    else:
        reasoning = "No sign of an attempt to override instructions or extract data."
    return Verdict(JAILBREAK_GUARDRAIL, tripped, f"{reasoning} (classifier {score:.2f})", score, uncertain)
