"""How many workers `erni-agents serve` starts."""

from __future__ import annotations

import os

import pytest

from erni_agents.cli import worker_count


def test_default_is_one_per_core_only_with_redis() -> None:
    assert worker_count(0, redis=True) == (os.cpu_count() or 1)
    assert worker_count(0, redis=False) == 1


def test_an_explicit_count_is_kept_and_warned_about_without_redis(capsys: pytest.CaptureFixture[str]) -> None:
    assert worker_count(3, redis=False) == 3
    assert "without REDIS_URL" in capsys.readouterr().err
    assert worker_count(3, redis=True) == 3
    assert worker_count(1, redis=False) == 1
    assert capsys.readouterr().err == ""
