import pytest

from erni_agents.domain.contact import (
    ContactData,
    format_phone_display,
    validate_contact,
    validate_email,
    validate_name,
    validate_phone,
)
from erni_agents.domain.errors import ContactErrors, DomainError, InvalidContact

# --- phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+41 79 123 45 67", "+41791234567"),
        ("079 555 12 34", "+41795551234"),
        ("0041 79 123 45 67", "+41791234567"),
        ("041 379 70 70", "+41413797070"),
        ("+49 30 12345678", "+493012345678"),
        ("(079) 555-12-34", "+41795551234"),
    ],
)
def test_valid_phone_numbers_become_e164(text: str, expected: str) -> None:
    assert validate_phone(text) == expected


@pytest.mark.parametrize(
    "text", ["+41 79 000", "12", "", "   ", "abc", "079 FLOWERS", "079 555 12 34 <script>"]
)
def test_invalid_phone_numbers_are_rejected(text: str) -> None:
    with pytest.raises(InvalidContact) as info:
        validate_phone(text)
    assert info.value.field == "phone"
    assert info.value.reason


def test_phone_region_controls_local_numbers() -> None:
    assert validate_phone("030 12345678", region="DE") == "+493012345678"


def test_phone_display_is_international_format() -> None:
    assert format_phone_display("+41791234567") == "+41 79 123 45 67"


def test_phone_display_rejects_non_international() -> None:
    with pytest.raises(InvalidContact):
        format_phone_display("0791234567")


# --- email -----------------------------------------------------------------------------------


def test_email_is_normalised() -> None:
    assert validate_email("  Max.Muster@Example.COM ") == "Max.Muster@example.com"


@pytest.mark.parametrize("text", ["", "max", "max@", "max@erni", "max muster@erni.ch", "a@@erni.ch"])
def test_invalid_email_is_rejected_with_a_reason(text: str) -> None:
    with pytest.raises(InvalidContact) as info:
        validate_email(text)
    assert info.value.field == "email"
    assert info.value.reason
    assert info.value.code == "invalid_contact"


def test_email_does_not_need_dns() -> None:
    # A syntactically valid address on a domain without mail servers is still accepted.
    assert validate_email("anna@no-such-domain-erni-test.ch") == "anna@no-such-domain-erni-test.ch"


# --- name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Anna   Muster ", "Anna Muster"),
        ("Jo", "Jo"),
        ("Hans-Peter Müller", "Hans-Peter Müller"),
        ("Dr. Zoë O'Brien", "Dr. Zoë O'Brien"),
        ("Anna\tMuster", "Anna Muster"),
    ],
)
def test_valid_names_are_cleaned(text: str, expected: str) -> None:
    assert validate_name(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "A", "A" * 101, "Anna 2", "<b>Anna</b>", "---", "Anna\x00Muster", "R2D2"]
)
def test_invalid_names_are_rejected(text: str) -> None:
    with pytest.raises(InvalidContact) as info:
        validate_name(text)
    assert info.value.field == "name"


def test_name_length_bounds_are_inclusive() -> None:
    assert validate_name("A" * 100) == "A" * 100
    assert validate_name(" Al ") == "Al"


# --- all together ----------------------------------------------------------------------------


def test_valid_contact() -> None:
    contact = validate_contact(" Anna  Muster", "anna@Erni.ch", "079 555 12 34")
    assert contact == ContactData("Anna Muster", "anna@erni.ch", "+41795551234")
    assert contact.phone_display == "+41 79 555 12 34"


def test_all_invalid_fields_are_reported_together() -> None:
    with pytest.raises(ContactErrors) as info:
        validate_contact("4", "not-an-email", "+41 79 000")
    assert set(info.value.fields) == {"name", "email", "phone"}
    assert isinstance(info.value, DomainError)
    assert info.value.code == "invalid_contact_data"
    for field in ("name", "email", "phone"):
        assert field in info.value.detail


def test_only_the_wrong_field_is_reported() -> None:
    with pytest.raises(ContactErrors) as info:
        validate_contact("Anna Muster", "anna@erni.ch", "+41 79 000")
    assert list(info.value.fields) == ["phone"]


def test_contact_errors_needs_a_field() -> None:
    with pytest.raises(ValueError):
        ContactErrors({})
