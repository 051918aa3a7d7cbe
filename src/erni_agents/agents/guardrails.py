"""Input guardrails (Relevance, Jailbreak) and the output guardrail (PII) of every agent.

Placeholders until the guardrail classifiers land: they report `passed` and never trip. They are
registered with `run_in_parallel=False`, so the real ones will run before any model call or tool.
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


async def _relevance(
    ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], items: str | list[TResponseInputItem]
) -> GuardrailFunctionOutput:
    return GuardrailFunctionOutput(output_info={"reasoning": "placeholder: not yet checked"},
                                   tripwire_triggered=False)


async def _jailbreak(
    ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], items: str | list[TResponseInputItem]
) -> GuardrailFunctionOutput:
    return GuardrailFunctionOutput(output_info={"reasoning": "placeholder: not yet checked"},
                                   tripwire_triggered=False)


async def _pii(ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], output: Any) -> GuardrailFunctionOutput:
    return GuardrailFunctionOutput(output_info={"reasoning": "placeholder: not yet checked"},
                                   tripwire_triggered=False)


def input_guardrails() -> list[InputGuardrail[AgentRunContext]]:
    return [
        InputGuardrail(guardrail_function=_relevance, name=RELEVANCE, run_in_parallel=False),
        InputGuardrail(guardrail_function=_jailbreak, name=JAILBREAK, run_in_parallel=False),
    ]


def output_guardrails() -> list[OutputGuardrail[AgentRunContext]]:
    return [OutputGuardrail(guardrail_function=_pii, name=PII)]
