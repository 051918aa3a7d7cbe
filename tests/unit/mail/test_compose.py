"""The confirmation mail's text, invite and MIME, and the sender's pure helpers."""

from __future__ import annotations

import email
import io
import smtplib
from datetime import UTC, datetime, timedelta
from email import policy
from email.generator import BytesGenerator
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from erni_agents.integrations.mail.compose import (
    Appointment,
    build_message,
    compose_cancellation,
    compose_confirmation,
)
from erni_agents.integrations.mail.outbox import retry_delay
from erni_agents.integrations.mail.smtp import describe_error

ZURICH = ZoneInfo("Europe/Zurich")
PHONE = "041 570 70 70"


def appointment(start: datetime, specialist_type: str = "Architekt") -> Appointment:
    return Appointment(
        reference="AB12CD34",
        specialist_name="André Arnold",
        specialist_type=specialist_type,
        start=start,
        end=start + timedelta(hours=1),
        customer_name="Anna Müller",
        customer_email="anna.mueller@example.ch",
        booked_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
    )


WINTER = appointment(datetime(2026, 12, 1, 13, 0, tzinfo=UTC))  # 14:00 in Zurich (UTC+1)
SUMMER = appointment(datetime(2027, 6, 15, 7, 0, tzinfo=UTC), "Bauleiter")  # 09:00 in Zurich (UTC+2)


def test_german_mail_has_the_facts_in_zurich_time() -> None:
    mail = compose_confirmation(WINTER, "de", company_phone=PHONE, timezone=ZURICH)
    assert mail.language == "de"
    assert mail.to_address == "anna.mueller@example.ch"
    assert mail.subject == "Terminbestätigung ERNI: Beratung am 01.12.2026 um 14:00 Uhr (Ref. AB12CD34)"
    for fact in (
        "Guten Tag Anna Müller",
        "Dienstag, 1. Dezember 2026",
        "14:00–15:00 Uhr",
        "André Arnold (Architekt)",
        "Guggibadstrasse 8, 6288 Schongau",
        "AB12CD34",
        "041 570 70 70",
        "verschieben oder absagen",
        "antworten Sie einfach auf diese E-Mail",
    ):
        assert fact in mail.body_text, fact


def test_english_mail_in_summer_time_names_the_specialist_type_in_english() -> None:
    mail = compose_confirmation(SUMMER, "en", company_phone=PHONE, timezone=ZURICH)
    assert mail.language == "en"
    assert mail.subject == "ERNI consultation confirmed: 15.06.2027, 09:00 (ref. AB12CD34)"
    for fact in (
        "Dear Anna Müller",
        "Tuesday, 15 June 2027",
        "09:00–10:00",
        "André Arnold (Construction manager (Bauleiter))",
        "Guggibadstrasse 8, 6288 Schongau",
        "reschedule or cancel",
        "call us on 041 570 70 70",
    ):
        assert fact in mail.body_text, fact
    assert "Uhr" not in mail.body_text


def test_an_unknown_language_falls_back_to_german() -> None:
    assert compose_confirmation(WINTER, "fr", company_phone=PHONE, timezone=ZURICH).language == "de"


