import pytest

from erni_agents.domain.specialists import Specialist, by_type, load_specialists
from erni_agents.domain.types import SpecialistType


def test_all_specialists_are_loaded_from_data() -> None:
    specialists = load_specialists()
    assert len(specialists) == 6
    assert specialists[0] == Specialist("André Arnold", SpecialistType.ARCHITEKT, "Planung")


def test_every_type_has_two_specialists_in_file_order() -> None:
    assert [s.name for s in by_type(SpecialistType.HOLZBAU_INGENIEUR)] == [
        "Andreas Wermelinger",
        "Tobias Wili",
    ]
    assert [s.name for s in by_type("Bauleiter")] == ["Wolfgang Reinsch", "Marco Kaiser"]
    assert {s.department for s in by_type(SpecialistType.ARCHITEKT)} == {"Planung"}


def test_returned_list_is_a_copy() -> None:
    load_specialists().clear()
    assert len(load_specialists()) == 6


def test_unknown_type_is_rejected() -> None:
    with pytest.raises(ValueError):
        by_type("Maurer")
