"""Copies of the shared evaluation files that the product may carry (tests/data/), so these tests
run on a clean clone without ../shared: the dialogues and the benign rows written for this project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="session")
def dialogues() -> list[dict]:
    return json.loads((DATA / "shared_dialogues.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_benign() -> list[str]:
    path = DATA / "shared_benign.jsonl"
    return [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
