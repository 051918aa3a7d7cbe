from datetime import date

import pytest

from erni_agents.domain import errors


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.InvalidArea(5, 10, 100_000), "invalid_area"),
        (errors.UnknownProjectType("x", ("A",)), "unknown_project_type"),
        (errors.UnknownConstructionType("x", ("A",)), "unknown_construction_type"),
        (errors.DateNotBookable(date(2026, 12, 5), "weekend"), "date_not_bookable"),
        (errors.InvalidSlotTime("10", ("09:00",)), "invalid_slot_time"),
        (errors.InvalidContact("email", "bad"), "invalid_contact"),
        (errors.ContactErrors({"email": "bad"}), "invalid_contact_data"),
    ],
)
def test_every_error_is_a_domain_error_with_stable_code(error: errors.DomainError, code: str) -> None:
    assert isinstance(error, errors.DomainError)
    assert error.code == code
    assert error.detail and str(error) == error.detail


def test_weekend_detail_names_the_weekday() -> None:
    assert "Saturday" in errors.DateNotBookable(date(2026, 12, 5), "weekend").detail


def test_contact_field_must_be_known() -> None:
    with pytest.raises(ValueError):
        errors.InvalidContact("address", "bad")  # type: ignore[arg-type]
