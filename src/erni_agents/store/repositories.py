"""Data access: small async repositories over one session factory. No business rules here."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from erni_agents.store.models import (
    Booking,
    Conversation,
    ConversationEvent,
    Inquiry,
    KnowledgeEntryRow,
    Project,
    Specialist,
    utcnow,
)


@dataclass(frozen=True)
class NewBooking:
    specialist_name: str
    specialist_type: str
    slot_start: datetime
    slot_end: datetime
    customer_name: str
    customer_email: str
    customer_phone: str
    conversation_id: str | None


class Repositories:
    """Entry point handed to tools and routes; every method opens its own short transaction."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory

    # --- specialists & bookings -------------------------------------------------------------
    async def specialists(self, specialist_type: str | None = None) -> list[Specialist]:
        query = select(Specialist).where(Specialist.active.is_(True)).order_by(Specialist.id)
        if specialist_type is not None:
            query = query.where(Specialist.specialist_type == specialist_type)
        async with self.factory() as db:
            return list((await db.execute(query)).scalars().all())

    async def taken_slots(
        self, names: Sequence[str], start: datetime, end: datetime
    ) -> set[tuple[str, datetime]]:
        query = (
            select(Specialist.name, Booking.slot_start)
            .join(Booking, Booking.specialist_id == Specialist.id)
            .where(
                Specialist.name.in_(list(names)),
                Booking.status == "active",
                Booking.slot_start >= start,
                Booking.slot_start < end,
            )
        )
        async with self.factory() as db:
            rows = (await db.execute(query)).all()
        return {(name, slot) for name, slot in rows}

    async def try_book(self, new: NewBooking) -> Booking | None:
        """Insert the booking, or return None when the unique slot index says it is taken."""
        async with self.factory() as db:
            specialist_id = (
                await db.execute(select(Specialist.id).where(Specialist.name == new.specialist_name))
            ).scalar_one()
            booking = Booking(
                reference=secrets.token_hex(4).upper(),
                specialist_id=specialist_id,
                specialist_type=new.specialist_type,
                slot_start=new.slot_start,
                slot_end=new.slot_end,
                status="active",
                customer_name=new.customer_name,
                customer_email=new.customer_email,
                customer_phone=new.customer_phone,
                conversation_id=new.conversation_id,
            )
            db.add(booking)
            try:
                await db.commit()
            except IntegrityError:
                await db.rollback()
                return None
            return booking

    async def bookings(
        self,
        *,
        status: str | None = None,
        specialist_type: str | None = None,
        since: datetime | None = None,
        limit: int = 200,
    ) -> list[tuple[Booking, str]]:
        query = select(Booking, Specialist.name).join(Specialist, Booking.specialist_id == Specialist.id)
        conditions: list[Any] = []
        if status:
            conditions.append(Booking.status == status)
        if specialist_type:
            conditions.append(Booking.specialist_type == specialist_type)
        if since:
            conditions.append(Booking.slot_start >= since)
        if conditions:
            query = query.where(and_(*conditions))
        async with self.factory() as db:
            rows = (await db.execute(query.order_by(Booking.slot_start).limit(limit))).all()
        return [(booking, name) for booking, name in rows]

    async def cancel_booking(self, booking_id: int) -> bool:
        async with self.factory() as db, db.begin():
            result = await db.execute(
                update(Booking)
                .where(Booking.id == booking_id, Booking.status == "active")
                .values(status="cancelled", cancelled_at=utcnow())
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # --- projects ---------------------------------------------------------------------------
    async def project(self, project_number: str) -> Project | None:
        async with self.factory() as db:
            return await db.get(Project, project_number)

    # --- inquiries --------------------------------------------------------------------------
    async def create_inquiry(self, **values: Any) -> int:
        async with self.factory() as db, db.begin():
            inquiry = Inquiry(**values)
            db.add(inquiry)
            await db.flush()
            return int(inquiry.id)

    async def update_inquiry_contact(self, inquiry_id: int, name: str, email: str, phone: str) -> None:
        async with self.factory() as db, db.begin():
            await db.execute(
                update(Inquiry)
                .where(Inquiry.id == inquiry_id)
                .values(customer_name=name, customer_email=email, customer_phone=phone)
            )

    async def inquiries(self, limit: int = 200) -> list[Inquiry]:
        async with self.factory() as db:
            query = select(Inquiry).order_by(Inquiry.created_at.desc()).limit(limit)
            return list((await db.execute(query)).scalars().all())

    # --- knowledge --------------------------------------------------------------------------
    async def knowledge_entries(self) -> list[KnowledgeEntryRow]:
        async with self.factory() as db:
            return list(
                (await db.execute(select(KnowledgeEntryRow).order_by(KnowledgeEntryRow.id))).scalars()
            )

    # --- conversations ----------------------------------------------------------------------
    async def create_conversation(self, conversation_id: str, agent: str, context: dict[str, Any]) -> None:
        async with self.factory() as db, db.begin():
            db.add(
                Conversation(
                    id=conversation_id,
                    current_agent=agent,
                    context=context,
                    language=context.get("language", "de"),
                )
            )

    async def conversation(self, conversation_id: str) -> Conversation | None:
        async with self.factory() as db:
            return await db.get(Conversation, conversation_id)

    async def save_turn(
        self,
        conversation_id: str,
        *,
        agent: str,
        context: dict[str, Any],
        events: Sequence[dict[str, Any]],
    ) -> int:
        """Persist the outcome of one turn atomically and return the new turn number."""
        async with self.factory() as db, db.begin():
            conversation = await db.get(Conversation, conversation_id, with_for_update=True)
            if conversation is None:
                raise LookupError(conversation_id)
            conversation.turn_count += 1
            conversation.current_agent = agent
            conversation.context = context
            conversation.language = context.get("language", conversation.language)
            conversation.updated_at = utcnow()
            db.add_all(
                ConversationEvent(
                    event_id=event["id"],
                    conversation_id=conversation_id,
                    turn=conversation.turn_count,
                    type=event["type"],
                    agent=event["agent"],
                    content=event["content"],
                    event_metadata=event.get("metadata") or {},
                    created_at=_as_datetime(event["timestamp"]),
                )
                for event in events
            )
            return conversation.turn_count

    async def conversations(self, limit: int = 100) -> list[Conversation]:
        async with self.factory() as db:
            query = select(Conversation).order_by(Conversation.updated_at.desc()).limit(limit)
            return list((await db.execute(query)).scalars().all())

    async def events(self, conversation_id: str) -> list[ConversationEvent]:
        async with self.factory() as db:
            query = (
                select(ConversationEvent)
                .where(ConversationEvent.conversation_id == conversation_id)
                .order_by(ConversationEvent.id)
            )
            return list((await db.execute(query)).scalars().all())

    async def count_conversations(self) -> int:
        async with self.factory() as db:
            return int((await db.execute(select(func.count()).select_from(Conversation))).scalar_one())


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
