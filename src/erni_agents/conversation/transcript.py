"""The readable transcript of a conversation, from the SDK items and the recorded events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from erni_agents.store.models import ConversationEvent


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        # Responses output parts: {"type": "output_text", "text": ...} or {"type": "refusal", "refusal": ...}
        return "".join(
            str(part.get("text") or part.get("refusal") or "") for part in content if isinstance(part, dict)
        )
    return ""


def transcript(
    items: Iterable[tuple[dict[str, Any], datetime]], events: Iterable[ConversationEvent]
) -> list[dict[str, Any]]:
    """User and assistant messages in order, from `(item, stored_at)` pairs. Items do not name
    the agent; every assistant message item has a `message` event written in the same turn, in
    the same order, which does."""
    authors = iter([event.agent for event in events if event.type == "message"])
    result = []
    for item, created_at in items:
        role = item.get("role")
        if role not in ("user", "assistant") or item.get("type", "message") != "message":
            continue  # tool calls and their outputs are in the events
        agent = next(authors, None) if role == "assistant" else None
        result.append(
            {"role": role, "agent": agent, "content": _text(item.get("content")), "created_at": created_at}
        )
    return result
