"""The specialists customers can book, as listed in ``erni_agents/data/specialists.json``."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from erni_agents.domain.types import SpecialistType


@dataclass(frozen=True)
class Specialist:
    name: str
    type: SpecialistType
    department: str


def read_specialists_data() -> dict[str, Any]:
    """Raw specialists.json; scheduling reads its policy fields from the same file."""
    return copy.deepcopy(_read_packaged())


@lru_cache(maxsize=1)
def _read_packaged() -> dict[str, Any]:
    raw = files("erni_agents").joinpath("data", "specialists.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@lru_cache(maxsize=1)
def _load_packaged() -> tuple[Specialist, ...]:
    return tuple(
        Specialist(name=entry["name"], type=SpecialistType(entry["type"]), department=entry["department"])
        for entry in _read_packaged()["specialists"]
    )


def load_specialists() -> list[Specialist]:
    # A fresh list each call so a caller that mutates it cannot corrupt the cached data.
    return list(_load_packaged())


def by_type(specialist_type: SpecialistType | str) -> list[Specialist]:
    """Specialists of one type in data-file order (the order booking tries them in)."""
    wanted = SpecialistType(specialist_type)
    return [s for s in _load_packaged() if s.type is wanted]
