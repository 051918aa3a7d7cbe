"""What start-up builds is frozen out of the garbage collector's walks, and released at shutdown."""

from __future__ import annotations

import gc

from erni_agents.api.state import build_state
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
