"""When the database was down at start-up, the reference data loads with the first turn after."""

from __future__ import annotations

from dataclasses import replace

from erni_agents.api.state import AppState
from erni_agents.knowledge.search import KnowledgeBase


async def test_reference_data_loads_with_the_first_turn(state: AppState) -> None:
    service = state.service
    loaded_names = service.deps.known_customers
    assert "Meier" in loaded_names
    # What build_state leaves behind when the database did not answer at start-up.
    service.deps = replace(service.deps, known_customers=(), knowledge=KnowledgeBase([]))
    service.reference_loaded = False
    started = await service.start("en")

    result = await service.turn(started.conversation_id, "What are your opening hours?")

    assert service.reference_loaded
    assert service.deps.known_customers == loaded_names
    assert "erni-gruppe.ch" in result.messages[-1]["content"]
