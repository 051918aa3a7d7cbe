"""The transcript cache between turns is exactly what the database holds, and never stale.

Played on SQLite and PostgreSQL: every flow of the shared dialogue set (cost, booking, status,
FAQ, guardrail refusals, PII redaction), comparing the cache with a fresh read after each turn;
a second replica serving some turns of the same conversation; and the saved query itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from erni_agents.api.state import AppState, build_state
from erni_agents.conversation.service import ConversationService
from tests.conftest import FIXED_NOW, _settings

DIALOGUES = json.loads((Path(__file__).parents[1] / "data/shared_dialogues.json").read_text("utf-8"))


async def _stored_items(state: AppState, conversation_id: str) -> tuple[int, list[dict[str, Any]]]:
    loaded = await state.repos.load_conversation(conversation_id)
    assert loaded is not None
    record, history = loaded
    return record.turn_count, [item for item, _stored in history]


async def test_cache_equals_the_database_after_every_turn_of_every_flow(state: AppState) -> None:
    service = state.service
    played = 0
    for dialogue in DIALOGUES:
        started = await service.start()
        for turn in dialogue["turns"]:
            await service.turn(started.conversation_id, turn["user"])
            played += 1
            held = service.history.get(started.conversation_id)
            assert held is not None
            assert (held[0], held[1]) == await _stored_items(state, started.conversation_id), turn["user"]
    assert played == sum(len(d["turns"]) for d in DIALOGUES) >= 40


@contextmanager
def _item_reads(state: AppState) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM conversation_items" in statement:
            statements.append(statement)

    engine = state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_a_held_transcript_is_not_read_again(state: AppState) -> None:
    started = await state.service.start("de")
    with _item_reads(state) as reads:
        await state.service.turn(started.conversation_id, "Was kostet ein Einfamilienhaus?")
        await state.service.turn(started.conversation_id, "150 m2 in Holzbau")
    assert reads == []


async def test_a_turn_served_by_another_replica_is_seen(state: AppState, database_url: str) -> None:
    other = await build_state(_settings(database_url))
    other.service.clock = lambda: FIXED_NOW
    try:
        here: ConversationService = state.service
        started = await here.start("de")
        cid = started.conversation_id
        await here.turn(cid, "Ich möchte ein Einfamilienhaus bauen")

        elsewhere = await other.service.turn(cid, "Ungefähr 160 m2, in Holzbau")
        assert elsewhere.context["area_sqm"] == 160

        with _item_reads(state) as reads:
            back = await here.turn(cid, "Und was kostet das?")
        assert len(reads) == 1  # the stale transcript was replaced by a fresh read
        assert back.context["area_sqm"] == 160
        held = here.history.get(cid)
        assert held is not None
        stored = await _stored_items(state, cid)
        assert (held[0], held[1]) == stored
        assert any(item.get("content") == "Ungefähr 160 m2, in Holzbau" for item in held[1])
    finally:
        await other.close()


async def test_no_cache_reads_every_turn(database_url: str) -> None:
    from tests.conftest import _prepare

    await _prepare(database_url)
    state = await build_state(_settings(database_url, history_cache_size=0))
    try:
        started = await state.service.start("en")
        with _item_reads(state) as reads:
            await state.service.turn(started.conversation_id, "How much is a 150 m2 timber house?")
        assert len(reads) == 1
        assert len(state.service.history) == 0
    finally:
        await state.close()
