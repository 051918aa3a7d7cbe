"""PII redaction: other people's data goes, the customer's own data and company contacts stay."""

from __future__ import annotations

from erni_agents.guardrails import Redaction, redact_pii
from erni_agents.guardrails.pii import REDACTED, normalize_phone

OTHERS = ["Meier", "Huber", "Bucher", "Steiner", "Frei"]


def test_other_customers_email_and_phone_are_redacted() -> None:
    text = "Herr Huber (huber.family@gmx.ch, 079 555 12 34) hat ebenfalls gebucht."
    result = redact_pii(text, allowed=["anna.keller@example.ch"], forbidden_names=OTHERS)
    assert "huber.family@gmx.ch" not in result.text
    assert "079 555 12 34" not in result.text
    assert "Huber" not in result.text
    assert sorted(result.findings) == ["email", "name", "phone"]


def test_customers_own_details_are_kept() -> None:
    text = "We will confirm to john.smith@example.com and call +41 79 123 45 67."
    result = redact_pii(text, allowed=["John.Smith@example.com", "079 123 45 67"])
    assert result == Redaction(text, ())
    assert not result.changed


def test_company_contacts_are_kept() -> None:
    text = (
        "Call us on 041 570 70 70 or +41 41 570 70 12, or write to info@erni-gruppe.ch "
        "or a.arnold@holzbau-erni.ch. Your architect is André Arnold, your engineer Tobias Wili."
    )
    result = redact_pii(text, allowed=[], forbidden_names=OTHERS)
    assert result.text == text
    assert result.findings == ()


def test_ahv_iban_and_card_are_redacted() -> None:
    text = "AHV 756.1234.5678.97, IBAN CH93 0076 2011 6238 5295 7, Karte 4111 1111 1111 1111."
    result = redact_pii(text, allowed=[])
    assert result.findings == ("ahv", "iban", "card")
    assert result.text == f"AHV {REDACTED}, IBAN {REDACTED}, Karte {REDACTED}."


def test_foreign_iban_needs_a_valid_checksum() -> None:
    assert redact_pii("IBAN DE89 3704 0044 0532 0130 00", allowed=[]).findings == ("iban",)
    assert redact_pii("Ref DE00 1234 5678 9012 3456 78", allowed=[]).findings == ()


def test_card_needs_luhn() -> None:
    assert redact_pii("4111111111111111", allowed=[]).findings == ("card",)
    assert redact_pii("4111111111111112", allowed=[]).findings == ()


def test_business_numbers_are_not_mistaken_for_pii() -> None:
    text = "Projekt 2024-156: CHF 450'000 bis 562'500, Montage am 14.03.2025 um 14:00, 150 m2."
    assert redact_pii(text, allowed=[], forbidden_names=OTHERS).text == text


def test_names_are_case_sensitive_and_own_name_is_allowed() -> None:
    text = "Die Termine sind frei. Familie Frei und Herr Meier haben angefragt."
    result = redact_pii(text, allowed=["Meier"], forbidden_names=OTHERS)
    assert result.text == f"Die Termine sind frei. Familie {REDACTED} und Herr Meier haben angefragt."
    assert result.findings == ("name",)


def test_findings_never_contain_values() -> None:
    result = redact_pii("Mail an x.y@gmx.ch", allowed=[])
    assert result.findings == ("email",)
    assert all("@" not in kind for kind in result.findings)


def test_phone_formats_normalise_alike() -> None:
    assert (
        normalize_phone("079 123 45 67")
        == normalize_phone("+41 79 123 45 67")
        == normalize_phone("0041791234567")
    )
