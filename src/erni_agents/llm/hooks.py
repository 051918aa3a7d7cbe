"""Run hooks that count LLM calls, tokens and latency for /metrics."""

from __future__ import annotations

import time
from typing import Any

from agents import Agent, ModelResponse, RunContextWrapper, RunHooks, TResponseInputItem

from erni_agents.ops import metrics


class LlmMetricsHooks(RunHooks[Any]):
    """One instance per process; an LLM call's start time is kept per run context and agent."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._started: dict[tuple[int, str], float] = {}

    async def on_llm_start(
        self,
        context: RunContextWrapper[Any],
        agent: Agent[Any],
        system_prompt: str | None,
        input_items: list[TResponseInputItem],
    ) -> None:
        self._started[(id(context), agent.name)] = time.perf_counter()

    async def on_llm_end(
        self, context: RunContextWrapper[Any], agent: Agent[Any], response: ModelResponse
    ) -> None:
        started = self._started.pop((id(context), agent.name), None)
        if started is not None:
            metrics.LLM_LATENCY.labels(self.model).observe(time.perf_counter() - started)
        metrics.LLM_CALLS.labels(self.model, "ok").inc()
        metrics.LLM_TOKENS.labels(self.model, "input").inc(response.usage.input_tokens)
        metrics.LLM_TOKENS.labels(self.model, "output").inc(response.usage.output_tokens)
