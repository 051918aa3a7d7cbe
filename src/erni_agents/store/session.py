"""The SDK's Session protocol on our own append-only `conversation_items` table."""

from __future__ import annotations

from typing import Any, cast

from agents.items import TResponseInputItem
from agents.memory.session_settings import SessionSettings
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from erni_agents.store.models import ConversationItem


class SqlSession:
    """Conversation history for one conversation. Any replica can load it: nothing is cached."""

    session_settings: SessionSettings | None = None

    def __init__(self, conversation_id: str, factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_id = conversation_id
        self._factory = factory

    async def get_items(self, limit: int | None = None) -> list[TResponseInputItem]:
        query = select(ConversationItem.item).where(ConversationItem.conversation_id == self.session_id)
        async with self._factory() as db:
            if limit is None:
                rows = (await db.execute(query.order_by(ConversationItem.id))).scalars().all()
            else:
                latest = query.order_by(ConversationItem.id.desc()).limit(limit)
                rows = list(reversed((await db.execute(latest)).scalars().all()))
        return [cast(TResponseInputItem, row) for row in rows]

    async def add_items(self, items: list[TResponseInputItem]) -> None:
        if not items:
            return
        async with self._factory() as db, db.begin():
            db.add_all(
                ConversationItem(conversation_id=self.session_id, item=_jsonable(item)) for item in items
            )

    async def pop_item(self) -> TResponseInputItem | None:
        # Part of the SDK protocol (used to rewind a failed request); history is otherwise append-only.
        async with self._factory() as db, db.begin():
            row = (
                await db.execute(
                    select(ConversationItem)
                    .where(ConversationItem.conversation_id == self.session_id)
                    .order_by(ConversationItem.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            if row is None:
                return None
            await db.delete(row)
            return cast(TResponseInputItem, row.item)

    async def clear_session(self) -> None:
        async with self._factory() as db, db.begin():
            await db.execute(
                delete(ConversationItem).where(ConversationItem.conversation_id == self.session_id)
            )

    async def count(self) -> int:
        async with self._factory() as db:
            query = select(func.count()).where(ConversationItem.conversation_id == self.session_id)
            return int((await db.execute(query)).scalar_one())


def _jsonable(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    dump = getattr(item, "model_dump", None)
    if dump is None:
        raise TypeError(f"cannot store session item of type {type(item).__name__}")
    return cast(dict[str, Any], dump(exclude_unset=True, mode="json"))
