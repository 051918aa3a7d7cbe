"""Business-rule violations.

Every error carries a stable machine ``code`` (tools and the API branch on it, so it must never
change) and a plain English ``detail`` the agent can paraphrase to the customer.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, get_args

BookingRejection = Literal["past", "weekend", "holiday", "too_far"]
ContactField = Literal["name", "email", "phone"]

_BOOKING_REJECTIONS: frozenset[str] = frozenset(get_args(BookingRejection))
_CONTACT_FIELDS: frozenset[str] = frozenset(get_args(ContactField))


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, detail={self.detail!r})"


class InvalidArea(DomainError):
    code: ClassVar[str] = "invalid_area"

    def __init__(self, area_sqm: float, min_sqm: float, max_sqm: float) -> None:
        self.area_sqm = area_sqm
        self.min_sqm = min_sqm
        self.max_sqm = max_sqm
        super().__init__(
            f"The floor area must be between {min_sqm:,.0f} and {max_sqm:,.0f} m² "
            f"(inclusive); got {area_sqm!r}."
        )


class UnknownProjectType(DomainError):
    code: ClassVar[str] = "unknown_project_type"

    def __init__(self, value: str, allowed: tuple[str, ...]) -> None:
        self.value = value
        self.allowed = allowed
        super().__init__(f"Unknown project type {value!r}; expected one of: {', '.join(allowed)}.")


class UnknownConstructionType(DomainError):
    code: ClassVar[str] = "unknown_construction_type"

    def __init__(self, value: str, allowed: tuple[str, ...]) -> None:
        self.value = value
        self.allowed = allowed
        super().__init__(f"Unknown construction type {value!r}; expected one of: {', '.join(allowed)}.")


class DateNotBookable(DomainError):
    code: ClassVar[str] = "date_not_bookable"

    def __init__(
        self,
        day: date,
        reason: BookingRejection,
        holiday_name: str | None = None,
        last_bookable: date | None = None,
    ) -> None:
        # A typo in a reason would silently break the caller's branching, so fail loudly here.
        if reason not in _BOOKING_REJECTIONS:
            raise ValueError(f"unknown booking rejection reason: {reason!r}")
        self.day = day
        self.reason: BookingRejection = reason
        self.holiday_name = holiday_name
        self.last_bookable = last_bookable
        super().__init__(_booking_detail(day, reason, holiday_name, last_bookable))


def _booking_detail(
    day: date, reason: BookingRejection, holiday_name: str | None, last_bookable: date | None
) -> str:
    iso = day.isoformat()
    if reason == "past":
        return f"{iso} is in the past."
    if reason == "weekend":
        return f"{iso} is a {day.strftime('%A')}; consultations take place Monday to Friday."
    if reason == "holiday":
        name = f" ({holiday_name})" if holiday_name else ""
        return f"{iso} is a Swiss public holiday{name}; the office is closed."
    limit = f" (last bookable day: {last_bookable.isoformat()})" if last_bookable else ""
    return f"{iso} is too far ahead; appointments can only be booked within the booking horizon{limit}."


class InvalidSlotTime(DomainError):
    code: ClassVar[str] = "invalid_slot_time"

    def __init__(self, text: str, allowed: tuple[str, ...]) -> None:
        self.text = text
        self.allowed = allowed
        super().__init__(
            f"{text!r} is not an available consultation time; the slots are {', '.join(allowed)}."
        )


class InvalidContact(DomainError):
    code: ClassVar[str] = "invalid_contact"

    def __init__(self, field: ContactField, reason: str) -> None:
        if field not in _CONTACT_FIELDS:
            raise ValueError(f"unknown contact field: {field!r}")
        self.field: ContactField = field
        self.reason = reason
        super().__init__(f"Invalid {field}: {reason}")


class ContactErrors(DomainError):
    """All invalid contact fields at once, so the assistant asks again only for what is wrong."""

    code: ClassVar[str] = "invalid_contact_data"

    def __init__(self, fields: dict[str, str]) -> None:
        if not fields:
            raise ValueError("ContactErrors needs at least one invalid field")
        self.fields = dict(fields)
        super().__init__("; ".join(f"Invalid {name}: {reason}" for name, reason in self.fields.items()))
