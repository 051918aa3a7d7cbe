"""Booking confirmation mails through a real SMTP server (aiosmtpd) on SQLite and PostgreSQL.

Retries are driven by the sender's injectable clock (`run_once` at chosen instants) rather than by
waiting: only the wake-up after a booking is observed in real time.
"""

from __future__ import annotations

import asyncio
import email
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from icalendar import Calendar
from prometheus_client import REGISTRY
from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from erni_agents.api.app import create_app
from erni_agents.api.state import AppState, build_state
from erni_agents.config import get_settings
from erni_agents.integrations.mail.compose import Appointment, compose_confirmation
from erni_agents.integrations.mail.outbox import OutboxSender
from erni_agents.integrations.mail.smtp import SmtpTransport
from erni_agents.integrations.mail.store import OutboxStore
from erni_agents.staff.repository import StaffRepository
from erni_agents.staff.service import StaffService
from erni_agents.store.db import create_engine
from erni_agents.store.migrate import downgrade, upgrade
from erni_agents.store.models import Base, Booking, OutboxEmail, utcnow
from erni_agents.store.repositories import NewBooking, NewMail
from tests.conftest import FIXED_NOW, _prepare, _settings

ZURICH_TUESDAY_14H = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
MAIL_FROM = "ERNI Gruppe <termine@erni-gruppe.ch>"


# --- a real SMTP server ---------------------------------------------------------------------------


@dataclass
class Inbox:
    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.original_content or b"", policy=policy.default) for e in self.envelopes
        ]


class SmtpServer:
    """aiosmtpd on a fixed local port that can be started and stopped (an SMTP outage)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self, password: str | None = None) -> None:
        """With `password`: AUTH required (user "termine"; plain text is fine on loopback)."""
        options: dict[str, Any] = {}
        if password is not None:

            def authenticator(
                server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
            ) -> AuthResult:
                ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
                    b"termine",
                    password.encode(),
                )
                return AuthResult(success=ok, handled=False)

            options = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
        # The test server's own connection chatter is not what these tests look at.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_down() -> Iterator[SmtpServer]:
    """A port where no server listens yet; `.start()` brings one up."""
    server = SmtpServer(_free_port())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp(smtp_down: SmtpServer) -> SmtpServer:
    smtp_down.start()
    return smtp_down


@dataclass
class Clock:
    now: datetime = field(default_factory=utcnow)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def sender_for(
    factory: async_sessionmaker[AsyncSession], server: SmtpServer, clock: Clock, **options: Any
) -> OutboxSender:
    return OutboxSender(
        OutboxStore(factory),
        SmtpTransport("127.0.0.1", server.port, starttls=False, timeout=5),
        sender=MAIL_FROM,
        clock=clock,
        retry_base=options.pop("retry_base", timedelta(seconds=30)),
        **options,
    )


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait for a mail the background sender delivers (seconds at most; polled, not slept on)."""
    async with asyncio.timeout(5.0):
        while not await check():  # noqa: ASYNC110 - progress shows only in the database
            await asyncio.sleep(0.02)


async def outbox_rows(state: AppState) -> list[OutboxEmail]:
    async with state.repos.factory() as db:
        return list((await db.execute(select(OutboxEmail).order_by(OutboxEmail.id))).scalars())


def emails_total(outcome: str) -> float:
    return REGISTRY.get_sample_value("erni_emails_total", {"outcome": outcome}) or 0.0


# --- app states -----------------------------------------------------------------------------------


@pytest.fixture
async def mail_state(database_url: str, smtp: SmtpServer) -> AsyncIterator[AppState]:
    """The application as deployed with SMTP: its own sender runs in the background. The poll
    interval is long, so a mail that leaves at once proves the wake-up after the booking."""
    await _prepare(database_url)
    settings = _settings(
        database_url, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_starttls=False, mail_poll_seconds=60
    )
    app_state = await build_state(settings)
    app_state.service.clock = lambda: FIXED_NOW
    try:
        yield app_state
    finally:
        await app_state.close()


