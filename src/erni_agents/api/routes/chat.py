"""The public chat API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import fields
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from erni_agents.api.deps import ServiceDep, StateDep
from erni_agents.api.schemas import AgentInfo, ChatRequest, ChatResponse, ErrorEnvelope
from erni_agents.conversation.service import TurnResult

router = APIRouter(tags=["chat"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorEnvelope, "description": "Unknown conversation_id"},
    409: {"model": ErrorEnvelope, "description": "A previous message of this conversation is still running"},
    422: {
        "model": ErrorEnvelope,
        "description": "Invalid request (e.g. message longer than 4000 characters)",
    },
    429: {"model": ErrorEnvelope, "description": "Rate limit exceeded"},
    503: {"model": ErrorEnvelope, "description": "Database or LLM unavailable"},
}


_RESULT_FIELDS = tuple(f.name for f in fields(TurnResult))


def _response(result: TurnResult, state: StateDep) -> ChatResponse:
    # A shallow mapping: pydantic validates (and copies) the nested lists itself, whereas
    # dataclasses.asdict deep-copies every event first and cost more than the validation.
    values = {name: getattr(result, name) for name in _RESULT_FIELDS}
    return ChatResponse.model_validate({**values, "agents": state.graph.describe()})


@router.post("/chat", response_model=ChatResponse, responses=_ERRORS)
async def chat(body: ChatRequest, service: ServiceDep, state: StateDep) -> ChatResponse:
    """Send one customer message and get the assistant's answer with everything that happened."""
    message = body.message.strip()
    if body.conversation_id is None:
        result = await service.start(body.language)
        if message:
            result = await service.turn(result.conversation_id, message, body.language)
    elif not message:
        result = await service.snapshot(body.conversation_id)
    else:
        result = await service.turn(body.conversation_id, message, body.language)
    return _response(result, state)


@router.post(
    "/chat/stream",
    responses={**_ERRORS, 200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def chat_stream(body: ChatRequest, service: ServiceDep, state: StateDep) -> StreamingResponse:
    """The same turn as `/chat`, as Server-Sent Events: `event` items as they happen, `delta`
    chunks of assistant text, and a final `result` with the full ChatResponse."""
    message = body.message.strip()
    conversation_id = body.conversation_id
    if conversation_id is None:
        conversation_id = (await service.start(body.language)).conversation_id
    else:
        await service.snapshot(conversation_id)  # 404 before the stream starts

    async def events() -> AsyncIterator[str]:
        if not message:
            final = await service.snapshot(conversation_id)
            yield _sse("result", _response(final, state).model_dump(mode="json"))
            return
        async for item in service.turn_stream(conversation_id, message, body.language):
            data = item["data"]
            if isinstance(data, TurnResult):
                data = _response(data, state).model_dump(mode="json")
            yield _sse(item["event"], data)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


@router.get("/agents", response_model=list[AgentInfo])
async def agents(state: StateDep) -> list[dict[str, Any]]:
    """The agent graph: names, descriptions, tools, handoffs and guardrails."""
    return state.graph.describe()
