"""Outbox rows: claim the due ones, record each delivery's outcome. No SMTP here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from erni_agents.store.models import Booking, OutboxEmail

PENDING, SENT, FAILED = "pending", "sent", "failed"


@dataclass(frozen=True)
class ClaimedMail:
    id: int
    booking_id: int
    reference: str
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    ics: str | None
    attempts: int


class OutboxStore:
    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory

    async def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[ClaimedMail]:
        """Take up to `limit` due pending mails for this sender.

        Claiming moves next_attempt_at past the lease in one statement, so other senders (other
        replicas or workers) do not pick the same rows; SKIP LOCKED keeps them from waiting on
        rows another sender is claiming right now. A sender that dies mid-delivery leaves the row
        due again once the lease is over: a mail can leave twice then, but is never lost.
        """
        due = (
            select(OutboxEmail.id)
            .where(OutboxEmail.status == PENDING, OutboxEmail.next_attempt_at <= now)
            .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        async with self.factory() as db, db.begin():
            ids = (
                (
                    await db.execute(
                        update(OutboxEmail)
                        # Checked again on the row itself: a claim committed since the subquery's
                        # snapshot has moved next_attempt_at, and then this sender keeps off it.
                        .where(
                            OutboxEmail.id.in_(due),
                            OutboxEmail.status == PENDING,
                            OutboxEmail.next_attempt_at <= now,
                        )
                        .values(next_attempt_at=now + lease)
                        .returning(OutboxEmail.id)
                    )
                )
                .scalars()
                .all()
            )
            if not ids:
                return []
            rows = (
                await db.execute(
                    select(OutboxEmail, Booking.reference)
                    .join(Booking, Booking.id == OutboxEmail.booking_id)
                    .where(OutboxEmail.id.in_(list(ids)))
                    .order_by(OutboxEmail.id)
                )
            ).all()
        return [
            ClaimedMail(
                id=row.id,
                booking_id=row.booking_id,
                reference=reference,
                to_address=row.to_address,
                subject=row.subject,
                body_text=row.body_text,
                body_html=row.body_html,
                ics=row.ics,
                attempts=row.attempts,
            )
            for row, reference in rows
        ]

    async def release(self, mail_ids: Sequence[int], now: datetime) -> None:
        """Give claimed but unsent mails back before their lease ends (a sender shutting down)."""
        async with self.factory() as db, db.begin():
            await db.execute(
                update(OutboxEmail)
                .where(OutboxEmail.id.in_(list(mail_ids)), OutboxEmail.status == PENDING)
                .values(next_attempt_at=now)
            )

    async def mark_sent(self, mail_id: int, now: datetime) -> None:
        await self._update(
            mail_id, status=SENT, sent_at=now, attempts=OutboxEmail.attempts + 1, last_error=None
        )

    async def mark_retry(self, mail_id: int, attempts: int, next_attempt_at: datetime, error: str) -> None:
        await self._update(mail_id, attempts=attempts, next_attempt_at=next_attempt_at, last_error=error)

    async def mark_failed(self, mail_id: int, attempts: int, error: str) -> None:
        await self._update(mail_id, status=FAILED, attempts=attempts, last_error=error)

    async def _update(self, mail_id: int, **values: object) -> None:
        async with self.factory() as db, db.begin():
            await db.execute(
                update(OutboxEmail)
                .where(OutboxEmail.id == mail_id, OutboxEmail.status == PENDING)
                .values(**values)
            )

    async def counts(self) -> dict[str, int]:
        query = select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
        async with self.factory() as db:
            found = {status: int(count) for status, count in (await db.execute(query)).all()}
        return {status: found.get(status, 0) for status in (PENDING, SENT, FAILED)}

    async def retry_failed(self, now: datetime, ids: Sequence[int] | None = None) -> int:
        """Put failed mails back in the queue with a fresh budget of attempts."""
        query = update(OutboxEmail).where(OutboxEmail.status == FAILED)
        if ids is not None:
            query = query.where(OutboxEmail.id.in_(list(ids)))
        async with self.factory() as db, db.begin():
            result = await db.execute(query.values(status=PENDING, attempts=0, next_attempt_at=now))
        return int(result.rowcount)  # type: ignore[attr-defined]
