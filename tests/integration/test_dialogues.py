"""The scripted dialogues (cost, status, booking, faq, routing, guardrail) in-process, on SQLite
and PostgreSQL, scored with the evaluation's own checker (tests/data/run_dialogues.py)."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from erni_agents.api.state import AppState

DATA = Path(__file__).parent.parent / "data"
_spec = importlib.util.spec_from_file_location("run_dialogues", DATA / "run_dialogues.py")
assert _spec and _spec.loader
checker: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checker)

DIALOGUES = json.loads((DATA / "shared_dialogues.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d["id"] for d in DIALOGUES])
async def test_dialogue(state: AppState, dialogue: dict[str, Any]) -> None:
    started = await state.service.start()
    for turn in dialogue["turns"]:
        result = await state.service.turn(started.conversation_id, turn["user"])
        response = {**asdict(result)}
        problems = checker.check(turn.get("expect", {}), response)
        assert not problems, f"{turn['user']!r}: {problems}"
