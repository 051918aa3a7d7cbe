"""Slot extraction on realistic customer phrasings beyond the evaluation dialogues.

Each case lists the fields it is about; ``None`` means "must not be found". Today is fixed to
Wednesday 25 November 2026.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from erni_agents.domain.types import ConstructionType as C
from erni_agents.domain.types import Language
from erni_agents.domain.types import ProjectType as P
from erni_agents.domain.types import SpecialistType as S
from erni_agents.llm.local.nlu import Extraction, extract

TODAY = date(2026, 11, 25)

ONE_SHOT = [
    (
        "Was kostet ein EFH mit 150 m2 in Holzbau?",
        {"project_type": P.EINFAMILIENHAUS, "area_sqm": 150.0, "construction_type": C.HOLZBAU},
    ),
    (
        "Wie viel kostet ein Einfamilienhaus mit 1'200 m2?",
        {"project_type": P.EINFAMILIENHAUS, "area_sqm": 1200.0},
    ),
    (
        "I need a quote for a 1,200 sq m apartment building, prefab",
        {"project_type": P.MEHRFAMILIENHAUS, "area_sqm": 1200.0, "construction_type": C.SYSTEMBAU},
    ),
    (
        "Einfamilienhaus, 180m2, Systembau",
        {"project_type": P.EINFAMILIENHAUS, "area_sqm": 180.0, "construction_type": C.SYSTEMBAU},
    ),
    (
        "We want to renovate our single family house, about 140 sqm, timber",
        {"project_type": P.RENOVATION, "area_sqm": 140.0, "construction_type": C.HOLZBAU},
    ),
    ("Wir planen einen Kuhstall, etwa 600 Quadratmeter", {"project_type": P.AGRAR, "area_sqm": 600.0}),
    (
        "Ich bin Landwirt und brauche eine neue Scheune mit 800 m²",
        {"project_type": P.AGRAR, "area_sqm": 800.0, "last_name": None},
    ),
    (
        "I want to build a barn of 500 m2 in timber, what would that cost approximately?",
        {"project_type": P.AGRAR, "area_sqm": 500.0, "construction_type": C.HOLZBAU},
    ),
    ("wie teuer wäre ein modulares Haus mit 90m2?", {"construction_type": C.SYSTEMBAU, "area_sqm": 90.0}),
    ("Wir wollen aufstocken, ca. 60m2", {"project_type": P.RENOVATION, "area_sqm": 60.0}),
    (
        "single famly house 200 m2 tmber",
        {"project_type": P.EINFAMILIENHAUS, "area_sqm": 200.0, "construction_type": C.HOLZBAU},
    ),
    (
        "Mehrfamilienhaus in Systembauweise, Wohnfläche 950",
        {"project_type": P.MEHRFAMILIENHAUS, "construction_type": C.SYSTEMBAU, "area_sqm": 950.0},
    ),
    (
        "Dachaufstockung in Holzbauweise, 80 Quadratmetern",
        {"project_type": P.RENOVATION, "construction_type": C.HOLZBAU, "area_sqm": 80.0},
    ),
    (
        "Price for a prefab detached house of 2000 sq ft?",
        {"project_type": P.EINFAMILIENHAUS, "construction_type": C.SYSTEMBAU, "area_sqm": 185.8},
    ),
    ("Ich möchte mein Bauernhaus umbauen", {"project_type": P.RENOVATION}),
    ("Hello, I want to build a wooden house", {"project_type": None, "construction_type": C.HOLZBAU}),
    ("Ich möchte einen Termin mit einem Holzbau-Ingenieur", {"construction_type": None}),
]

AREAS = [
    ("150m²", {"area_sqm": 150.0}),
    ("150 m2", {"area_sqm": 150.0}),
    ("150 sqm", {"area_sqm": 150.0}),
    ("1.200 m2", {"area_sqm": 1200.0}),
    ("120,5 m2", {"area_sqm": 120.5}),
    ("1 200 m²", {"area_sqm": 1200.0}),
    ("about 800 square meters", {"area_sqm": 800.0, "bare_number": None}),
    ("ca. 120 qm", {"area_sqm": 120.0}),
    ("Wohnfläche 160 m2, Grundstück 800 m2", {"area_sqm": 160.0}),
    ("We have a plot of 800 m2 and want a house with 150 m2", {"area_sqm": 150.0}),
    ("Grundstück 800 m2", {"area_sqm": None}),
    ("Ein Haus mit 150 - 180 m2", {"area_sqm": 180.0, "area_raw_invalid": None}),
    ("zwischen 150 und 200 Quadratmeter", {"area_sqm": 200.0}),
    ("-50 m2", {"area_sqm": None, "area_raw_invalid": -50.0}),
    ("minus 20 m2", {"area_sqm": None, "area_raw_invalid": -20.0}),
    ("0 m2", {"area_sqm": None, "area_raw_invalid": 0.0}),
    ("150", {"area_sqm": None, "bare_number": 150.0}),
    ("about 150", {"bare_number": 150.0}),
    ("Wir bauen ein Mehrfamilienhaus mit 12 Wohnungen", {"bare_number": None, "area_sqm": None}),
    ("for 2 people", {"bare_number": None}),
    ("We plan to move in 2027", {"bare_number": None, "date": None}),
    ("Haus Baujahr 1965, ca. 200 m2 Wohnfläche", {"area_sqm": 200.0, "bare_number": None}),
]

CORRECTIONS = [
    ("Nein, 200 m2", {"area_sqm": 200.0}),
    ("No, I meant 200 m2 not 150 m2", {"area_sqm": 200.0}),
    ("Sorry, I meant 200 square metres", {"area_sqm": 200.0}),
    ("nicht 150 m2, sondern 200", {"area_sqm": 200.0, "bare_number": None}),
    ("200 m2 instead of 150 m2", {"area_sqm": 200.0}),
    ("I said 150, not 200", {"bare_number": 150.0}),
    ("Eigentlich lieber Systembau", {"construction_type": C.SYSTEMBAU}),
    ("Actually make it a multi-family house", {"project_type": P.MEHRFAMILIENHAUS}),
    ("not a single-family house but an apartment building", {"project_type": P.MEHRFAMILIENHAUS}),
    ("Not Tuesday, Wednesday please", {"date": date(2026, 12, 2)}),
    ("Lieber 16 Uhr statt 14 Uhr", {"time": time(16, 0)}),
    ("14 Uhr geht nicht, lieber 16 Uhr", {"time": time(16, 0)}),
    ("Der Termin am 7. Dezember passt mir nicht, lieber am 9.", {"date": date(2026, 12, 9)}),
    ("Lieber mit der Bauleitung", {"specialist_type": S.BAULEITER}),
    ("not an architect, rather an engineer", {"specialist_type": S.HOLZBAU_INGENIEUR}),
    ("kein Architekt", {"specialist_type": None}),
]

DATES_AND_TIMES = [
    ("next Tuesday", {"date": date(2026, 12, 1)}),
    ("next Thursday", {"date": date(2026, 11, 26)}),
    ("nächsten Mittwoch", {"date": date(2026, 12, 2)}),
    ("am Freitag", {"date": date(2026, 11, 27)}),
    ("Wednesday", {"date": date(2026, 12, 2)}),
    ("diesen Freitag", {"date": date(2026, 11, 27)}),
    ("this Wednesday", {"date": date(2026, 11, 25)}),
    ("übernächsten Dienstag", {"date": date(2026, 12, 8)}),
    ("Tuesday after next", {"date": date(2026, 12, 8)}),
    ("nächste Woche Donnerstag um 14 Uhr", {"date": date(2026, 12, 3), "time": time(14, 0)}),
    ("Tuesday next week", {"date": date(2026, 12, 1)}),
    ("tomorrow", {"date": date(2026, 11, 26)}),
    ("morgen um 16.00", {"date": date(2026, 11, 26), "time": time(16, 0)}),
    ("übermorgen", {"date": date(2026, 11, 27)}),
    ("the day after tomorrow at 2 pm", {"date": date(2026, 11, 27), "time": time(14, 0)}),
    ("heute um 16 Uhr", {"date": date(2026, 11, 25), "time": time(16, 0)}),
    ("Guten Morgen, ich möchte einen Termin am Freitag", {"date": date(2026, 11, 27), "daypart": None}),
    ("on 3 December at 4 pm", {"date": date(2026, 12, 3), "time": time(16, 0)}),
    ("am 3.12.", {"date": date(2026, 12, 3), "time": None}),
    ("am 3.12", {"date": date(2026, 12, 3), "time": None}),
    ("3.12.2026 14:00", {"date": date(2026, 12, 3), "time": time(14, 0)}),
    ("am 03.12.26", {"date": date(2026, 12, 3)}),
    ("2026-12-03 at 9am", {"date": date(2026, 12, 3), "time": time(9, 0)}),
    ("1/12/2026", {"date": date(2026, 12, 1)}),
    ("am 1. Dezember 2026", {"date": date(2026, 12, 1)}),
    ("Freitag, 27. November", {"date": date(2026, 11, 27)}),
    ("December 3", {"date": date(2026, 12, 3)}),
    ("Dec 3rd at 2:30pm", {"date": date(2026, 12, 3), "time": time(14, 30)}),
    ("3rd of December", {"date": date(2026, 12, 3)}),
    ("the first of December", {"date": date(2026, 12, 1)}),
    ("am zweiten Dezember", {"date": date(2026, 12, 2)}),
    ("am 3. November", {"date": date(2027, 11, 3)}),  # past day without year: next year
    ("Can we meet on Monday the 7th?", {"date": date(2026, 12, 7)}),
    ("the 3rd", {"date": date(2026, 12, 3)}),
    ("in two weeks at 14:00", {"date": date(2026, 12, 9), "time": time(14, 0)}),
    ("in zwei Wochen", {"date": date(2026, 12, 9)}),
    ("in 3 Tagen", {"date": date(2026, 11, 28)}),
    ("a week from today", {"date": date(2026, 12, 2)}),
    ("next week", {"date": None}),
    ("im Dezember", {"date": None}),
    ("Dienstagnachmittag wäre gut", {"date": date(2026, 12, 1), "daypart": "afternoon"}),
    ("Montagmorgen um 9", {"date": date(2026, 11, 30), "time": time(9, 0), "daypart": "morning"}),
    ("morgen früh", {"date": date(2026, 11, 26), "daypart": "morning"}),
    ("14:00 please", {"time": time(14, 0)}),
    ("14 Uhr", {"time": time(14, 0)}),
    ("um 16 Uhr", {"time": time(16, 0)}),
    ("at 9", {"time": time(9, 0)}),
    ("9am", {"time": time(9, 0)}),
    ("2 pm", {"time": time(14, 0)}),
    ("16.00", {"time": time(16, 0)}),
    ("14.00 Uhr", {"time": time(14, 0)}),
    ("16h", {"time": time(16, 0)}),
    ("um 2", {"time": time(14, 0)}),
    ("um vier", {"time": time(16, 0)}),
    ("at nine please", {"time": time(9, 0)}),
    ("at 4 in the afternoon", {"time": time(16, 0), "daypart": "afternoon"}),
    ("halb drei", {"time": time(14, 30)}),
    ("Preferably the 14:00 slot", {"time": time(14, 0)}),
    # Numbers that are no times.
    ("What's the status of project 2024-156?", {"time": None, "date": None}),
    ("um 150 m2", {"time": None, "area_sqm": 150.0}),
    ("at 24/7", {"time": None, "date": None}),
    ("Budget 12.50 CHF pro m2", {"time": None}),
]

CONTACT = [
    (
        "Mein Name ist Anna Keller, anna.keller@example.ch, 079 555 12 34",
        {
            "person_name": "Anna Keller",
            "last_name": "Keller",
            "email": "anna.keller@example.ch",
            "phone": "079 555 12 34",
        },
    ),
    (
        "my name is Peter Brunner and my email is peter.brunner@gmail.com",
        {"person_name": "Peter Brunner", "email": "peter.brunner@gmail.com", "email_raw": None},
    ),
    ("ich heisse Hans Muster, Tel. 041 123 45 67", {"person_name": "Hans Muster", "phone": "041 123 45 67"}),
    ("Ich heiße Jürg von Gunten", {"person_name": "Jürg von Gunten", "last_name": "von Gunten"}),
    (
        "Kontakt: Anna Keller, Tel 041 555 66 77, anna@keller.ch",
        {"person_name": "Anna Keller", "phone": "041 555 66 77", "email": "anna@keller.ch"},
    ),
    (
        "Anna Keller anna.keller@example.ch 0795551234",
        {"person_name": "Anna Keller", "phone": "0795551234", "bare_number": None},
    ),
    ("Hi, I'm Sarah Miller and I'd like to book a consultation", {"person_name": "Sarah Miller"}),
    ("Best regards\nJohn Smith", {"person_name": "John Smith"}),
    ("Name: Anna Keller", {"person_name": "Anna Keller", "last_name": "Keller"}),
    ("my number is 079 123 45 67", {"phone": "079 123 45 67"}),
    ("Meine Telefonnummer: 0041 79 123 45 67", {"phone": "0041 79 123 45 67"}),
    ("+41791234567", {"phone": "+41791234567", "bare_number": None}),
    ("Please reach me at +41 (0)79 123 45 67", {"phone": "+41 (0)79 123 45 67", "time": None}),
    ("Email: anna.keller(at)gmail.com", {"email": "anna.keller@gmail.com"}),
    ("My email is JOHN.Smith@Example.COM", {"email": "JOHN.Smith@example.com"}),
    ("peter@nowhere", {"email": None, "email_raw": "peter@nowhere"}),
    ("my email: anna.keller@example", {"email": None, "email_raw": "anna.keller@example"}),
    ("e-mail: anna.keller", {"email_raw": "anna.keller"}),
    ("Can you send me the offer by email tomorrow?", {"email_raw": None, "email": None}),
    ("meine Mail ist peter at nowhere", {"email_raw": "peter at nowhere"}),
]

NAMES_AND_PROJECTS = [
    ("ich bin Frau Huber", {"last_name": "Huber", "person_name": None}),
    ("Hier ist Müller", {"last_name": "Müller"}),
    ("I am Mr. Frei", {"last_name": "Frei"}),
    ("Frau Keller-Meier", {"last_name": "Keller-Meier"}),
    ("Müller", {"bare_word": "Müller", "last_name": None}),
    ("I'm Swiss", {"last_name": None}),
    ("Holzbau", {"bare_word": None}),
    ("Danke", {"bare_word": None}),
    ("I'm interested in a single family house", {"last_name": None, "person_name": None}),
    ("This is Anna from Zug", {"last_name": None, "location": "Zug"}),
    (
        "Wann ist mein Haus fertig? Projekt 2024 156, Huber",
        {"project_number": "2024-156", "last_name": "Huber"},
    ),
    ("2024-156 Meier", {"project_number": "2024-156", "last_name": "Meier"}),
    (
        "Wie ist der Stand? Nummer 2023-045, Nachname Schmid",
        {"project_number": "2023-045", "last_name": "Schmid"},
    ),
    (
        "project 2024-156 please, surname is Meier-Huber",
        {"project_number": "2024-156", "last_name": "Meier-Huber"},
    ),
    ("How is my project going? Number 2024-156", {"project_number": "2024-156", "phone": None}),
    ("Projekt Nr. 2024/156", {"project_number": "2024-156"}),
    ("#2024-156", {"project_number": "2024-156"}),
    ("Projektnummer 24-156", {"project_number": None, "project_number_raw": "24-156"}),
    ("2024-1567", {"project_number": None, "project_number_raw": "2024-1567", "bare_number": None}),
]

BUDGET_LOCATION_OTHER = [
    ("Budget von 900'000 CHF, EFH in Holz", {"budget_chf": 900000.0, "project_type": P.EINFAMILIENHAUS}),
    ("our budget is 800k", {"budget_chf": 800000.0, "bare_number": None}),
    ("Budget max. CHF 1.2 Mio", {"budget_chf": 1200000.0}),
    ("We have around 1.5 million budget", {"budget_chf": 1500000.0}),
    ("Wir haben ein Budget von 1,2 Mio. Franken für ein Holzhaus", {"budget_chf": 1200000.0}),
    ("Budget: 650'000.-", {"budget_chf": 650000.0}),
    ("Is CHF 600'000 enough?", {"budget_chf": 600000.0}),
    ("Wir bauen in Luzern ein Mehrfamilienhaus", {"location": "Luzern"}),
    ("We live near Sursee", {"location": "Sursee"}),
    ("Ich bin aus Emmenbrücke", {"location": "Emmenbrücke"}),
    ("in Holzbauweise", {"location": None}),
    ("in Ordnung", {"location": None}),
    ("Ich baue ein Bürogebäude", {"project_type": None, "project_type_other": "Bürogebäude"}),
    (
        "We'd prefer concrete construction",
        {"construction_type": None, "construction_other": "concrete construction"},
    ),
]

CONVERSATION_SNIPPETS = [
    ("My surname is actually Müller-Schmid", {"last_name": "Müller-Schmid"}),
    ("Ist es möglich, ein bestehendes Haus aufzustocken?", {"project_type": P.RENOVATION}),
    (
        "Maria Rossi, maria.rossi@bluewin.ch, 078 912 34 56",
        {"person_name": "Maria Rossi", "email": "maria.rossi@bluewin.ch", "phone": "078 912 34 56"},
    ),
    (
        "Wir sind ein Bauernbetrieb im Entlebuch und brauchen einen neuen Laufstall für 40 Kühe.",
        {"project_type": P.AGRAR, "location": "Entlebuch", "bare_number": None, "area_sqm": None},
    ),
    ("zwei Geschosse, je 90 m2", {"area_sqm": 90.0}),
    ("Thursday morning would suit us best", {"date": date(2026, 11, 26), "daypart": "morning", "time": None}),
    ("9 o'clock works", {"time": time(9, 0)}),
    ("Hat der Architekt am 2. Dezember Zeit?", {"specialist_type": S.ARCHITEKT, "date": date(2026, 12, 2)}),
    ("Nein, das stimmt nicht. Ich heisse Meyer, nicht Meier.", {"last_name": "Meyer"}),
]

ALL = (
    CONVERSATION_SNIPPETS
    + ONE_SHOT
    + AREAS
    + CORRECTIONS
    + DATES_AND_TIMES
    + CONTACT
    + NAMES_AND_PROJECTS
    + BUDGET_LOCATION_OTHER
)


@pytest.mark.parametrize(("text", "expected"), ALL, ids=[c[0][:50] for c in ALL])
def test_extraction(text: str, expected: dict[str, Any]) -> None:
    found = extract(text, today=TODAY, lang=Language.EN)
    actual = {key: getattr(found, key) for key in expected}
    assert actual == expected, found.filled()


def test_today_is_honoured() -> None:
    # The same words on a Sunday give different dates.
    sunday = date(2026, 11, 29)
    assert extract("next Tuesday", today=sunday, lang=Language.EN).date == date(2026, 12, 1)
    assert extract("morgen", today=sunday, lang=Language.DE).date == date(2026, 11, 30)
    assert extract("am 27.11.", today=sunday, lang=Language.DE).date == date(2027, 11, 27)


def test_extraction_is_a_frozen_value() -> None:
    found = extract("150 m2", today=TODAY, lang=Language.EN)
    assert isinstance(found, Extraction)
    with pytest.raises(AttributeError):
        found.area_sqm = 1.0  # type: ignore[misc]
    assert extract("", today=TODAY, lang=Language.EN).filled() == {}


def test_rejected_values_are_reported() -> None:
    assert extract("nicht am Dienstag", today=TODAY, lang=Language.DE).rejected == ("date",)
    assert extract("not 150 m2", today=TODAY, lang=Language.EN).rejected == ("area_sqm",)
