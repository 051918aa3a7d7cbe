"""The booking mails' content: text in the customer's language plus an iCalendar entry.

A confirmation carries the invite (METHOD:PUBLISH); a cancellation by staff carries the same
event (same UID) with METHOD:CANCEL and STATUS:CANCELLED, which calendars apply to the entry.

Pure functions of the booking: no settings, no I/O, so the text can be tested (and read) on its own.
Sender, BCC and MIME are added at delivery time (see `build_message`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from erni_agents.store.models import Booking
from erni_agents.store.repositories import NewMail

ICS_FILENAME = "termin-erni.ics"
UID_DOMAIN = "erni-gruppe.ch"
ADDRESS = "Guggibadstrasse 8, 6288 Schongau"
WEBSITE = "https://www.erni-gruppe.ch"

_WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
_SPECIALIST_TYPES = {
    "de": {"Architekt": "Architekt", "Holzbau-Ingenieur": "Holzbau-Ingenieur", "Bauleiter": "Bauleiter"},
    "en": {
        "Architekt": "Architect",
        "Holzbau-Ingenieur": "Timber engineer (Holzbau-Ingenieur)",
        "Bauleiter": "Construction manager (Bauleiter)",
    },
}


@dataclass(frozen=True)
class Appointment:
    """What the mail tells: one booked consultation."""

    reference: str
    specialist_name: str
    specialist_type: str
    start: datetime  # aware
    end: datetime  # aware
    customer_name: str
    customer_email: str
    booked_at: datetime  # aware; the invite's DTSTAMP, so the same booking gives the same file
    location: str = ADDRESS

    @classmethod
    def of_booking(cls, booking: Booking, specialist_name: str, *, location: str = ADDRESS) -> Appointment:
        return cls(
            reference=booking.reference,
            specialist_name=specialist_name,
            specialist_type=booking.specialist_type,
            start=booking.slot_start,
            end=booking.slot_end,
            customer_name=booking.customer_name,
            customer_email=booking.customer_email,
            booked_at=booking.created_at,
            location=location,
        )


def compose_confirmation(
    appointment: Appointment, language: str, *, company_phone: str, timezone: ZoneInfo
) -> NewMail:
    lang = "en" if language == "en" else "de"
    return NewMail(
        to_address=appointment.customer_email,
        subject=subject(appointment, lang, timezone),
        body_text=body_text(appointment, lang, company_phone, timezone),
        language=lang,
        ics=invite(appointment, lang, company_phone),
    )


def compose_cancellation(
    appointment: Appointment, language: str, *, company_phone: str, timezone: ZoneInfo
) -> NewMail:
    lang = "en" if language == "en" else "de"
    start = appointment.start.astimezone(timezone)
    ref = appointment.reference
    if lang == "de":
        subject_line = f"Absage ERNI: Beratung am {start:%d.%m.%Y} um {start:%H:%M} Uhr (Ref. {ref})"
        lines = [
            f"Guten Tag {appointment.customer_name}",
            "",
            f"Ihr Beratungstermin vom {_day(start, lang)} um {start:%H:%M} Uhr mit "
            f"{appointment.specialist_name} (Referenz {ref}) ist abgesagt.",
            "",
            f"Für einen neuen Termin rufen Sie uns an unter {company_phone}, antworten Sie auf diese "
            f"E-Mail oder buchen Sie im Chat auf {WEBSITE}.",
            "",
            "Freundliche Grüsse",
            "ERNI Gruppe",
            appointment.location,
            f"Telefon {company_phone}",
        ]
    else:
        subject_line = f"ERNI consultation cancelled: {start:%d.%m.%Y}, {start:%H:%M} (ref. {ref})"
        lines = [
            f"Dear {appointment.customer_name}",
            "",
            f"Your consultation on {_day(start, lang)} at {start:%H:%M} with "
            f"{appointment.specialist_name} (reference {ref}) has been cancelled.",
            "",
            f"For a new appointment, call us on {company_phone}, reply to this e-mail or book in the "
            f"chat on {WEBSITE}.",
            "",
            "Kind regards",
            "ERNI Gruppe",
            appointment.location,
            f"Phone {company_phone}",
        ]
    return NewMail(
        to_address=appointment.customer_email,
        subject=subject_line,
        body_text="\n".join(lines) + "\n",
        language=lang,
        ics=invite(appointment, lang, company_phone, cancelled=True),
    )


def _day(moment: datetime, lang: str) -> str:
    weekday, month = _WEEKDAYS[lang][moment.weekday()], _MONTHS[lang][moment.month - 1]
    if lang == "de":
        return f"{weekday}, {moment.day}. {month} {moment.year}"
    return f"{weekday}, {moment.day} {month} {moment.year}"


def _specialist_type(value: str, lang: str) -> str:
    return _SPECIALIST_TYPES[lang].get(value, value)


def subject(appointment: Appointment, lang: str, timezone: ZoneInfo) -> str:
    # Short enough for one header line: Python folds a longer plain-ASCII subject right after
    # "Subject:", which some readers show with a leading space.
    start, ref = appointment.start.astimezone(timezone), appointment.reference
    if lang == "de":
        return f"Terminbestätigung ERNI: Beratung am {start:%d.%m.%Y} um {start:%H:%M} Uhr (Ref. {ref})"
    return f"ERNI consultation confirmed: {start:%d.%m.%Y}, {start:%H:%M} (ref. {ref})"


def body_text(appointment: Appointment, lang: str, company_phone: str, timezone: ZoneInfo) -> str:
    start, end = appointment.start.astimezone(timezone), appointment.end.astimezone(timezone)
    kind = _specialist_type(appointment.specialist_type, lang)
    if lang == "de":
        lines = [
            f"Guten Tag {appointment.customer_name}",
            "",
            "Vielen Dank für Ihre Terminbuchung. Wir bestätigen Ihre Beratung:",
            "",
            f"  Datum:       {_day(start, lang)}",
            f"  Zeit:        {start:%H:%M}–{end:%H:%M} Uhr",
            f"  Fachperson:  {appointment.specialist_name} ({kind})",
            f"  Ort:         ERNI Gruppe, {appointment.location}",
            f"  Referenz:    {appointment.reference}",
            "",
            "Den Termin finden Sie auch als Kalendereintrag im Anhang.",
            "",
            "Möchten Sie den Termin verschieben oder absagen? Rufen Sie uns an unter "
            f"{company_phone} oder antworten Sie einfach auf diese E-Mail, jeweils mit Ihrer "
            f"Referenz {appointment.reference}.",
            "",
            "Freundliche Grüsse",
            "ERNI Gruppe",
            appointment.location,
            f"Telefon {company_phone}",
            WEBSITE,
        ]
    else:
        lines = [
            f"Dear {appointment.customer_name}",
            "",
            "Thank you for your booking. We confirm your consultation:",
            "",
            f"  Date:        {_day(start, lang)}",
            f"  Time:        {start:%H:%M}–{end:%H:%M} (Swiss time)",
            f"  Specialist:  {appointment.specialist_name} ({kind})",
            f"  Place:       ERNI Gruppe, {appointment.location}",
            f"  Reference:   {appointment.reference}",
            "",
            "The appointment is attached as a calendar entry.",
            "",
            f"To reschedule or cancel, call us on {company_phone} "
            f"or simply reply to this e-mail, quoting your reference {appointment.reference}.",
            "",
            "Kind regards",
            "ERNI Gruppe",
            appointment.location,
            f"Phone {company_phone}",
            WEBSITE,
        ]
    return "\n".join(lines) + "\n"


def invite(appointment: Appointment, lang: str, company_phone: str, *, cancelled: bool = False) -> str:
    """An RFC 5545 VCALENDAR with one VEVENT; times in UTC so every calendar places it right.

    `cancelled`: the same event (same UID, a higher SEQUENCE) as a cancellation (RFC 5546)."""
    calendar = Calendar()
    calendar.add("prodid", "-//ERNI Gruppe//Building Agents//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.reference}@{UID_DOMAIN}")
    if cancelled:
        event.add("sequence", 1)
        event.add("status", "CANCELLED")
    event.add("dtstamp", appointment.booked_at.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", appointment.start.astimezone(ZoneInfo("UTC")))
    event.add("dtend", appointment.end.astimezone(ZoneInfo("UTC")))
    kind = _specialist_type(appointment.specialist_type, lang)
    if lang == "de":
        summary = f"Beratung ERNI: {appointment.specialist_name} ({kind})"
        description = f"Referenz {appointment.reference}. Verschieben oder absagen: {company_phone}."
    else:
        summary = f"ERNI consultation: {appointment.specialist_name} ({kind})"
        description = f"Reference {appointment.reference}. To reschedule or cancel: {company_phone}."
    event.add("summary", summary)
    event.add("location", f"ERNI Gruppe, {appointment.location}")
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def build_message(
    *,
    sender: str,
    to_address: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    ics: str | None = None,
    bcc: str | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    if bcc:
        message["Bcc"] = bcc  # smtplib's send_message delivers to it and strips the header
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id or make_msgid(domain=UID_DOMAIN)
    message.set_content(body_text)
    if body_html:
        message.add_alternative(body_html, subtype="html")
    if ics:
        message.add_attachment(
            ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename=ICS_FILENAME,
            params={"method": str(Calendar.from_ical(ics).get("method", "PUBLISH")), "charset": "utf-8"},
        )
    return message
