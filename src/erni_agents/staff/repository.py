"""Queries of the staff API that the conversation core does not need (same session factory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from erni_agents.store.models import (
    Booking,
    Conversation,
    Inquiry,
    Specialist,
    StaffUser,
    utcnow,
)


@dataclass(frozen=True)
class BookingFilter:
    status: str | None = "active"  # None: every status
    specialist: str | None = None
    specialist_type: str | None = None
    starts_from: datetime | None = None  # inclusive
    starts_before: datetime | None = None  # exclusive
    limit: int = 100
    offset: int = 0


class StaffRepository:
    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory

    # --- accounts ---------------------------------------------------------------------------
    async def user(self, username: str) -> StaffUser | None:
        async with self.factory() as db:
            query = select(StaffUser).where(StaffUser.username == username)
            return (await db.execute(query)).scalar_one_or_none()

    async def users(self) -> list[StaffUser]:
        async with self.factory() as db:
            return list((await db.execute(select(StaffUser).order_by(StaffUser.username))).scalars())

    async def create_user(self, username: str, password_hash: str, role: str) -> StaffUser | None:
        """The new account, or None when the username is taken."""
        async with self.factory() as db:
            user = StaffUser(username=username, password_hash=password_hash, role=role, active=True)
            db.add(user)
            try:
                await db.commit()
            except IntegrityError:
                await db.rollback()
                return None
            return user

    async def update_user(
        self,
        username: str,
        *,
        password_hash: str | None = None,
        role: str | None = None,
        active: bool | None = None,
    ) -> bool:
        values: dict[str, object] = {}
        if password_hash is not None:
            values["password_hash"] = password_hash
        if role is not None:
            values["role"] = role
        if active is not None:
            values["active"] = active
        if not values:
            return await self.user(username) is not None
        async with self.factory() as db, db.begin():
            result = await db.execute(update(StaffUser).where(StaffUser.username == username).values(values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def record_login(self, user_id: int, new_password_hash: str | None) -> None:
        values: dict[str, object] = {"last_login_at": utcnow()}
        if new_password_hash is not None:
            values["password_hash"] = new_password_hash
        async with self.factory() as db, db.begin():
            await db.execute(update(StaffUser).where(StaffUser.id == user_id).values(values))

    # --- bookings ---------------------------------------------------------------------------
    async def bookings(self, where: BookingFilter) -> list[tuple[Booking, str]]:
        query = select(Booking, Specialist.name).join(Specialist, Booking.specialist_id == Specialist.id)
        if where.status is not None:
            query = query.where(Booking.status == where.status)
        if where.specialist is not None:
            query = query.where(Specialist.name == where.specialist)
        if where.specialist_type is not None:
            query = query.where(Booking.specialist_type == where.specialist_type)
        if where.starts_from is not None:
            query = query.where(Booking.slot_start >= where.starts_from)
        if where.starts_before is not None:
            query = query.where(Booking.slot_start < where.starts_before)
        query = query.order_by(Booking.slot_start, Booking.id).limit(where.limit).offset(where.offset)
        async with self.factory() as db:
            return [(booking, name) for booking, name in (await db.execute(query)).all()]

    async def booking(self, booking_id: int) -> tuple[Booking, str] | None:
        query = (
            select(Booking, Specialist.name)
            .join(Specialist, Booking.specialist_id == Specialist.id)
            .where(Booking.id == booking_id)
        )
        async with self.factory() as db:
            row = (await db.execute(query)).one_or_none()
        return None if row is None else (row[0], row[1])

    # --- conversations ----------------------------------------------------------------------
    async def conversations(self, limit: int, offset: int) -> list[Conversation]:
        query = (
            select(Conversation)
            .order_by(Conversation.created_at.desc(), Conversation.id)
            .limit(limit)
            .offset(offset)
        )
        async with self.factory() as db:
            return list((await db.execute(query)).scalars().all())

    # --- inquiries --------------------------------------------------------------------------
    async def inquiries(self, limit: int, offset: int) -> list[Inquiry]:
        query = (
            select(Inquiry).order_by(Inquiry.created_at.desc(), Inquiry.id.desc()).limit(limit).offset(offset)
        )
        async with self.factory() as db:
            return list((await db.execute(query)).scalars().all())

    async def inquiries_before(self, before_id: int | None, limit: int) -> list[Inquiry]:
        """Newest first by id: keyset pages stay correct while new leads arrive during an export."""
        query = select(Inquiry).order_by(Inquiry.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(Inquiry.id < before_id)
        async with self.factory() as db:
            return list((await db.execute(query)).scalars().all())
