"""`seed-reference` loads what every deployment needs and no demo customers; `seed-demo` adds them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from erni_agents.cli import app
from erni_agents.config import get_settings


@pytest.fixture
def db_file(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield Path(sqlite_url.split("///", 1)[1])
    get_settings.cache_clear()


def _counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("specialists", "knowledge_entries", "projects")
        )


def test_seed_reference_then_demo(db_file: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["seed-reference"])
    assert first.exit_code == 0, first.output
    specialists, knowledge, projects = _counts(db_file)
    assert specialists == 6 and knowledge > 50 and projects == 0

    again = runner.invoke(app, ["seed-reference"])  # idempotent
    assert again.exit_code == 0 and _counts(db_file) == (specialists, knowledge, 0)

    demo = runner.invoke(app, ["seed-demo"])
    assert demo.exit_code == 0, demo.output
    assert _counts(db_file) == (specialists, knowledge, 5)
