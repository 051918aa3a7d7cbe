import pytest

from erni_agents.domain.verification import (
    MAX_STATUS_ATTEMPTS,
    attempts_exhausted,
    last_name_matches,
    normalise_project_number,
    remaining_attempts,
)


@pytest.mark.parametrize(
    "text",
    [
        "2024-156",
        "2024 156",
        "2024/156",
        "Projekt 2024-156",
        "  2024 - 156 ",
        "2024–156",
        "Meine Projektnummer ist 2024-156, Name Meier.",
        "Projekt-Nr. 2024-156 und nochmals 2024/156",
    ],
)
def test_project_number_is_normalised(text: str) -> None:
    assert normalise_project_number(text) == "2024-156"


@pytest.mark.parametrize(
    "text",
    ["", "156", "2024", "2024-15", "2024-1567", "12024-156", "24-156", "2024-156 oder 2023-099", "ABCD-156"],
)
def test_invalid_or_ambiguous_project_numbers_give_none(text: str) -> None:
    assert normalise_project_number(text) is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("meier", "Meier"),
        ("  MEIER ", "Meier"),
        ("Müller", "Mueller"),
        ("Mueller", "Müller"),
        ("Muller", "Müller"),
        ("MÜLLER", "müller"),
        ("Strasser", "Straßer"),
        ("Zoe", "Zoë"),
        ("van der Berg", "Van der  Berg"),
        ("D'Angelo", "D’Angelo"),
        ("Mu\u0308ller", "Müller"),  # decomposed umlaut
    ],
)
def test_last_name_matches_despite_spelling_conventions(given: str, stored: str) -> None:
    assert last_name_matches(given, stored)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Meyer", "Meier"),
        ("Meier", "Meierhans"),
        ("Mueller", "Muller"),
        ("", "Meier"),
        ("   ", ""),
        ("Meier-Frei", "Meier"),
    ],
)
def test_last_name_mismatch(given: str, stored: str) -> None:
    assert not last_name_matches(given, stored)


def test_attempt_limit() -> None:
    assert MAX_STATUS_ATTEMPTS == 5
    assert not attempts_exhausted(0)
    assert not attempts_exhausted(4)
    assert attempts_exhausted(5)
    assert attempts_exhausted(6)
    assert remaining_attempts(3) == 2
    assert remaining_attempts(7) == 0
