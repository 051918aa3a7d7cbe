"""The readable transcript of a conversation, from the SDK items and the recorded events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from erni_agents.staff.schemas import TranscriptMessage
from erni_agents.store.models import ConversationEvent, ConversationItem


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        # Responses output parts: {"type": "output_text", "text": ...} or {"type": "refusal", "refusal": ...}
        return "".join(
            str(part.get("text") or part.get("refusal") or "") for part in content if isinstance(part, dict)
        )
    return ""


def messages(
    items: Sequence[ConversationItem], events: Sequence[ConversationEvent]
) -> list[TranscriptMessage]:
    """User and assistant messages in order. Items do not name the agent; every assistant message
    item has a `message` event written in the same turn, in the same order, which does."""
    authors = iter([event.agent for event in events if event.type == "message"])
    result = []
    for row in items:
        item = row.item
        role = item.get("role")
        if role not in ("user", "assistant") or item.get("type", "message") != "message":
            continue  # tool calls and their outputs are in `events`
        agent = next(authors, None) if role == "assistant" else None
        result.append(
            TranscriptMessage(
                role=role, agent=agent, content=_text(item.get("content")), created_at=row.created_at
            )
        )
    return result
