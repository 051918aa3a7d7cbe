import json
import math
from importlib.resources import files

import pytest

from erni_agents.domain.errors import InvalidArea, UnknownConstructionType, UnknownProjectType
from erni_agents.domain.pricing import (
    MAX_AREA_SQM,
    MIN_AREA_SQM,
    CostEstimate,
    PriceTable,
    estimate,
    price_per_sqm,
)
from erni_agents.domain.types import ConstructionType as C
from erni_agents.domain.types import ProjectType as P


@pytest.mark.parametrize(
    ("project", "construction", "area", "price", "low", "high"),
    [
        (P.EINFAMILIENHAUS, C.HOLZBAU, 150, 3000, 450_000, 562_500),
        (P.EINFAMILIENHAUS, C.SYSTEMBAU, 150, 2500, 375_000, 468_750),
        (P.MEHRFAMILIENHAUS, C.HOLZBAU, 400, 2800, 1_120_000, 1_400_000),
        (P.MEHRFAMILIENHAUS, C.SYSTEMBAU, 400, 2300, 920_000, 1_150_000),
        (P.AGRAR, C.HOLZBAU, 800, 2000, 1_600_000, 2_000_000),
        (P.AGRAR, C.SYSTEMBAU, 800, 1800, 1_440_000, 1_800_000),
        (P.RENOVATION, C.HOLZBAU, 120, 1500, 180_000, 225_000),
        (P.RENOVATION, C.SYSTEMBAU, 120, 1200, 144_000, 180_000),
    ],
)
def test_all_eight_price_combinations(
    project: P, construction: C, area: float, price: int, low: int, high: int
) -> None:
    result = estimate(project, construction, area)
    assert result == CostEstimate(project, construction, float(area), price, low, high, "CHF")
    assert price_per_sqm(project, construction) == price


def test_prices_come_from_the_data_file() -> None:
    data = json.loads(files("erni_agents").joinpath("data", "pricing.json").read_text(encoding="utf-8"))
    table = PriceTable.load()
    for project in P:
        for construction in C:
            assert table.price_per_sqm(project, construction) == data["pricing"][project][construction]


def test_default_table_is_loaded_once() -> None:
    assert PriceTable.load() is PriceTable.load()


@pytest.mark.parametrize("area", [MIN_AREA_SQM, 10.0, MAX_AREA_SQM, 100_000.0])
def test_area_bounds_are_inclusive(area: float) -> None:
    result = estimate(P.AGRAR, C.HOLZBAU, area)
    assert result.min_chf == round(area * 2000)


@pytest.mark.parametrize("area", [9.99, 100_000.01, 0, -1, -150.0, math.nan, math.inf, -math.inf])
def test_area_out_of_range_is_rejected_with_the_allowed_range(area: float) -> None:
    with pytest.raises(InvalidArea) as info:
        estimate(P.EINFAMILIENHAUS, C.HOLZBAU, area)
    assert info.value.code == "invalid_area"
    assert "10" in info.value.detail and "100,000" in info.value.detail
    assert info.value.min_sqm == 10 and info.value.max_sqm == 100_000


def test_bool_is_not_an_area() -> None:
    with pytest.raises(InvalidArea):
        estimate(P.EINFAMILIENHAUS, C.HOLZBAU, True)


def test_min_rounds_half_up_not_to_even() -> None:
    # 10.00025 m² × 2000 = 20000.5 → 20001 (banker's rounding would give 20000).
    result = estimate(P.AGRAR, C.HOLZBAU, 10.00025)
    assert result.min_chf == 20_001
    assert result.max_chf == 25_001  # 20001 × 1.25 = 25001.25


def test_max_rounds_half_up_not_to_even() -> None:
    # 10.001 m² × 2000 = 20002; × 1.25 = 25002.5 → 25003 (banker's rounding would give 25002).
    result = estimate(P.AGRAR, C.HOLZBAU, 10.001)
    assert (result.min_chf, result.max_chf) == (20_002, 25_003)


def test_results_are_integers() -> None:
    result = estimate(P.RENOVATION, C.SYSTEMBAU, 33.33)
    assert type(result.min_chf) is int and type(result.max_chf) is int
    assert result.min_chf == 39_996  # 33.33 × 1200 = 39996.0


def test_string_types_are_accepted_case_insensitively() -> None:
    result = estimate(" einfamilienhaus ", "HOLZBAU", 150)
    assert result.project_type is P.EINFAMILIENHAUS
    assert result.construction_type is C.HOLZBAU
    assert result.min_chf == 450_000


def test_unknown_project_type() -> None:
    with pytest.raises(UnknownProjectType) as info:
        estimate("Hochhaus", C.HOLZBAU, 150)
    assert info.value.code == "unknown_project_type"
    assert "Einfamilienhaus" in info.value.detail


def test_unknown_construction_type() -> None:
    with pytest.raises(UnknownConstructionType):
        estimate(P.AGRAR, "Massivbau", 150)


def test_type_is_checked_before_area() -> None:
    with pytest.raises(UnknownProjectType):
        estimate("Hochhaus", C.HOLZBAU, -5)


def test_incomplete_price_data_is_rejected() -> None:
    data = {"pricing": {"Einfamilienhaus": {"Holzbau": 3000}}}
    with pytest.raises(ValueError, match="lacks"):
        PriceTable.from_dict(data)


def test_custom_table_is_used() -> None:
    data = {"pricing": {p.value: {c.value: 100 for c in C} for p in P}, "notes": {"currency": "EUR"}}
    result = PriceTable.from_dict(data).estimate(P.AGRAR, C.HOLZBAU, 10)
    assert (result.min_chf, result.max_chf, result.currency) == (1000, 1250, "EUR")


def test_non_positive_price_in_data_is_rejected() -> None:
    data = {"pricing": {p.value: {c.value: 100 for c in C} for p in P}}
    data["pricing"]["Agrar"]["Holzbau"] = 0
    with pytest.raises(ValueError, match="positive"):
        PriceTable.from_dict(data)