async def converse(state: AppState, *messages: str) -> dict[str, Any]:
    conversation_id = (await state.service.start()).conversation_id
    context: dict[str, Any] = {}
    for message in messages:
        context = (await state.service.turn(conversation_id, message)).context
    return context


BOOK_EN = (
    "I'd like to book a meeting with an architect next Tuesday at 2pm",
    "John Smith, john.smith@example.com, 079 123 45 67",
)
BOOK_DE = (
    "Ich möchte einen Termin mit einem Holzbau-Ingenieur, nächsten Mittwoch um 16 Uhr",
    "Anna Müller",
    "anna.mueller@bluewin.ch",
    "078 555 12 34",
)


async def book_directly(state: AppState, email_address: str = "k1@example.ch", hour: int = 13) -> Booking:
    """A booking with its confirmation through the repository (the tool's path, minus the dialogue)."""
    specialist = (await state.repos.specialists("Architekt"))[0].name
    start = datetime(2026, 12, 1, hour, 0, tzinfo=UTC)

    def mail(booking: Booking) -> NewMail:
        facts = Appointment.of_booking(booking, specialist)
        return compose_confirmation(facts, "de", company_phone="041 570 70 70", timezone=_zurich())

    booking = await state.repos.try_book(
        NewBooking(
            specialist_name=specialist,
            specialist_type="Architekt",
            slot_start=start,
            slot_end=start + timedelta(hours=1),
            customer_name="Kunde Eins",
            customer_email=email_address,
            customer_phone="+41791234567",
            conversation_id=None,
        ),
        mail=mail,
    )
    assert booking is not None
    return booking


def _zurich() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Zurich")


# --- the promise: a booking gets its mail -----------------------------------------------------------


async def test_english_booking_sends_exactly_one_confirmation(mail_state: AppState, smtp: SmtpServer) -> None:
    context = await converse(mail_state, *BOOK_EN)
    reference = context["booking_reference"]
    assert context["consultation_booked"] is True and reference
    await eventually(lambda: _all_sent(mail_state))  # within seconds, though the poll interval is 60 s

    [envelope] = smtp.inbox.envelopes
    assert envelope.mail_from == "termine@erni-gruppe.ch"
    assert envelope.rcpt_tos == ["john.smith@example.com"]
    [message] = smtp.inbox.messages
    assert message["To"] == "john.smith@example.com"
    assert message["From"] == MAIL_FROM
    assert message["Subject"] == f"ERNI consultation confirmed: 01.12.2026, 14:00 (ref. {reference})"
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Dear John Smith" in body and "Tuesday, 1 December 2026" in body and "14:00–15:00" in body
    assert context["specialist_assigned"] in body and reference in body
    assert "Guggibadstrasse 8, 6288 Schongau" in body and "041 570 70 70" in body

    [attachment] = list(message.iter_attachments())
    [event] = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(event["UID"]) == f"{reference}@erni-gruppe.ch"
    assert event.decoded("DTSTART") == ZURICH_TUESDAY_14H
    assert event.decoded("DTEND") == ZURICH_TUESDAY_14H + timedelta(hours=1)
    assert "Guggibadstrasse 8" in str(event["LOCATION"])

    [row] = await outbox_rows(mail_state)
    assert (row.status, row.attempts, row.language, row.last_error) == ("sent", 1, "en", None)
    assert row.sent_at is not None
    # Nothing is due any more: another pass sends nothing.
    assert mail_state.mail is not None and await mail_state.mail.run_once() == 0
    assert len(smtp.inbox.envelopes) == 1


async def test_german_booking_gets_a_german_mail(mail_state: AppState, smtp: SmtpServer) -> None:
    context = await converse(mail_state, *BOOK_DE)
    reference = context["booking_reference"]
    await eventually(lambda: _all_sent(mail_state))
    [message] = smtp.inbox.messages
    assert message["To"] == "anna.mueller@bluewin.ch"
    assert (
        message["Subject"]
        == f"Terminbestätigung ERNI: Beratung am 02.12.2026 um 16:00 Uhr (Ref. {reference})"
    )
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Guten Tag Anna Müller" in body
    assert "Mittwoch, 2. Dezember 2026" in body and "16:00–17:00 Uhr" in body
    assert "(Holzbau-Ingenieur)" in body
    [row] = await outbox_rows(mail_state)
    assert (row.status, row.language) == ("sent", "de")


