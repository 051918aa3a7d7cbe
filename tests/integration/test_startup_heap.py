"""Start-up does the slow one-off work, and freezes what it built out of the collector's walks."""

from __future__ import annotations

import gc

from erni_agents.api.state import build_state
from erni_agents.domain import scheduling
from tests.conftest import _settings


async def test_startup_heap_is_frozen_while_running_and_released_at_close(sqlite_url: str) -> None:
    gc.unfreeze()
    state = await build_state(_settings(sqlite_url))
    try:
        frozen = gc.get_freeze_count()
        # The knowledge index, classifier and agent graph alone are tens of thousands of objects.
        assert frozen > 50_000
    finally:
        await state.close()
    assert gc.get_freeze_count() == 0


async def test_holiday_tables_are_built_at_start_up(sqlite_url: str) -> None:
    scheduling._national_holidays.cache_clear()
    state = await build_state(_settings(sqlite_url))
    try:
        # this year and next, German and English: the first booking turn builds nothing
        assert scheduling._national_holidays.cache_info().currsize == 4
    finally:
        await state.close()
