"""In local mode nothing touches the network: not at start-up, not per turn, not the SDK's tracing.

Python's audit hooks see every `socket.connect` and `getaddrinfo`, whichever library makes
them (asyncio, httpx, the SDK's trace exporter), so the test observes the real process rather
than patched functions.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from agents.tracing import get_trace_provider

from erni_agents.api.app import create_app
from tests.conftest import _prepare, _settings

_recording: list[tuple[str, Any]] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _recording is not None and event in ("socket.connect", "socket.getaddrinfo"):
        _recording.append((event, args[1] if event == "socket.connect" else args[0]))


sys.addaudithook(_audit)  # audit hooks cannot be removed; `_recording` switches it on and off


@pytest.fixture
def network_calls() -> Iterator[list[tuple[str, Any]]]:
    global _recording
    _recording = []
    try:
        yield _recording
    finally:
        _recording = None


TURNS = [
    "Was kostet ein Einfamilienhaus mit 150 m2 in Holzbau?",
    "Ich möchte einen Termin mit einem Architekten am 2026-12-01 um 14:00",
    "What are your opening hours?",
    "Write a poem about the sea",
]


async def _converse(url: str) -> None:
    app = create_app(_settings(url, allowed_hosts=["*"]))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            started = await client.post("/chat", json={"message": ""})
            assert started.status_code == 200
            conversation_id = started.json()["conversation_id"]
            for text in TURNS:
                reply = await client.post("/chat", json={"conversation_id": conversation_id, "message": text})
                assert reply.status_code == 200, reply.text
    # Anything the SDK queued for export would be sent now.
    get_trace_provider().force_flush()


async def test_local_mode_talks_only_to_the_database(
    database_url: str, network_calls: list[tuple[str, Any]]
) -> None:
    await _prepare(database_url)
    network_calls.clear()  # the fixtures' own set-up is not under test
    await _converse(database_url)
    if database_url.startswith("sqlite"):
        assert network_calls == []
        return
    assert network_calls, "the audit hook saw no connection at all: it is not observing"
    peers = {address for event, address in network_calls if event == "socket.connect"}
    hosts = {host for event, host in network_calls if event == "socket.getaddrinfo"}
    assert all(isinstance(p, tuple) and p[:2] == ("127.0.0.1", 5432) for p in peers), peers
    assert hosts <= {"127.0.0.1"}, hosts
