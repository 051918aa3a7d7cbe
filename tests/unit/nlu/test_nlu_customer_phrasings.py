"""Phrasings found while writing the per-agent flow tests: past days, too-short phone numbers,
a name given as a lower-case label, the process question "wie läuft ... ab", meeting a specialist.
Today is Wednesday 25 November 2026."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from erni_agents.llm.local.nlu import Intent, classify_intents, extract
from erni_agents.llm.local.policy import search_question

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("book an engineer for yesterday at 9", {"date": date(2026, 11, 24), "time": time(9, 0)}),
        ("Ich möchte gestern einen Termin", {"date": date(2026, 11, 24)}),
        ("vorgestern", {"date": date(2026, 11, 23), "bare_word": None}),
        ("the day before yesterday", {"date": date(2026, 11, 23)}),
        ("last friday", {"date": date(2026, 11, 20)}),
        ("letzten Mittwoch um 9", {"date": date(2026, 11, 18), "time": time(9, 0)}),
        ("gestern morgen", {"date": date(2026, 11, 24)}),
    ],
)
def test_past_days_are_dates(message: str, expected: dict[str, Any]) -> None:
    found = extract(message, today=TODAY).filled()
    for key, value in expected.items():
        assert found.get(key) == value, (message, found)


@pytest.mark.parametrize(
    ("message", "phone", "phone_raw"),
    [
        ("Lisa Meyer, lisa@meyer.ch, 12345", None, "12345"),
        ("Max Muster, max@muster, 044 12", None, "044 12"),
        ("my phone is 123", None, "123"),
        ("ich heisse Anna Müller, anna@x.ch, tel 555", None, "555"),
        ("John Smith, john.smith@example.com, 079 123 45 67", "079 123 45 67", None),
        ("anna@x.ch und 044 123 45 67", "044 123 45 67", None),
        # Without a phone cue or other contact data a short number is no phone attempt.
        ("ca. 120 qm", None, None),
        ("95", None, None),
    ],
)
def test_too_short_phone_numbers_are_kept_raw(message: str, phone: str | None, phone_raw: str | None) -> None:
    found = extract(message, today=TODAY)
    assert (found.phone, found.phone_raw) == (phone, phone_raw)


@pytest.mark.parametrize(
    ("message", "last_name"),
    [
        ("wie weit ist unser haus? projektnr 2024-178, name frei", "frei"),
        ("2024-156, nachname meier", "meier"),
        ("Projekt 2024-089 und Name Huber", "Huber"),
    ],
)
def test_a_name_label_without_colon(message: str, last_name: str) -> None:
    assert extract(message, today=TODAY).last_name == last_name


@pytest.mark.parametrize(
    ("message", "task"),
    [
        ("Wie läuft so ein Bauprojekt bei euch ab?", Intent.INFO),
        ("Wie läuft ein Bauprojekt mit ERNI ab?", Intent.INFO),
        ("wie läuft es mit meinem Projekt?", Intent.STATUS),
        ("wie läuft unser Bau?", Intent.STATUS),
        ("I want to meet an architect", Intent.BOOKING),
        ("I would like to see one of your engineers", Intent.BOOKING),
        ("What happens during the planning phase?", Intent.INFO),
    ],
)
def test_task_of_customer_phrasings(message: str, task: Intent) -> None:
    assert classify_intents(message, "de").task() == task


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("btw do you guys have the minergie label?", "do you have the minergie label?"),
        ("Ok, und wo seid ihr?", "wo seid ihr?"),
        ("Übrigens, habt ihr Leute offene Stellen?", "habt ihr offene Stellen?"),
        ("wie sind eure Öffnungszeiten?", "wie sind eure Öffnungszeiten?"),
        ("ok", "ok"),
    ],
)
def test_search_question_leaves_out_chat_fillers(message: str, question: str) -> None:
    assert search_question(message) == question
