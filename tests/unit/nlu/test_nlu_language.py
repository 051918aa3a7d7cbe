"""Language detection: a clear vote switches, short or neutral answers keep the default."""

from __future__ import annotations

import pytest

from erni_agents.domain.types import Language
from erni_agents.llm.local.nlu import detect_language

DE, EN = Language.DE, Language.EN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Was kostet ein EFH mit 150 m2 in Holzbau?", DE),
        ("Wie ist der Stand meines Projekts 2024-089?", DE),
        ("Ich möchte einen Termin vereinbaren", DE),
        ("Wann habt ihr geöffnet?", DE),
        ("Gerne, nächsten Dienstag", DE),
        ("14 Uhr bitte", DE),
        ("Danke", DE),
        ("Ja", DE),
        ("Hallo", DE),
        ("Guten Tag, ich hätte gerne eine Offerte", DE),
        ("Am liebsten am Montag, 14 Uhr.", DE),
        ("Ich sehe euch am See", DE),
        ("How much would a 150m² single-family house cost?", EN),
        ("next Tuesday", EN),
        ("14:00 please", EN),
        ("timber please", EN),
        ("about 800 square meters", EN),
        ("Thanks", EN),
        ("yes", EN),
        ("What's the status of project 2024-178? I'm Frei.", EN),
        ("I'd like to book a consultation with an architect", EN),
    ],
)
def test_clear_language(text: str, expected: Language) -> None:
    # Both defaults: a clear message must win over either.
    assert detect_language(text, default=DE) is expected
    assert detect_language(text, default=EN) is expected


@pytest.mark.parametrize(
    "text",
    [
        "14:00",
        "ok",
        "Müller",
        "anna@x.ch",
        "John Smith, john.smith@example.com, +41 79 123 45 67",
        "Anna Keller, anna.keller@example.ch, 079 555 12 34",
        "Peter Brunner, peter at nowhere, +41 79 000",
        "2024-156",
        "",
        "Hi",
    ],
)
def test_unclear_keeps_default(text: str) -> None:
    assert detect_language(text, default=DE) is DE
    assert detect_language(text, default=EN) is EN


def test_accepts_plain_string_default() -> None:
    assert detect_language("ok", default="de") is DE
