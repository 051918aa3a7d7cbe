from __future__ import annotations

import json
from pathlib import Path

import pytest

from erni_agents.guardrails.dataset import default_shared_dir

SHARED = default_shared_dir()
DIALOGUES = SHARED.parent / "dialogues.json"


@pytest.fixture(scope="session")
def dialogues() -> list[dict]:
    if not DIALOGUES.exists():
        pytest.skip("shared dialogues.json not available")
    return json.loads(DIALOGUES.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_benign() -> list[str]:
    path = Path(SHARED) / "benign.jsonl"
    if not path.exists():
        pytest.skip("shared guardrail corpora not available")
    return [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
