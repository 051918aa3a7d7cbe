"""The PII Guardrail as the conversation layer applies it: per turn, and to streamed text."""

from __future__ import annotations

from erni_agents.agents.context import ConversationContext
from erni_agents.conversation.redaction import OutputRedactor, StreamRedactor

KNOWN = ("Meier", "Huber", "Frei")


def _redactor(message: str = "", **context: object) -> OutputRedactor:
    return OutputRedactor.for_turn(ConversationContext.model_validate(context), message, KNOWN)


def test_customers_own_details_stay() -> None:
    redactor = _redactor(
        customer_name="Anna Huber", customer_email="anna@example.ch", customer_phone="079 123 45 67"
    )
    text = "Booked for Anna Huber, confirmation to anna@example.ch, we call 079 123 45 67."
    assert redactor.redact(text) == text
    assert redactor.findings == []


def test_other_customers_data_goes() -> None:
    redactor = _redactor(customer_name="Anna Keller", customer_email="anna@example.ch")
    text = "Project 2024-089 belongs to Huber (huber@example.com, 079 555 12 34)."
    out = redactor.redact(text)
    assert "Huber" not in out and "huber@example.com" not in out and "555 12 34" not in out
    assert sorted(redactor.findings) == ["email", "name", "phone"]
    assert "Redacted 3 item(s)" in redactor.report()


def test_company_contacts_and_staff_stay() -> None:
    redactor = _redactor()
    text = "Call us on 041 570 70 70 or write to info@erni-gruppe.ch; André Arnold will meet you."
    assert redactor.redact(text) == text
    assert redactor.report() == "No personal data of others in the answer."


def test_what_the_customer_just_wrote_may_be_repeated() -> None:
    redactor = _redactor("my IBAN is CH93 0076 2011 6238 5295 7")
    assert "CH93 0076 2011 6238 5295 7" in redactor.redact("You wrote CH93 0076 2011 6238 5295 7.")
    other = _redactor("hello")
    assert "6238" not in other.redact("Their IBAN is CH93 0076 2011 6238 5295 7.")


def test_lowercase_word_is_not_a_customer_name() -> None:
    redactor = _redactor()
    assert redactor.redact("Der Termin ist frei.") == "Der Termin ist frei."


def test_stream_never_splits_a_value_and_records_once() -> None:
    redactor = _redactor(customer_email="me@example.ch")
    stream = StreamRedactor(redactor)
    text = "Hello. Write to huber@example.com please. Or call 079 555 12 34 today!"
    chunks = [stream.feed(text[i : i + 3]) for i in range(0, len(text), 3)]
    chunks.append(stream.flush())
    joined = "".join(chunks)
    assert "huber@example.com" not in joined and "555 12 34" not in joined
    assert joined.startswith("Hello. Write to [redacted]")
    assert redactor.findings == []  # findings are recorded on the whole message at the end
    assert redactor.redact(text).count("[redacted]") == 2
    assert len(redactor.findings) == 2
