"""Turn results in the API's shape: events, messages and guardrail reports."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from agents import (
    HandoffOutputItem,
    ItemHelpers,
    MessageOutputItem,
    RunItem,
    ToolCallItem,
    ToolCallOutputItem,
)

from erni_agents.store.models import ConversationEvent


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def new_event(type_: str, agent: str, content: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": secrets.token_hex(8),
        "type": type_,
        "agent": agent,
        "content": content,
        "metadata": metadata or {},
        "timestamp": now_iso(),
    }


def event_from_row(row: ConversationEvent) -> dict[str, Any]:
    """A stored event in the shape the turn produced it."""
    return {
        "id": row.event_id,
        "type": row.type,
        "agent": row.agent,
        "content": row.content,
        "metadata": dict(row.event_metadata),
        "timestamp": row.created_at.isoformat(),
    }


def _json_or_text(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def event_from_item(item: RunItem) -> dict[str, Any] | None:
    if isinstance(item, MessageOutputItem):
        return new_event("message", item.agent.name, ItemHelpers.text_message_output(item))
    if isinstance(item, HandoffOutputItem):
        return new_event(
            "handoff",
            item.source_agent.name,
            f"{item.source_agent.name} -> {item.target_agent.name}",
            {"source_agent": item.source_agent.name, "target_agent": item.target_agent.name},
        )
    if isinstance(item, ToolCallItem):
        raw = item.raw_item
        name = getattr(raw, "name", None) or (raw.get("name") if isinstance(raw, dict) else None) or "tool"
        arguments = getattr(raw, "arguments", None) or (
            raw.get("arguments") if isinstance(raw, dict) else "{}"
        )
        return new_event("tool_call", item.agent.name, str(name), {"tool_args": _json_or_text(arguments)})
    if isinstance(item, ToolCallOutputItem):
        return new_event(
            "tool_output",
            item.agent.name,
            str(item.output)[:2000],
            {"tool_result": _json_or_text(item.output)},
        )
    return None
