"""Synonym normalisation shared by the tools and the NLU."""

from __future__ import annotations

import pytest

from erni_agents.domain.types import ConstructionType, ProjectType, SpecialistType
from erni_agents.domain.vocab import (
    fold,
    normalise_construction_type,
    normalise_project_type,
    normalise_specialist_type,
)

EFH, MFH, AGRAR, RENO = (
    ProjectType.EINFAMILIENHAUS,
    ProjectType.MEHRFAMILIENHAUS,
    ProjectType.AGRAR,
    ProjectType.RENOVATION,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Einfamilienhaus", EFH),
        ("einfamilienhaus", EFH),
        ("EINFAMILIENHAUS", EFH),
        ("single-family", EFH),
        ("single family home", EFH),
        ("Single-Family House", EFH),
        ("detached house", EFH),
        ("EFH", EFH),
        ("Eigenheim", EFH),
        ("Einfamilienhäuser", EFH),
        ("Holzbau-Einfamilienhaus", EFH),
        ("a bungalow", EFH),
        ("Einfamilienhuas", EFH),
        ("singel family house", EFH),
        ("Mehrfamilienhaus", MFH),
        ("multi-family", MFH),
        ("multi family house", MFH),
        ("apartment building", MFH),
        ("MFH", MFH),
        ("Wohnüberbauung", MFH),
        ("Mehrfamilenhaus", MFH),
        ("a building with 8 apartments", MFH),
        ("Mehrfamilienhaus mit 8 Wohnungen", MFH),
        ("Zweifamilienhaus", MFH),
        ("Agrar", AGRAR),
        ("barn", AGRAR),
        ("stable", AGRAR),
        ("Stall", AGRAR),
        ("Kuhstall", AGRAR),
        ("Stallungen", AGRAR),
        ("farm building", AGRAR),
        ("agricultural", AGRAR),
        ("Scheune", AGRAR),
        ("Landwirtschaft", AGRAR),
        ("A barn for my farm", AGRAR),
        ("Renovation", RENO),
        ("renovation", RENO),
        ("refurbishment", RENO),
        ("Sanierung", RENO),
        ("sanieren", RENO),
        ("Umbau", RENO),
        ("Renovierung", RENO),
        ("Dachaufstockung", RENO),
        ("Wir möchten unser Haus sanieren", RENO),
        # Renovation is what gets priced, whatever building it applies to.
        ("renovate our single-family house", RENO),
        ("Umbau einer Scheune", RENO),
        # Negation and corrections.
        ("not a single-family house but a multi-family house", MFH),
        ("kein EFH, sondern ein MFH", MFH),
        ("No, a multi-family house", MFH),
    ],
)
def test_project_type(text: str, expected: ProjectType) -> None:
    assert normalise_project_type(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "wooden house",
        "Haus",
        "a house",
        "farmhouse",
        "Installation",
        "my project has stalled",
        "a stable construction",
        "",
        "Garage",
        "office building",
    ],
)
def test_project_type_unknown_is_none(text: str) -> None:
    assert normalise_project_type(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Holzbau", ConstructionType.HOLZBAU),
        ("HOLZBAU", ConstructionType.HOLZBAU),
        ("timber", ConstructionType.HOLZBAU),
        ("wood", ConstructionType.HOLZBAU),
        ("wooden", ConstructionType.HOLZBAU),
        ("Holz", ConstructionType.HOLZBAU),
        ("Holzbauweise", ConstructionType.HOLZBAU),
        ("timber frame", ConstructionType.HOLZBAU),
        ("timbre", ConstructionType.HOLZBAU),
        ("Systembau", ConstructionType.SYSTEMBAU),
        ("system build", ConstructionType.SYSTEMBAU),
        ("system-built", ConstructionType.SYSTEMBAU),
        ("prefab", ConstructionType.SYSTEMBAU),
        ("prefabricated", ConstructionType.SYSTEMBAU),
        ("modular", ConstructionType.SYSTEMBAU),
        ("Systembauweise", ConstructionType.SYSTEMBAU),
        ("Elementbau", ConstructionType.SYSTEMBAU),
        ("Systembauwiese", ConstructionType.SYSTEMBAU),
        ("prefabricated timber elements", ConstructionType.SYSTEMBAU),
        ("in Holzbau, nicht Systembau", ConstructionType.HOLZBAU),
    ],
)
def test_construction_type(text: str, expected: ConstructionType) -> None:
    assert normalise_construction_type(text) is expected


@pytest.mark.parametrize(
    "text", ["Holzbau-Ingenieur", "timber engineer", "ist gebaut worden", "concrete", ""]
)
def test_construction_type_unknown_is_none(text: str) -> None:
    assert normalise_construction_type(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Architekt", SpecialistType.ARCHITEKT),
        ("architect", SpecialistType.ARCHITEKT),
        ("Architektin", SpecialistType.ARCHITEKT),
        ("planner", SpecialistType.ARCHITEKT),
        ("Planer", SpecialistType.ARCHITEKT),
        ("archtect", SpecialistType.ARCHITEKT),
        ("Architeckt", SpecialistType.ARCHITEKT),
        ("Holzbau-Ingenieur", SpecialistType.HOLZBAU_INGENIEUR),
        ("HOLZBAU_INGENIEUR", SpecialistType.HOLZBAU_INGENIEUR),
        ("engineer", SpecialistType.HOLZBAU_INGENIEUR),
        ("timber engineer", SpecialistType.HOLZBAU_INGENIEUR),
        ("Ingenieur", SpecialistType.HOLZBAU_INGENIEUR),
        ("structural engineer", SpecialistType.HOLZBAU_INGENIEUR),
        ("Tragwerksplaner", SpecialistType.HOLZBAU_INGENIEUR),
        ("Ingeneur", SpecialistType.HOLZBAU_INGENIEUR),
        ("Bauleiter", SpecialistType.BAULEITER),
        ("Bauleitung", SpecialistType.BAULEITER),
        ("construction manager", SpecialistType.BAULEITER),
        ("site manager", SpecialistType.BAULEITER),
        ("Bauführer", SpecialistType.BAULEITER),
        ("not an architect but an engineer", SpecialistType.HOLZBAU_INGENIEUR),
    ],
)
def test_specialist_type(text: str, expected: SpecialistType) -> None:
    assert normalise_specialist_type(text) is expected


@pytest.mark.parametrize("text", ["Architektur", "manager", "", "someone"])
def test_specialist_type_unknown_is_none(text: str) -> None:
    assert normalise_specialist_type(text) is None


def test_fold_keeps_positions() -> None:
    text = "Grüße aus Zürich – Straße"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "gruse aus zurich - strase"
