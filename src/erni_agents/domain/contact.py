"""Validation of the customer contact data a booking needs."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError
from email_validator import validate_email as _validate_email_address

from erni_agents.domain.errors import ContactErrors, ContactField, InvalidContact

NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 100
DEFAULT_PHONE_REGION = "CH"

# Separators people type in phone numbers; anything else (notably letters) is rejected.
_PHONE_PUNCTUATION = frozenset(" +()-./\u00a0")


@dataclass(frozen=True)
class ContactData:
    name: str
    email: str
    phone: str  # E.164

    @property
    def phone_display(self) -> str:
        return format_phone_display(self.phone)


def validate_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidContact("name", "A name is required.")
    if not NAME_MIN_LENGTH <= len(name) <= NAME_MAX_LENGTH:
        raise InvalidContact(
            "name", f"A name must be between {NAME_MIN_LENGTH} and {NAME_MAX_LENGTH} characters long."
        )
    if any(ch.isdigit() for ch in name):
        raise InvalidContact("name", "A name must not contain digits.")
    # Names end up in e-mails and the web UI; angle brackets and control characters have no place there.
    if any(ch in "<>" or unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidContact("name", "A name must not contain '<', '>' or control characters.")
    if not any(ch.isalpha() for ch in name):
        raise InvalidContact("name", "A name must contain at least one letter.")
    return name


def validate_email(text: str) -> str:
    """Syntax check and normalisation only: a DNS lookup would make booking depend on the network."""
    address = text.strip()
    if not address:
        raise InvalidContact("email", "An email address is required.")
    try:
        return _validate_email_address(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidContact("email", str(exc)) from exc


def validate_phone(text: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """A valid number in E.164; local numbers are read as ``region`` (Swiss by default)."""
    raw = text.strip()
    if not raw:
        raise InvalidContact("phone", "A phone number is required.")
    # phonenumbers would read letters as a vanity number ("079 FLOWERS"); from a customer they are a typo.
    if any(not (ch.isdigit() or ch in _PHONE_PUNCTUATION) for ch in raw):
        raise InvalidContact("phone", "A phone number may only contain digits, spaces and + ( ) - . /")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidContact("phone", "This does not look like a phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact("phone", "This is not a valid phone number; please check the digits.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone_display(e164: str) -> str:
    """E.164 as people read it, e.g. "+41 79 123 45 67"."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidContact("phone", "Stored phone number is not in international format.") from exc
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_contact(name: str, email: str, phone: str) -> ContactData:
    """Validate all fields and report every invalid one at once, never just the first."""
    errors: dict[str, str] = {}

    def check(field: ContactField, validator: Callable[[str], str], value: str) -> str:
        try:
            return validator(value)
        except InvalidContact as exc:
            errors[field] = exc.reason
            return ""

    valid_name = check("name", validate_name, name)
    valid_email = check("email", validate_email, email)
    valid_phone = check("phone", validate_phone, phone)
    if errors:
        raise ContactErrors(errors)
    return ContactData(name=valid_name, email=valid_email, phone=valid_phone)
