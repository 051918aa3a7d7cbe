"""What the staff API does: log in, resolve tokens, list and cancel bookings, read conversations."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from erni_agents.config import Settings
from erni_agents.conversation.events import event_from_row
from erni_agents.conversation.transcript import transcript
from erni_agents.integrations.mail.compose import Appointment, compose_cancellation
from erni_agents.staff.export import csv_lines
from erni_agents.staff.repository import BookingFilter, StaffRepository
from erni_agents.staff.schemas import (
    BookingOut,
    ConversationDetail,
    ConversationEventOut,
    ConversationSummary,
    GuardrailTripOut,
    InquiryOut,
    StaffUserOut,
    TokenResponse,
    TranscriptMessage,
)
from erni_agents.staff.security import (
    MAX_PASSWORD_LENGTH,
    InvalidToken,
    create_access_token,
    decode_access_token,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from erni_agents.store.models import Booking, StaffUser
from erni_agents.store.repositories import NewMail, Repositories

log = logging.getLogger(__name__)

_CSV_BATCH = 500
INQUIRY_COLUMNS = tuple(InquiryOut.model_fields)


class BookingNotFound(LookupError):
    pass


class BookingAlreadyCancelled(Exception):
    pass


def normalise_username(username: str) -> str:
    return username.strip().lower()


def _booking_out(booking: Booking, specialist_name: str) -> BookingOut:
    return BookingOut(
        id=booking.id,
        reference=booking.reference,
        specialist_name=specialist_name,
        specialist_type=booking.specialist_type,
        starts_at=booking.slot_start,
        ends_at=booking.slot_end,
        status=booking.status,  # type: ignore[arg-type]
        customer_name=booking.customer_name,
        customer_email=booking.customer_email,
        customer_phone=booking.customer_phone,
        conversation_id=booking.conversation_id,
        created_at=booking.created_at,
        cancelled_at=booking.cancelled_at,
    )


@dataclass
class StaffService:
    repos: Repositories
    staff: StaffRepository
    settings: Settings
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Wakes this process's mail sender, so a cancellation notice leaves at once.
    mail_wakeup: Callable[[], None] | None = None

    # --- authentication ---------------------------------------------------------------------
    async def login(self, username: str, password: str, client_ip: str) -> TokenResponse | None:
        """A token, or None; the caller cannot tell an unknown user from a wrong password."""
        name = normalise_username(username)
        user = await self.staff.user(name)
        if not 0 < len(password) <= MAX_PASSWORD_LENGTH:
            ok = False
        elif user is None:
            # Same argon2 work as for a real account, so response time does not reveal usernames.
            await asyncio.to_thread(lambda: verify_password(dummy_hash(), password))
            ok = False
        else:
            ok = await asyncio.to_thread(verify_password, user.password_hash, password)
        if user is None or not ok or not user.active:
            log.warning("staff login failed", extra={"username": name, "client_ip": client_ip})
            return None
        rehashed = None
        if await asyncio.to_thread(needs_rehash, user.password_hash):
            rehashed = await asyncio.to_thread(hash_password, password)
        await self.staff.record_login(user.id, rehashed)
        token, _claims = create_access_token(
            user.username,
            user.role,
            self.settings.jwt_secret_key,
            self.settings.jwt_expire_minutes,
            now=self.clock(),
        )
        log.info("staff login", extra={"username": user.username, "client_ip": client_ip})
        return TokenResponse(
            access_token=token,
            expires_in=self.settings.jwt_expire_minutes * 60,
            username=user.username,
            role=user.role,  # type: ignore[arg-type]
        )

    async def user_for_token(self, token: str) -> StaffUser:
        """The active account a token belongs to; its role is read from the database, so a
        changed role or a deactivation takes effect before the token expires."""
        claims = decode_access_token(token, self.settings.jwt_secret_key)
        user = await self.staff.user(claims.subject)
        if user is None or not user.active:
            raise InvalidToken("account unknown or deactivated")
        return user

    async def users(self) -> list[StaffUserOut]:
        return [StaffUserOut.model_validate(user) for user in await self.staff.users()]

    # --- bookings ---------------------------------------------------------------------------
    def _local_midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), ZoneInfo(self.settings.timezone)).astimezone(UTC)

    async def bookings(
        self,
        *,
        status: str,
        specialist: str | None,
        specialist_type: str | None,
        date_from: date | None,
        date_to: date | None,
        upcoming: bool | None,
        limit: int,
        offset: int,
    ) -> list[BookingOut]:
        """`date_from`/`date_to` are calendar days (inclusive) in the company's time zone."""
        starts_from = self._local_midnight(date_from) if date_from else None
        starts_before = self._local_midnight(date_to + timedelta(days=1)) if date_to else None
        now = self.clock()
        if upcoming is True:
            starts_from = max(starts_from, now) if starts_from else now
        elif upcoming is False:
            starts_before = min(starts_before, now) if starts_before else now
        where = BookingFilter(
            status=None if status == "all" else status,
            specialist=specialist,
            specialist_type=specialist_type,
            starts_from=starts_from,
            starts_before=starts_before,
            limit=limit,
            offset=offset,
        )
        return [_booking_out(booking, name) for booking, name in await self.staff.bookings(where)]

    async def cancel_booking(self, booking_id: int, actor: str) -> BookingOut:
        found = await self.staff.booking(booking_id)
        if found is None:
            raise BookingNotFound(booking_id)
        if found[0].status == "cancelled":
            raise BookingAlreadyCancelled(booking_id)
        notice = self._cancellation_mail(found[1], await self.repos.mail_language(booking_id) or "de")
        if not await self.repos.cancel_booking(booking_id, notice):
            raise BookingAlreadyCancelled(booking_id)
        if self.mail_wakeup is not None:
            self.mail_wakeup()
        cancelled = await self.staff.booking(booking_id)
        assert cancelled is not None  # bookings are never deleted
        log.info(
            "booking cancelled by staff", extra={"booking_reference": found[0].reference, "staff_user": actor}
        )
        return _booking_out(*cancelled)

    def _cancellation_mail(self, specialist_name: str, language: str) -> Callable[[Booking], NewMail]:
        """The customer's notice, in the language of the confirmation, built inside the
        cancellation's transaction (see Repositories.cancel_booking)."""

        def compose(booking: Booking) -> NewMail:
            return compose_cancellation(
                Appointment.of_booking(booking, specialist_name),
                language,
                company_phone=self.settings.company_phone,
                timezone=ZoneInfo(self.settings.timezone),
            )

        return compose

    # --- conversations ----------------------------------------------------------------------
    async def conversation(self, conversation_id: str) -> ConversationDetail | None:
        loaded = await self.repos.load_conversation(conversation_id)
        if loaded is None:
            return None
        row, history = loaded
        events = await self.repos.events(conversation_id)
        return ConversationDetail(
            id=row.id,
            current_agent=row.current_agent,
            language=row.language,
            context=dict(row.context),
            created_at=row.created_at,
            updated_at=row.updated_at,
            messages=[TranscriptMessage.model_validate(message) for message in transcript(history, events)],
            events=[ConversationEventOut.model_validate(event_from_row(event)) for event in events],
        )

    async def conversations(self, limit: int, offset: int) -> list[ConversationSummary]:
        rows = await self.staff.conversations(limit, offset)
        return [ConversationSummary.model_validate(row) for row in rows]

    async def guardrail_trips(self, limit: int, offset: int) -> list[GuardrailTripOut]:
        return [
            GuardrailTripOut.model_validate(row) for row in await self.repos.guardrail_trips(limit, offset)
        ]

    # --- inquiries --------------------------------------------------------------------------
    async def inquiries(self, limit: int, offset: int) -> list[InquiryOut]:
        return [InquiryOut.model_validate(row) for row in await self.staff.inquiries(limit, offset)]

    async def inquiries_csv(self) -> AsyncIterator[str]:
        """Header and rows, newest first, fetched in batches so a large export stays small in memory."""
        yield csv_lines([INQUIRY_COLUMNS])
        before_id: int | None = None
        while True:
            batch = await self.staff.inquiries_before(before_id, _CSV_BATCH)
            if not batch:
                return
            yield csv_lines([getattr(row, column) for column in INQUIRY_COLUMNS] for row in batch)
            before_id = batch[-1].id
