"""The lean HTTP client of bench/http_load.py against a real uvicorn server: dialogues played over
keep-alive connections, compressed answers decoded, and every failure counted as an error."""

from __future__ import annotations

import socket

from bench import http_load

from erni_agents.api.app import create_app
from tests.conftest import _prepare, _settings
from tests.integration.http.conftest import served


async def test_customers_play_dialogues_without_errors(sqlite_url: str) -> None:
    await _prepare(sqlite_url)
    async with served(create_app(_settings(sqlite_url))) as base_url:
        stats, elapsed = await http_load.run_load(base_url, users=3, duration=2.0, think=0.2)
        ceiling, failed = await http_load.health_ceiling(base_url, concurrency=2, seconds=0.5)
    assert stats.error_count == 0, stats.errors
    assert len(stats.latencies) >= 6 and elapsed >= 2.0
    assert ceiling > 0 and failed == 0


async def test_answers_are_decoded_and_the_connection_is_reused_or_reopened(sqlite_url: str) -> None:
    await _prepare(sqlite_url)
    async with served(create_app(_settings(sqlite_url))) as base_url:
        client = http_load.Client(base_url)
        try:
            stats = http_load.Stats()
            started = await http_load.timed_post(client, {"message": ""}, stats)
            assert started is not None and started.status == 200
            conversation_id = started.json()["conversation_id"]  # type: ignore[index]
            connection = client.connection
            body = {
                "conversation_id": conversation_id,
                "message": "Was kostet ein EFH mit 150 m2 in Holzbau?",
            }
            answer = await http_load.timed_post(client, body, stats)
            assert answer is not None and answer.headers[b"content-encoding"] == b"br"
            assert answer.json()["conversation_id"] == conversation_id  # type: ignore[index]
            assert client.connection is connection  # keep-alive
            client.connection.close()  # as a server does after its keep-alive timeout
            again = await http_load.timed_post(client, {"conversation_id": conversation_id}, stats)
            assert again is not None and again.status == 200 and client.connection is not connection
            assert stats.error_count == 0
            unknown = await http_load.timed_post(
                client, {"conversation_id": "unknown", "message": "Hallo"}, stats
            )
            assert unknown is None and stats.errors == {"HTTP 404": 1}
            assert len(stats.latencies) == 4  # an error answer still has a latency
        finally:
            client.close()


async def test_transport_errors_are_counted() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    stats = http_load.Stats()
    client = http_load.Client(f"http://127.0.0.1:{port}")
    assert await http_load.timed_post(client, {"message": ""}, stats) is None
    assert stats.errors == {"ConnectionRefusedError": 1} and stats.latencies == []
