"""The offline, deterministic brain: an implementation of the Agents SDK's `Model` interface.

It reads the agent's instructions (name, context, notes), its tools and handoffs and the
transcript, and answers with a message, a tool call or a handoff, like an LLM would; so
guardrails, handoffs, tools and sessions all run through the real SDK code path.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

from agents import Handoff, ModelResponse, ModelSettings, Tool, Usage
from agents.agent_output import AgentOutputSchemaBase
from agents.items import TResponseInputItem, TResponseStreamEvent
from agents.models.interface import Model, ModelProvider, ModelTracing
from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseTextDeltaEvent,
)
from openai.types.responses.response_prompt_param import ResponsePromptParam

from erni_agents.llm.local import transcript
from erni_agents.llm.local.decisions import CallTool, Decision, HandOff, Say
from erni_agents.llm.local.policy import decide

MODEL_NAME = "erni-local-engine"


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def _output(decision: Decision, tools: list[Tool], handoffs: list[Handoff]) -> list[Any]:
    if isinstance(decision, HandOff):
        target = next((h for h in handoffs if h.agent_name == decision.agent), None)
        if target is not None:
            return [
                ResponseFunctionToolCall(
                    type="function_call",
                    id=_id("fc"),
                    call_id=_id("call"),
                    name=target.tool_name,
                    arguments="{}",
                    status="completed",
                )
            ]
        decision = Say("")
    if isinstance(decision, CallTool) and any(getattr(t, "name", None) == decision.name for t in tools):
        return [
            ResponseFunctionToolCall(
                type="function_call",
                id=_id("fc"),
                call_id=_id("call"),
                name=decision.name,
                arguments=json.dumps(decision.args, ensure_ascii=False),
                status="completed",
            )
        ]
    text = decision.text if isinstance(decision, Say) else ""
    return [
        ResponseOutputMessage(
            id=_id("msg"),
            type="message",
            role="assistant",
            status="completed",
            content=[ResponseOutputText(type="output_text", text=text, annotations=[])],
        )
    ]


class LocalModel(Model):
    async def get_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: ResponsePromptParam | None,
    ) -> ModelResponse:
        output = self._respond(system_instructions, input, tools, handoffs)
        return ModelResponse(output=output, usage=Usage(requests=1), response_id=None)

    def _respond(
        self,
        instructions: str | None,
        items: str | list[TResponseInputItem],
        tools: list[Tool],
        handoffs: list[Handoff],
    ) -> list[Any]:
        view = transcript.read(instructions, items)
        decision = decide(view, {h.agent_name for h in handoffs})
        return _output(decision, tools, handoffs)

    async def stream_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: ResponsePromptParam | None,
    ) -> AsyncIterator[TResponseStreamEvent]:
        output = self._respond(system_instructions, input, tools, handoffs)
        sequence = 0
        for index, item in enumerate(output):
            if isinstance(item, ResponseOutputMessage):
                text = item.content[0].text if item.content else ""  # type: ignore[union-attr]
                for chunk in _chunks(text):
                    yield ResponseTextDeltaEvent(
                        type="response.output_text.delta",
                        item_id=item.id,
                        output_index=index,
                        content_index=0,
                        delta=chunk,
                        logprobs=[],
                        sequence_number=sequence,
                    )
                    sequence += 1
        response = Response(
            id=_id("resp"),
            created_at=0,
            model=MODEL_NAME,
            object="response",
            output=output,
            tool_choice="auto",
            tools=[],
            top_p=None,
            parallel_tool_calls=False,
            status="completed",
        )
        yield ResponseCompletedEvent(type="response.completed", response=response, sequence_number=sequence)


def _chunks(text: str, size: int = 4) -> list[str]:
    words = text.split(" ")
    return [
        " ".join(words[i : i + size]) + (" " if i + size < len(words) else "")
        for i in range(0, len(words), size)
    ]


class LocalModelProvider(ModelProvider):
    def __init__(self) -> None:
        self._model = LocalModel()

    def get_model(self, model_name: str | None) -> Model:
        return self._model
