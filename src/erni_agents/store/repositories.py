"""Data access: small async repositories over one session factory. No business rules here."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from erni_agents.store.models import (
    Booking,
    Conversation,
    ConversationEvent,
    ConversationItem,
    GuardrailTrip,
    Inquiry,
    KnowledgeEntryRow,
    OutboxEmail,
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


@dataclass(frozen=True)
class NewMail:
    """A composed confirmation mail for the outbox (see erni_agents.integrations.mail.compose)."""

    to_address: str
    subject: str
    body_text: str
    language: str
    ics: str | None = None
    body_html: str | None = None


def _outbox_row(booking_id: int, mail: NewMail) -> OutboxEmail:
    return OutboxEmail(
        booking_id=booking_id,
        to_address=mail.to_address,
        subject=mail.subject,
        body_text=mail.body_text,
        body_html=mail.body_html,
        ics=mail.ics,
        language=mail.language,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
    )


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

    async def try_book(
        self, new: NewBooking, mail: Callable[[Booking], NewMail] | None = None
    ) -> Booking | None:
        """Insert the booking, or return None when the unique slot index says it is taken.

        `mail` builds the confirmation from the new booking; its outbox row is written in the same
        transaction, so there is never a booking without its mail, nor a mail without its booking.
        """
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
                if mail is not None:
                    # The flush gives the booking its id (and created_at) for the mail.
                    await db.flush()
                    db.add(_outbox_row(booking.id, mail(booking)))
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

    # --- guardrail trips --------------------------------------------------------------------
    async def record_guardrail_trip(
        self, conversation_id: str | None, guardrail: str, reasoning: str
    ) -> None:
        async with self.factory() as db, db.begin():
            db.add(GuardrailTrip(conversation_id=conversation_id, guardrail=guardrail, reasoning=reasoning))

    async def guardrail_trips(self, limit: int, offset: int) -> list[GuardrailTrip]:
        query = (
            select(GuardrailTrip)
            .order_by(GuardrailTrip.created_at.desc(), GuardrailTrip.id.desc())
            .limit(limit)
            .offset(offset)
        )
        async with self.factory() as db:
            return list((await db.execute(query)).scalars().all())

    async def customer_last_names(self) -> tuple[str, ...]:
        async with self.factory() as db:
            query = select(Project.customer_last_name).distinct().order_by(Project.customer_last_name)
            return tuple((await db.execute(query)).scalars())

    # --- knowledge --------------------------------------------------------------------------
    async def knowledge_entries(self) -> list[KnowledgeEntryRow]:
        async with self.factory() as db:
            return list(
                (await db.execute(select(KnowledgeEntryRow).order_by(KnowledgeEntryRow.id))).scalars()
            )

    # --- conversations ----------------------------------------------------------------------
    async def create_conversation(
        self,
        conversation_id: str,
        *,
        agent: str,
        context: dict[str, Any],
        items: Sequence[dict[str, Any]],
        events: Sequence[dict[str, Any]],
    ) -> None:
        """A new conversation with its opening items (the greeting) in one transaction."""
        async with self.factory() as db, db.begin():
            db.add(
                Conversation(
                    id=conversation_id,
                    current_agent=agent,
                    context=context,
                    language=context.get("language", "de"),
                    turn_count=1,
                )
            )
            await db.flush()
            await _append(db, conversation_id, 1, items, events)

    async def conversation(self, conversation_id: str) -> Conversation | None:
        async with self.factory() as db:
            return await db.get(Conversation, conversation_id)

    async def load_conversation(
        self, conversation_id: str
    ) -> tuple[Conversation, list[tuple[dict[str, Any], datetime]]] | None:
        """The conversation row and its whole history as (item, stored at), read on one connection."""
        async with self.factory() as db:
            row = await db.get(Conversation, conversation_id)
            if row is None:
                return None
            query = (
                select(ConversationItem.item, ConversationItem.created_at)
                .where(ConversationItem.conversation_id == conversation_id)
                .order_by(ConversationItem.id)
            )
            return row, [(dict(item), stored) for item, stored in (await db.execute(query)).all()]

    async def save_turn(
        self,
        conversation_id: str,
        *,
        agent: str,
        context: dict[str, Any],
        items: Sequence[dict[str, Any]],
        events: Sequence[dict[str, Any]],
    ) -> int:
        """Persist the outcome of one turn atomically and return the new turn number."""
        async with self.factory() as db, db.begin():
            turn = (
                await db.execute(
                    update(Conversation)
                    .where(Conversation.id == conversation_id)
                    .values(
                        turn_count=Conversation.turn_count + 1,
                        current_agent=agent,
                        context=context,
                        language=context.get("language", "de"),
                        updated_at=utcnow(),
                    )
                    .returning(Conversation.turn_count)
                )
            ).scalar_one_or_none()
            if turn is None:
                raise LookupError(conversation_id)
            await _append(db, conversation_id, int(turn), items, events)
            return int(turn)

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


async def _append(
    db: AsyncSession,
    conversation_id: str,
    turn: int,
    items: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
) -> None:
    """Append a turn's items and events: plain multi-row INSERTs (no ORM objects, no ids read back)."""
    now = utcnow()
    if items:
        rows = [{"conversation_id": conversation_id, "item": item, "created_at": now} for item in items]
        await db.execute(insert(ConversationItem), rows)
    if events:
        await db.execute(
            insert(ConversationEvent),
            [
                {
                    "event_id": event["id"],
                    "conversation_id": conversation_id,
                    "turn": turn,
                    "type": event["type"],
                    "agent": event["agent"],
                    "content": event["content"],
                    "event_metadata": event.get("metadata") or {},
                    "created_at": _as_datetime(event["timestamp"]),
                }
                for event in events
            ],
        )


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