async def test_a_booking_cancelled_by_staff_gets_a_cancellation_in_its_language(
    mail_state: AppState, smtp: SmtpServer
) -> None:
    context = await converse(mail_state, *BOOK_EN)
    reference = context["booking_reference"]
    await eventually(lambda: _all_sent(mail_state))
    [(booking, _specialist)] = await mail_state.repos.bookings()
    staff = StaffService(
        repos=mail_state.repos,
        staff=StaffRepository(mail_state.repos.factory),
        settings=mail_state.settings,
        mail_wakeup=mail_state.mail.wake if mail_state.mail is not None else None,
    )

    await staff.cancel_booking(booking.id, actor="victor")

    async def both_sent() -> bool:
        return len(smtp.inbox.messages) == 2 and await _all_sent(mail_state)

    # Within seconds, though the poll interval is 60 s: the cancellation wakes the sender.
    await eventually(both_sent)
    confirmation, cancellation = smtp.inbox.messages
    assert cancellation["To"] == "john.smith@example.com"
    assert cancellation["Subject"] == f"ERNI consultation cancelled: 01.12.2026, 14:00 (ref. {reference})"
    body = cancellation.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Dear John Smith" in body and "has been cancelled" in body and reference in body
    [attachment] = list(cancellation.iter_attachments())
    assert attachment.get_param("method") == "CANCEL"
    calendar = Calendar.from_ical(attachment.get_content())
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    [invited] = Calendar.from_ical(next(confirmation.iter_attachments()).get_content()).walk("VEVENT")
    assert str(event["UID"]) == str(invited["UID"]) == f"{reference}@erni-gruppe.ch"
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == ZURICH_TUESDAY_14H
    rows = await outbox_rows(mail_state)
    assert [(r.booking_id, r.language, r.status) for r in rows] == [(booking.id, "en", "sent")] * 2


async def test_a_failed_cancellation_queues_no_mail(state: AppState) -> None:
    booking = await book_directly(state)
    assert await state.repos.cancel_booking(booking.id)
    assert not await state.repos.cancel_booking(booking.id, lambda _b: pytest.fail("built a second notice"))
    assert len(await outbox_rows(state)) == 1  # the confirmation only


async def _all_sent(state: AppState) -> bool:
    rows = await outbox_rows(state)
    return bool(rows) and all(row.status == "sent" for row in rows)


async def test_without_smtp_host_booking_works_and_the_mail_waits(
    state: AppState, caplog: pytest.LogCaptureFixture
) -> None:
    assert state.mail is None
    assert any("SMTP_HOST is not set" in r.getMessage() for r in caplog.get_records("setup"))
    context = await converse(state, *BOOK_EN)
    assert context["consultation_booked"] is True
    [row] = await outbox_rows(state)
    assert (row.status, row.attempts, row.to_address) == ("pending", 0, "john.smith@example.com")
    [(booking, _)] = await state.repos.bookings(status="active")
    assert row.booking_id == booking.id and booking.reference == context["booking_reference"]


async def test_without_smtp_host_the_app_is_ready(database_url: str) -> None:
    await _prepare(database_url)
    app = create_app(_settings(database_url, allowed_hosts=["*"]))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            response = await client.get("/readiness")
    assert response.status_code == 200, response.text


async def test_a_lost_slot_race_writes_neither_booking_nor_mail(state: AppState) -> None:
    first = await book_directly(state)
    specialist = (await state.repos.specialists("Architekt"))[0].name
    calls: list[Booking] = []

    def mail(booking: Booking) -> NewMail:
        calls.append(booking)
        return NewMail(to_address="x@example.ch", subject="s", body_text="b", language="de")

    taken = await state.repos.try_book(
        NewBooking(
            specialist_name=specialist,
            specialist_type="Architekt",
            slot_start=first.slot_start,
            slot_end=first.slot_end,
            customer_name="Zweite Kundin",
            customer_email="x@example.ch",
            customer_phone="+41791234567",
            conversation_id=None,
        ),
        mail=mail,
    )
    assert taken is None and not calls
    assert [row.booking_id for row in await outbox_rows(state)] == [first.id]


