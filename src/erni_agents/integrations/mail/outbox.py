"""The outbox sender: a background task that delivers due confirmation mails, with retries.

One per process (started in the application's lifespan). Several replicas or workers may run one
each: rows are claimed with a lease (see OutboxStore.claim_due), so they share the work.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from erni_agents.config import Settings
from erni_agents.integrations.mail.compose import UID_DOMAIN, build_message
from erni_agents.integrations.mail.smtp import SmtpTransport, describe_error
from erni_agents.integrations.mail.store import ClaimedMail, OutboxStore
from erni_agents.ops.metrics import EMAILS
from erni_agents.store.models import utcnow

log = logging.getLogger(__name__)

BATCH_SIZE = 10
# Longer than a batch of slow deliveries (BATCH_SIZE x the SMTP timeout), so a claim held by a
# live sender never expires under it.
LEASE = timedelta(minutes=5)
# 1, 2, 4, ... minutes, at most one hour apart: with 8 attempts a mail is retried for ~2 hours.
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
# At shutdown the mail being delivered may finish (a cancelled send could leave twice later).
STOP_TIMEOUT_SECONDS = 10.0


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


def retry_delay(attempts: int, base: timedelta = RETRY_BASE, cap: timedelta = RETRY_CAP) -> timedelta:
    """Exponential backoff after the `attempts`-th failed delivery (1-based)."""
    return min(cap, base * 2 ** max(0, attempts - 1))


class OutboxSender:
    def __init__(
        self,
        store: OutboxStore,
        transport: Transport,
        *,
        sender: str,
        bcc: str | None = None,
        max_attempts: int = 8,
        poll_seconds: float = 5.0,
        retry_base: timedelta = RETRY_BASE,
        retry_cap: timedelta = RETRY_CAP,
        batch_size: int = BATCH_SIZE,
        lease: timedelta = LEASE,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.transport = transport
        self.sender = sender
        self.bcc = bcc
        self.max_attempts = max_attempts
        self.poll_seconds = poll_seconds
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.batch_size = batch_size
        self.lease = lease
        self.clock = clock
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, factory: async_sessionmaker[AsyncSession]
    ) -> OutboxSender | None:
        transport = SmtpTransport.from_settings(settings)
        if transport is None:
            return None
        return cls(
            OutboxStore(factory),
            transport,
            sender=settings.mail_from,
            bcc=settings.mail_bcc,
            max_attempts=settings.mail_max_attempts,
            poll_seconds=settings.mail_poll_seconds,
        )

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="outbox-sender")

    def wake(self) -> None:
        """Look for due mails now instead of at the next poll (called right after a booking)."""
        self._wake.set()

    async def stop(self, grace_seconds: float = STOP_TIMEOUT_SECONDS) -> None:
        """Let the delivery in progress finish, hand back the rest of the batch, then end."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace_seconds)
        except TimeoutError:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        while not self._stopping:
            # Cleared before the poll: a wake during the poll makes the next wait return at once.
            self._wake.clear()
            try:
                handled = await self.run_once()
            except Exception:
                # A database outage must not end the sender; the next poll tries again.
                log.exception("outbox poll failed")
                handled = 0
            if handled >= self.batch_size:
                continue  # more may be due
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    # --- delivery ---------------------------------------------------------------------------
    async def run_once(self) -> int:
        """Deliver one batch of due mails; returns how many were attempted."""
        claimed = await self.store.claim_due(self.clock(), self.batch_size, self.lease)
        for done, mail in enumerate(claimed):
            if self._stopping:
                # Due again at once for the other replicas (or the next start), not after the lease.
                await self.store.release([m.id for m in claimed[done:]], self.clock())
                return done
            await self._deliver(mail)
        return len(claimed)

    async def _deliver(self, mail: ClaimedMail) -> None:
        message = build_message(
            sender=self.sender,
            to_address=mail.to_address,
            subject=mail.subject,
            body_text=mail.body_text,
            body_html=mail.body_html,
            ics=mail.ics,
            bcc=self.bcc,
            # Stable per outbox row: a mail delivered twice (expired lease) is recognisably one.
            message_id=f"<booking-{mail.reference}.{mail.id}@{UID_DOMAIN}>",
        )
        try:
            await self.transport.send(message)
        except Exception as exc:
            # Whatever went wrong is recorded on the row and retried; nothing is dropped.
            await self._failed_attempt(mail, describe_error(exc))
            return
        await self.store.mark_sent(mail.id, self.clock())
        EMAILS.labels(outcome="sent").inc()
        log.info(
            "confirmation mail sent",
            extra={"outbox_id": mail.id, "booking_id": mail.booking_id, "attempt": mail.attempts + 1},
        )

    async def _failed_attempt(self, mail: ClaimedMail, error: str) -> None:
        attempts = mail.attempts + 1
        context = {"outbox_id": mail.id, "booking_id": mail.booking_id, "attempt": attempts, "error": error}
        if attempts >= self.max_attempts:
            await self.store.mark_failed(mail.id, attempts, error)
            EMAILS.labels(outcome="failed").inc()
            log.error("confirmation mail failed for good; `erni-agents outbox --retry-failed`", extra=context)
            return
        delay = retry_delay(attempts, self.retry_base, self.retry_cap)
        await self.store.mark_retry(mail.id, attempts, self.clock() + delay, error)
        EMAILS.labels(outcome="retry").inc()
        log.warning("confirmation mail not delivered, retrying in %ds", delay.total_seconds(), extra=context)


def start_sender(settings: Settings, factory: async_sessionmaker[AsyncSession]) -> OutboxSender | None:
    """Start this process's sender; without SMTP_HOST say so once and leave mails pending."""
    sender = OutboxSender.from_settings(settings, factory)
    if sender is None:
        log.warning("SMTP_HOST is not set: booking confirmation mails stay in the outbox until it is")
        return None
    sender.start()
    return sender
