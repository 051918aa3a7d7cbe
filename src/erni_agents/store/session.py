"""The SDK's Session protocol for one turn, on our append-only `conversation_items` table.

A turn loads the history once (with the conversation row, under the conversation lock), the SDK
reads and appends in memory, and `Repositories.save_turn` writes the new items together with
the context and the events in one transaction: a turn is stored whole or not at all, and a turn
costs two database round trips instead of one per SDK call.
"""

from __future__ import annotations

from typing import Any, cast

from agents.items import TResponseInputItem
from agents.memory.session_settings import SessionSettings


class TurnSession:
    """History of one conversation during one turn. Any replica can serve the next turn: the
    history is reloaded from the database every time."""

    session_settings: SessionSettings | None = None

    def __init__(self, conversation_id: str, history: list[dict[str, Any]]) -> None:
        self.session_id = conversation_id
        self._history = history
        self.pending: list[dict[str, Any]] = []

    async def get_items(self, limit: int | None = None) -> list[TResponseInputItem]:
        items = [*self._history, *self.pending]
        if limit is not None:
            items = items[-limit:] if limit > 0 else []
        return [cast(TResponseInputItem, item) for item in items]

    async def add_items(self, items: list[TResponseInputItem]) -> None:
        self.pending.extend(jsonable(item) for item in items)

    async def pop_item(self) -> TResponseInputItem | None:
        # The SDK rewinds only what it added during this run, which is still pending.
        if not self.pending:
            return None
        return cast(TResponseInputItem, self.pending.pop())

    async def clear_session(self) -> None:
        raise NotImplementedError("conversation history is append-only")

    def items(self) -> list[dict[str, Any]]:
        """The whole transcript: what was loaded and what this turn added."""
        return [*self._history, *self.pending]

    def last_role(self) -> str | None:
        items = self.items()
        return str(items[-1].get("role")) if items else None


def jsonable(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    dump = getattr(item, "model_dump", None)
    if dump is None:
        raise TypeError(f"cannot store session item of type {type(item).__name__}")
    return cast(dict[str, Any], dump(exclude_unset=True, mode="json"))