# --- never lost: outage, retries, failure, re-queue -----------------------------------------------


async def test_smtp_outage_delays_the_mail_and_it_leaves_when_the_server_is_back(
    state: AppState, smtp_down: SmtpServer
) -> None:
    booking = await book_directly(state)
    clock = Clock()
    sender = sender_for(state.repos.factory, smtp_down, clock, retry_base=timedelta(seconds=30))
    retries = emails_total("retry")

    assert await sender.run_once() == 1
    [row] = await outbox_rows(state)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == clock.now + timedelta(seconds=30)
    assert row.last_error == "ConnectionRefusedError Connection refused"
    assert emails_total("retry") == retries + 1
    assert await sender.run_once() == 0  # not due before its backoff is over

    smtp_down.start()
    clock.advance(timedelta(seconds=31))
    assert await sender.run_once() == 1
    [message] = smtp_down.inbox.messages
    assert booking.reference in message["Subject"]
    [row] = await outbox_rows(state)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


async def test_after_max_attempts_the_mail_fails_and_retry_failed_requeues_it(
    state: AppState, database_url: str, smtp_down: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    await book_directly(state)
    clock = Clock()
    sender = sender_for(
        state.repos.factory, smtp_down, clock, max_attempts=3, retry_base=timedelta(seconds=10)
    )
    failures = emails_total("failed")
    for _ in range(3):
        assert await sender.run_once() == 1
        clock.advance(timedelta(minutes=5))
    assert await sender.run_once() == 0
    [row] = await outbox_rows(state)
    assert (row.status, row.attempts) == ("failed", 3)
    assert emails_total("failed") == failures + 1

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    get_settings.cache_clear()
    try:
        listed = await asyncio.to_thread(CliRunner().invoke, _cli(), ["outbox"])
        assert listed.exit_code == 0, listed.output
        assert "pending=0 sent=0 failed=1" in listed.output
        requeued = await asyncio.to_thread(CliRunner().invoke, _cli(), ["outbox", "--retry-failed"])
        assert requeued.exit_code == 0, requeued.output
        assert "re-queued 1 failed mail(s)" in requeued.output
        assert "pending=1 sent=0 failed=0" in requeued.output
    finally:
        get_settings.cache_clear()

    smtp_down.start()
    clock.now = utcnow()
    assert await sender.run_once() == 1
    assert len(smtp_down.inbox.envelopes) == 1
    [row] = await outbox_rows(state)
    assert (row.status, row.attempts) == ("sent", 1)


def _cli() -> Any:
    from erni_agents.cli import app

    return app


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
async def test_smtp_login_and_a_wrong_password_that_never_shows(
    state: AppState, smtp_down: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    password = "s3cret-smtp-" + "pw-0123456789"
    smtp_down.start(password=password)
    await book_directly(state)
    clock = Clock()
    settings = _settings(
        "sqlite://",
        smtp_host="127.0.0.1",
        smtp_port=smtp_down.port,
        smtp_starttls=False,
        smtp_username="termine",
    )
    wrong = SmtpTransport.from_settings(settings.model_copy(update={"smtp_password": "wrong-" + password}))
    right = SmtpTransport.from_settings(settings.model_copy(update={"smtp_password": password}))
    assert wrong is not None and right is not None
    assert password not in repr(right)

    sender = sender_for(state.repos.factory, smtp_down, clock)
    sender.transport = wrong
    with caplog.at_level("INFO"):
        assert await sender.run_once() == 1
    [row] = await outbox_rows(state)
    assert (row.status, row.last_error) == ("pending", "SMTPAuthenticationError 535 5.7.8")
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "outbox_id" in logged and password not in logged and "k1@example.ch" not in logged

    sender.transport = right
    clock.advance(timedelta(minutes=5))
    assert await sender.run_once() == 1
    assert smtp_down.inbox.envelopes[0].rcpt_tos == ["k1@example.ch"]


async def test_bcc_gets_a_blind_copy(state: AppState, smtp: SmtpServer) -> None:
    await book_directly(state, "kundin@example.ch")
    sender = sender_for(state.repos.factory, smtp, Clock(), bcc="intern@erni-gruppe.ch")
    assert await sender.run_once() == 1
    [envelope] = smtp.inbox.envelopes
    assert envelope.rcpt_tos == ["kundin@example.ch", "intern@erni-gruppe.ch"]
    [message] = smtp.inbox.messages
    assert message["Bcc"] is None


async def test_shutdown_finishes_the_mail_in_flight_and_hands_back_the_rest(
    state: AppState, smtp: SmtpServer
) -> None:
    for hour in (8, 13, 15):
        await book_directly(state, f"k{hour}@example.ch", hour)
    clock = Clock()
    sender = sender_for(state.repos.factory, smtp, clock, poll_seconds=60)
    smtp_transport = sender.transport
    stopping: list[asyncio.Task[None]] = []

    class StopDuringFirstSend:
        """The real SMTP delivery, with the application shutting down while the first one runs."""

        async def send(self, message: EmailMessage) -> None:
            if not stopping:
                stopping.append(asyncio.create_task(sender.stop()))
                await asyncio.sleep(0)  # stop() has begun before this delivery ends
            await smtp_transport.send(message)

    sender.transport = StopDuringFirstSend()
    sender.start()
    await eventually(lambda: _stopped(stopping))
    assert len(smtp.inbox.envelopes) == 1
    rows = await outbox_rows(state)
    assert sorted(row.status for row in rows) == ["pending", "pending", "sent"]
    # The two unsent mails are due again now, not after the 5-minute lease.
    assert all(
        row.next_attempt_at <= clock.now and row.attempts == 0 for row in rows if row.status == "pending"
    )


async def _stopped(tasks: list[asyncio.Task[None]]) -> bool:
    return bool(tasks) and tasks[0].done()


@pytest.mark.postgres
async def test_two_senders_never_send_one_mail_twice(postgres_url: str, smtp: SmtpServer) -> None:
    url = _settings(postgres_url).database_url
    await asyncio.to_thread(upgrade, url)
    await _prepare(url)
    app_state = await build_state(_settings(url))
    try:
        await _truncate_outbox(app_state)
        bookings = [await book_directly(app_state, f"k{hour}@example.ch", hour) for hour in range(6, 18)]
        clock = Clock()
        first = sender_for(app_state.repos.factory, smtp, clock, batch_size=2)
        second = sender_for(app_state.repos.factory, smtp, clock, batch_size=2)

        async def drain(sender: OutboxSender) -> int:
            total = 0
            while handled := await sender.run_once():
                total += handled
            return total

        handled = await asyncio.gather(drain(first), drain(second), drain(first), drain(second))
        assert sum(handled) == len(bookings)
        subjects = sorted(str(m["Subject"]) for m in smtp.inbox.messages)
        assert len(subjects) == len(set(subjects)) == len(bookings)
        assert all(any(b.reference in s for s in subjects) for b in bookings)
        assert {row.status for row in await outbox_rows(app_state)} == {"sent"}
    finally:
        await _truncate_outbox(app_state)
        await app_state.close()


async def _truncate_outbox(state: AppState) -> None:
    from sqlalchemy import delete

    async with state.repos.factory() as db, db.begin():
        await db.execute(delete(OutboxEmail))
        await db.execute(delete(Booking))


# --- schema -----------------------------------------------------------------------------------------


async def test_migration_0003_upgrades_and_downgrades(database_url: str) -> None:
    async def tables() -> set[str]:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    assert "outbox_emails" in await tables()
    await asyncio.to_thread(downgrade, database_url, "0002")
    assert "outbox_emails" not in await tables() and "bookings" in await tables()
    await asyncio.to_thread(upgrade, database_url)
    assert "outbox_emails" in await tables()
    assert await _schema_diff(database_url) == []


async def _schema_diff(url: str) -> list[Any]:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
    finally:
        await engine.dispose()
    return [d for d in diff if "outbox_emails" in repr(d)]
