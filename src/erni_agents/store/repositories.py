"""Data access: small async repositories over one session factory. No business rules here."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

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
    # The customer's cost-estimate lead, which gets the contact data with the booking.
    inquiry_id: int | None = None


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


@dataclass(frozen=True)
class ConversationRecord:
    """A `conversations` row as read for a turn (Core, not an ORM object)."""

    id: str
    current_agent: str
    language: str
    context: dict[str, Any]
    turn_count: int
    created_at: datetime
    updated_at: datetime


_CONVERSATIONS = cast(Table, Conversation.__table__)
_ITEMS = cast(Table, ConversationItem.__table__)
_EVENTS = cast(Table, ConversationEvent.__table__)
_TRIPS = cast(Table, GuardrailTrip.__table__)


class Repositories:
    """Entry point handed to tools and routes; every method opens its own short transaction."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory
        self.engine: AsyncEngine = factory.kw["bind"]

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
        The lead `new.inquiry_id`, if any, gets the customer's contact data in that transaction too.
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
                if new.inquiry_id is not None:
                    await db.execute(
                        update(Inquiry)
                        .where(Inquiry.id == new.inquiry_id)
                        .values(
                            customer_name=new.customer_name,
                            customer_email=new.customer_email,
                            customer_phone=new.customer_phone,
                        )
                    )
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

    async def cancel_booking(self, booking_id: int, mail: Callable[[Booking], NewMail] | None = None) -> bool:
        """Cancel an active booking; False when it is not active. `mail` builds the customer's
        cancellation notice, queued in the outbox in the same transaction."""
        async with self.factory() as db, db.begin():
            result = await db.execute(
                update(Booking)
                .where(Booking.id == booking_id, Booking.status == "active")
                .values(status="cancelled", cancelled_at=utcnow())
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return False
            if mail is not None:
                booking = (await db.execute(select(Booking).where(Booking.id == booking_id))).scalar_one()
                db.add(_outbox_row(booking_id, mail(booking)))
        return True

    async def mail_language(self, booking_id: int) -> str | None:
        """The language the booking's confirmation was written in."""
        query = (
            select(OutboxEmail.language)
            .where(OutboxEmail.booking_id == booking_id)
            .order_by(OutboxEmail.id)
            .limit(1)
        )
        async with self.factory() as db:
            return (await db.execute(query)).scalar_one_or_none()

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

    async def inquiries(self, limit: int = 200) -> list[Inquiry]:
        async with self.factory() as db:
            query = select(Inquiry).order_by(Inquiry.created_at.desc()).limit(limit)
            return list((await db.execute(query)).scalars().all())

    # --- guardrail trips --------------------------------------------------------------------
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
    # A turn's reads and writes go through SQLAlchemy Core on one connection: measured on
    # bench/turns.py, the ORM unit of work cost about 1 ms of a turn's persistence for rows that are
    # only ever inserted whole.
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
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(_CONVERSATIONS).values(
                    id=conversation_id,
                    current_agent=agent,
                    context=context,
                    language=context.get("language", "de"),
                    turn_count=1,
                )
            )
            await _append(conn, conversation_id, 1, items, events)

    async def conversation(self, conversation_id: str) -> Conversation | None:
        async with self.factory() as db:
            return await db.get(Conversation, conversation_id)

    async def load_conversation(
        self, conversation_id: str
    ) -> tuple[ConversationRecord, list[tuple[dict[str, Any], datetime]]] | None:
        """The conversation row and its whole history as (item, stored at), read on one connection."""
        async with self.engine.connect() as conn:
            record = await _conversation_record(conn, conversation_id)
            if record is None:
                return None
            return record, await _history(conn, conversation_id)

    async def load_for_turn(
        self, conversation_id: str, *, held: tuple[int, list[dict[str, Any]]] | None
    ) -> tuple[ConversationRecord, list[dict[str, Any]]] | None:
        """The conversation row and its items, on one connection. `held` is (turn count, items)
        that the caller kept from its own last write: returned as they are, without reading them,
        while the row's turn count is still that one."""
        async with self.engine.connect() as conn:
            record = await _conversation_record(conn, conversation_id)
            if record is None:
                return None
            if held is not None and held[0] == record.turn_count:
                return record, held[1]
            return record, [item for item, _stored in await _history(conn, conversation_id)]

    async def save_turn(
        self,
        conversation_id: str,
        *,
        agent: str,
        context: dict[str, Any],
        items: Sequence[dict[str, Any]],
        events: Sequence[dict[str, Any]],
        guardrail_trip: tuple[str, str] | None = None,
    ) -> int:
        """Persist the outcome of one turn atomically and return the new turn number.

        `guardrail_trip` is (guardrail name, reasoning) of an input guardrail that blocked the turn.
        """
        async with self.engine.begin() as conn:
            turn = (
                await conn.execute(
                    update(_CONVERSATIONS)
                    .where(_CONVERSATIONS.c.id == conversation_id)
                    .values(
                        turn_count=_CONVERSATIONS.c.turn_count + 1,
                        current_agent=agent,
                        context=context,
                        language=context.get("language", "de"),
                        updated_at=utcnow(),
                    )
                    .returning(_CONVERSATIONS.c.turn_count)
                )
            ).scalar_one_or_none()
            if turn is None:
                raise LookupError(conversation_id)
            await _append(conn, conversation_id, int(turn), items, events)
            if guardrail_trip is not None:
                name, reasoning = guardrail_trip
                await conn.execute(
                    insert(_TRIPS).values(
                        conversation_id=conversation_id,
                        guardrail=name,
                        reasoning=reasoning,
                        created_at=utcnow(),
                    )
                )
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


async def _conversation_record(conn: AsyncConnection, conversation_id: str) -> ConversationRecord | None:
    query = select(_CONVERSATIONS).where(_CONVERSATIONS.c.id == conversation_id)
    row = (await conn.execute(query)).first()
    return ConversationRecord(**row._mapping) if row is not None else None


async def _history(conn: AsyncConnection, conversation_id: str) -> list[tuple[dict[str, Any], datetime]]:
    query = (
        select(_ITEMS.c.item, _ITEMS.c.created_at)
        .where(_ITEMS.c.conversation_id == conversation_id)
        .order_by(_ITEMS.c.id)
    )
    return [(dict(item), stored) for item, stored in (await conn.execute(query)).all()]


async def _append(
    conn: AsyncConnection,
    conversation_id: str,
    turn: int,
    items: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
) -> None:
    """Append a turn's items and events: plain multi-row INSERTs (no ORM objects, no ids read back)."""
    now = utcnow()
    if items:
        rows = [{"conversation_id": conversation_id, "item": item, "created_at": now} for item in items]
        await conn.execute(insert(_ITEMS), rows)
    if events:
        await conn.execute(
            insert(_EVENTS),
            [
                {
                    "event_id": event["id"],
                    "conversation_id": conversation_id,
                    "turn": turn,
                    "type": event["type"],
                    "agent": event["agent"],
                    "content": event["content"],
                    "metadata": event.get("metadata") or {},
                    "created_at": _as_datetime(event["timestamp"]),
                }
                for event in events
            ],
        )


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
