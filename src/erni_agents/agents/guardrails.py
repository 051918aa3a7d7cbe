"""Input guardrails (Relevance, Jailbreak) and the output guardrail (PII) of every agent.

The input guardrails use the offline classifiers in `erni_agents.guardrails` and are registered
with `run_in_parallel=False`, so a tripping message never reaches the model or a tool.
The PII Guardrail redacts rather than fails a turn, and streamed text leaves before the SDK's
output guardrails run, so it is applied by the conversation service
(`erni_agents.conversation.redaction`) to every answer.
"""

from __future__ import annotations

from typing import Any

from agents import (
    Agent,
    GuardrailFunctionOutput,
    InputGuardrail,
    RunContextWrapper,
    TResponseInputItem,
)

from erni_agents.agents.context import AgentRunContext
from erni_agents.guardrails import Verdict, judge_jailbreak, judge_relevance

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


async def _decide(
    ctx: RunContextWrapper[AgentRunContext], verdict: Verdict, text: str, context: str | None
) -> GuardrailFunctionOutput:
    """The local verdict, or the LLM's second opinion when the classifier is unsure and one is configured."""
    tripped, reasoning, source = verdict.tripped, verdict.reasoning, "local"
    judge = ctx.context.deps.guardrail_judge
    if verdict.uncertain and judge is not None:
        second = await judge.judge(verdict.name, text, context)
        if second is not None:
            tripped, source = second.tripped, "llm"
            reasoning = f"{second.reasoning} (LLM second opinion; local classifier {verdict.score:.2f})"
    return GuardrailFunctionOutput(
        output_info={"reasoning": reasoning, "score": verdict.score, "source": source},
        tripwire_triggered=tripped,
    )


async def _relevance(
    ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], items: str | list[TResponseInputItem]
) -> GuardrailFunctionOutput:
    text, context = latest_user_text(items), latest_assistant_text(items)
    return await _decide(ctx, judge_relevance(text, last_assistant=context), text, context)


async def _jailbreak(
    ctx: RunContextWrapper[AgentRunContext], agent: Agent[Any], items: str | list[TResponseInputItem]
) -> GuardrailFunctionOutput:
    text = latest_user_text(items)
    return await _decide(ctx, judge_jailbreak(text), text, latest_assistant_text(items))


def input_guardrails() -> list[InputGuardrail[AgentRunContext]]:
    return [
        InputGuardrail(guardrail_function=_relevance, name=RELEVANCE, run_in_parallel=False),
        InputGuardrail(guardrail_function=_jailbreak, name=JAILBREAK, run_in_parallel=False),
    ]
