"""Input guardrails (Relevance, Jailbreak) and the output guardrail (PII) of every agent.

The input guardrails use the offline classifiers in `erni_agents.guardrails` and are registered
with `run_in_parallel=False`, so a tripping message never reaches the model or a tool.
The PII output guardrail is still a placeholder (redaction is not wired in yet).
"""

from __future__ import annotations

from typing import Any

from agents import (
    Agent,
    GuardrailFunctionOutput,
    InputGuardrail,
    OutputGuardrail,
    RunContextWrapper,
    TResponseInputItem,
)

from erni_agents.agents.context import AgentRunContext
from erni_agents.guardrails import judge_jailbreak, judge_relevance

RELEVANCE = "Relevance Guardrail"
JAILBREAK = "Jailbreak Guardrail"
PII = "PII Guardrail"


def latest_user_text(items: str | list[TResponseInputItem]) -> str:
    """With sessions the SDK passes the whole history: only the newest user message is judged."""
    if isinstance(items, str):
        return items
    for item in reversed(items):
        if isinstance(item, dict) and item.get("role") == "user":
            content = item.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def latest_assistant_text(items: str | list[TResponseInputItem]) -> str | None:
    """The assistant's last words before the newest user message: context for short answers."""
    if isinstance(items, str):
        return None
    seen_user = False
    for item in reversed(items):
        if not isinstance(item, dict):
            continue
        if item.get("role") == "user" and not seen_user:
            seen_user = True
        elif item.get("role") == "assistant" and seen_user:
            content = item.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return None


async def _relevance(
    ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], items: str | list[TResponseInputItem]
) -> GuardrailFunctionOutput:
    verdict = judge_relevance(latest_user_text(items), last_assistant=latest_assistant_text(items))
    return GuardrailFunctionOutput(
        output_info={"reasoning": verdict.reasoning, "score": verdict.score},
        tripwire_triggered=verdict.tripped,
    )


async def _jailbreak(
    ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], items: str | list[TResponseInputItem]
) -> GuardrailFunctionOutput:
    verdict = judge_jailbreak(latest_user_text(items))
    return GuardrailFunctionOutput(
        output_info={"reasoning": verdict.reasoning, "score": verdict.score},
        tripwire_triggered=verdict.tripped,
    )


async def _pii(
    ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], output: Any
) -> GuardrailFunctionOutput:
    return GuardrailFunctionOutput(
        output_info={"reasoning": "placeholder: not yet checked"}, tripwire_triggered=False
    )


def input_guardrails() -> list[InputGuardrail[AgentRunContext]]:
    return [
        InputGuardrail(guardrail_function=_relevance, name=RELEVANCE, run_in_parallel=False),
        InputGuardrail(guardrail_function=_jailbreak, name=JAILBREAK, run_in_parallel=False),
    ]


def output_guardrails() -> list[OutputGuardrail[AgentRunContext]]:
    return [OutputGuardrail(guardrail_function=_pii, name=PII)]
