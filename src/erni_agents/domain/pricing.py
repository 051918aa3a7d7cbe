"""Preliminary cost estimates from the per-m² price list.

Prices live in ``erni_agents/data/pricing.json`` so sales can change them without a code change.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, TypeVar

from erni_agents.domain.errors import InvalidArea, UnknownConstructionType, UnknownProjectType
from erni_agents.domain.types import ConstructionType, ProjectType

MIN_AREA_SQM = 10
MAX_AREA_SQM = 100_000
# The upper bound covers the usual overrun between a per-m² estimate and the final offer.
MAX_FACTOR = Decimal("1.25")

PriceKey = tuple[ProjectType, ConstructionType]
_E = TypeVar("_E", ProjectType, ConstructionType)


@dataclass(frozen=True)
class CostEstimate:
    project_type: ProjectType
    construction_type: ConstructionType
    area_sqm: float
    price_per_sqm: int
    min_chf: int
    max_chf: int
    currency: str = "CHF"


@dataclass(frozen=True)
class PriceTable:
    # Excluded from the hash because a mapping is unhashable; equality still compares it.
    prices: Mapping[PriceKey, int] = field(hash=False)
    currency: str = "CHF"

    @classmethod
    def load(cls) -> PriceTable:
        """The packaged price list; parsed once per process."""
        return _load_packaged()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PriceTable:
        """Build a table from the pricing.json structure; a gap in the data is a deployment bug."""
        section = data["pricing"]
        prices: dict[PriceKey, int] = {}
        for project_type in ProjectType:
            for construction_type in ConstructionType:
                try:
                    value = section[project_type.value][construction_type.value]
                except KeyError as exc:
                    raise ValueError(f"pricing data lacks {project_type}/{construction_type}") from exc
                if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                    raise ValueError(f"price for {project_type}/{construction_type} must be a positive int")
                prices[(project_type, construction_type)] = value
        currency = str(data.get("notes", {}).get("currency", "CHF"))
        return cls(prices=MappingProxyType(prices), currency=currency)

    def price_per_sqm(
        self, project_type: ProjectType | str, construction_type: ConstructionType | str
    ) -> int:
        return self.prices[(coerce_project_type(project_type), coerce_construction_type(construction_type))]

    def estimate(
        self,
        project_type: ProjectType | str,
        construction_type: ConstructionType | str,
        area_sqm: float,
    ) -> CostEstimate:
        project = coerce_project_type(project_type)
        construction = coerce_construction_type(construction_type)
        check_area(area_sqm)
        price = self.prices[(project, construction)]
        # Decimal via str() so that e.g. 10.00025 m² is rounded as written, not as its binary float.
        min_chf = _round_half_up(Decimal(str(area_sqm)) * price)
        max_chf = _round_half_up(Decimal(min_chf) * MAX_FACTOR)
        return CostEstimate(
            project_type=project,
            construction_type=construction,
            area_sqm=float(area_sqm),
            price_per_sqm=price,
            min_chf=min_chf,
            max_chf=max_chf,
            currency=self.currency,
        )


def check_area(area_sqm: float) -> None:
    # bool is an int subclass; True m² is a caller bug, not an area.
    if isinstance(area_sqm, bool) or not isinstance(area_sqm, int | float):
        raise InvalidArea(area_sqm, MIN_AREA_SQM, MAX_AREA_SQM)
    if not math.isfinite(area_sqm) or not MIN_AREA_SQM <= area_sqm <= MAX_AREA_SQM:
        raise InvalidArea(area_sqm, MIN_AREA_SQM, MAX_AREA_SQM)


def coerce_project_type(value: ProjectType | str) -> ProjectType:
    """Accept the enum or its value in any letter case (LLM tool arguments are free text)."""
    if isinstance(value, ProjectType):
        return value
    match = _lookup(ProjectType, value)
    if match is None:
        raise UnknownProjectType(str(value), tuple(p.value for p in ProjectType))
    return match


def coerce_construction_type(value: ConstructionType | str) -> ConstructionType:
    if isinstance(value, ConstructionType):
        return value
    match = _lookup(ConstructionType, value)
    if match is None:
        raise UnknownConstructionType(str(value), tuple(c.value for c in ConstructionType))
    return match


def _lookup(enum: type[_E], value: object) -> _E | None:
    if not isinstance(value, str):
        return None
    wanted = value.strip().casefold()
    return next((member for member in enum if member.value.casefold() == wanted), None)


@lru_cache(maxsize=1)
def _load_packaged() -> PriceTable:
    raw = files("erni_agents").joinpath("data", "pricing.json").read_text(encoding="utf-8")
    return PriceTable.from_dict(json.loads(raw))


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def price_per_sqm(project_type: ProjectType | str, construction_type: ConstructionType | str) -> int:
    return PriceTable.load().price_per_sqm(project_type, construction_type)


def estimate(
    project_type: ProjectType | str, construction_type: ConstructionType | str, area_sqm: float
) -> CostEstimate:
    return PriceTable.load().estimate(project_type, construction_type, area_sqm)