@pytest.mark.parametrize(("item", "start_utc"), [(WINTER, (2026, 12, 1, 13)), (SUMMER, (2027, 6, 15, 7))])
def test_invite_is_one_utc_event_with_the_booking_reference(
    item: Appointment, start_utc: tuple[int, ...]
) -> None:
    mail = compose_confirmation(item, "de", company_phone=PHONE, timezone=ZURICH)
    assert mail.ics is not None
    calendar = Calendar.from_ical(mail.ics)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "AB12CD34@erni-gruppe.ch"
    year, month, day, hour = start_utc
    assert event.decoded("DTSTART") == datetime(year, month, day, hour, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(year, month, day, hour, tzinfo=UTC) + timedelta(hours=1)
    assert f"DTSTART:{year:04d}{month:02d}{day:02d}T{hour:02d}0000Z" in mail.ics  # UTC form, no TZID
    assert "André Arnold" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "ERNI Gruppe, Guggibadstrasse 8, 6288 Schongau"
    # The same booking always gives the same file (DTSTAMP is the booking time, not "now").
    assert compose_confirmation(item, "de", company_phone=PHONE, timezone=ZURICH).ics == mail.ics


def test_message_has_text_and_calendar_attachment_and_hides_the_bcc() -> None:
    mail = compose_confirmation(WINTER, "de", company_phone=PHONE, timezone=ZURICH)
    message = build_message(
        sender="ERNI Gruppe <termine@erni-gruppe.ch>",
        to_address=mail.to_address,
        subject=mail.subject,
        body_text=mail.body_text,
        ics=mail.ics,
        bcc="intern@erni-gruppe.ch",
        message_id="<booking-AB12CD34.1@erni-gruppe.ch>",
    )
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == mail.subject
    assert parsed["Message-ID"] == "<booking-AB12CD34.1@erni-gruppe.ch>"
    assert parsed.get_body(preferencelist=("plain",)).get_content() == mail.body_text  # type: ignore[union-attr]
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "termin-erni.ics"
    assert attachment.get_content() == mail.ics
    # smtplib removes Bcc when sending; it is on the built message only to be delivered.
    assert message["Bcc"] == "intern@erni-gruppe.ch"


@pytest.mark.parametrize("language", ["de", "en"])
def test_subject_survives_the_wire_unchanged(language: str) -> None:
    mail = compose_confirmation(WINTER, language, company_phone=PHONE, timezone=ZURICH)
    message = build_message(
        sender="termine@erni-gruppe.ch", to_address=mail.to_address, subject=mail.subject, body_text="x"
    )
    # As smtplib.send_message writes it: CRLF line ends, headers folded at 78 characters.
    out = io.BytesIO()
    BytesGenerator(out, policy=message.policy.clone(linesep="\r\n")).flatten(message)
    assert email.message_from_bytes(out.getvalue(), policy=policy.default)["Subject"] == mail.subject


def test_retry_delay_doubles_up_to_the_cap() -> None:
    delays = [retry_delay(n) for n in range(1, 9)]
    assert [d.total_seconds() / 60 for d in delays] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert retry_delay(3, base=timedelta(seconds=1), cap=timedelta(seconds=3)) == timedelta(seconds=3)


def test_errors_are_described_without_addresses() -> None:
    refused = smtplib.SMTPRecipientsRefused({"anna@example.ch": (550, b"5.1.1 <anna@example.ch> unknown")})
    assert describe_error(refused) == "SMTPRecipientsRefused 550"
    auth = smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid")
    assert describe_error(auth) == "SMTPAuthenticationError 535 5.7.8"
    sender = smtplib.SMTPSenderRefused(553, b"<termine@erni-gruppe.ch> not owned", "termine@erni-gruppe.ch")
    assert "erni-gruppe.ch" not in describe_error(sender)
    assert describe_error(ConnectionRefusedError(111, "Connection refused")) == (
        "ConnectionRefusedError Connection refused"
    )


def test_cancellation_is_the_same_calendar_event_cancelled_in_both_languages() -> None:
    for language, subject_start, phrase in (
        ("de", "Absage ERNI: Beratung am", "ist abgesagt"),
        ("en", "ERNI consultation cancelled:", "has been cancelled"),
    ):
        notice = compose_cancellation(WINTER, language, company_phone=PHONE, timezone=ZURICH)
        confirmation = compose_confirmation(WINTER, language, company_phone=PHONE, timezone=ZURICH)
        assert notice.subject.startswith(subject_start) and WINTER.reference in notice.subject
        assert phrase in notice.body_text and "041 570 70 70" in notice.body_text
        assert notice.language == language and notice.to_address == WINTER.customer_email
        assert notice.ics is not None and confirmation.ics is not None
        cancelled, invited = Calendar.from_ical(notice.ics), Calendar.from_ical(confirmation.ics)
        assert (str(cancelled["METHOD"]), str(invited["METHOD"])) == ("CANCEL", "PUBLISH")
        [event], [original] = cancelled.walk("VEVENT"), invited.walk("VEVENT")
        assert event["UID"] == original["UID"]
        assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART") == original.decoded("DTSTART")

        message = build_message(
            sender="termine@erni-gruppe.ch",
            to_address=notice.to_address,
            subject=notice.subject,
            body_text=notice.body_text,
            ics=notice.ics,
        )
        [attachment] = list(message.iter_attachments())
        assert attachment.get_param("method") == "CANCEL"
