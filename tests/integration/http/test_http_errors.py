"""The database unavailable: 503 envelope for the chat, 503 readiness naming the database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
import sqlalchemy.exc

from erni_agents.api.app import create_app
from erni_agents.store.migrate import upgrade_async
from tests.conftest import PG_HOST, _prepare, _settings
from tests.integration.http.conftest import AppFactory, running


class TcpRelay:
    """A TCP relay in front of PostgreSQL that the test can cut, as a network outage would."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers += [writer, up_writer]

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await self.server.wait_closed()


@pytest.fixture
async def relayed_url(postgres_url: str) -> AsyncIterator[tuple[str, TcpRelay]]:
    url = _settings(postgres_url).database_url
    await upgrade_async(url)
    await _prepare(url)
    relay = TcpRelay(int(PG_HOST.rsplit(":", 1)[1]))
    port = await relay.start()
    yield url.replace(":5432/", f":{port}/"), relay
    with contextlib.suppress(RuntimeError):
        await relay.cut()


async def test_database_outage_gives_503_envelope_and_not_ready(relayed_url: tuple[str, TcpRelay]) -> None:
    url, relay = relayed_url
    async with running(create_app(_settings(url))) as client:
        started = await client.post("/chat", json={"message": ""})
        assert started.status_code == 200
        assert (await client.get("/readiness")).status_code == 200
        await relay.cut()

        response = await client.post(
            "/chat", json={"conversation_id": started.json()["conversation_id"], "message": "Hallo"}
        )
        assert response.status_code == 503
        assert response.headers["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "database_unavailable"
        assert "Traceback" not in response.text
        assert (await client.post("/chat", json={"message": ""})).status_code == 503

        readiness = await client.get("/readiness")
        assert readiness.status_code == 503
        body = readiness.json()
        assert body["status"] == "not_ready"
        assert body["checks"]["database"].startswith("unreachable")
        assert (await client.get("/health")).status_code == 200


async def test_database_down_at_start_gives_503() -> None:
    dead = "postgresql+asyncpg://postgres@127.0.0.1:9/none"
    async with running(create_app(_settings(dead))) as client:
        response = await client.post("/chat", json={"message": ""})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "database_unavailable"
        readiness = await client.get("/readiness")
        assert readiness.status_code == 503
        assert "database" in readiness.json()["checks"]


async def test_only_outages_map_to_503(make_app: AppFactory) -> None:
    async with make_app() as (app, client):

        @app.get("/test-only/db/{kind}")
        async def fail(kind: str) -> None:
            original = Exception("driver said no")
            if kind == "operational":
                raise sqlalchemy.exc.OperationalError("SELECT 1", {}, original)
            if kind == "refused":
                raise ConnectionRefusedError(111, "Connect call failed")
            if kind == "timeout":
                raise TimeoutError
            raise sqlalchemy.exc.IntegrityError("INSERT INTO bookings", {}, original)

        for kind in ("operational", "refused", "timeout"):
            response = await client.get(f"/test-only/db/{kind}")
            assert response.status_code == 503, kind
            assert response.json()["error"]["code"] == "database_unavailable"
        integrity = await client.get("/test-only/db/integrity")
        assert integrity.status_code == 500
        assert integrity.json()["error"]["code"] == "internal_error"
        assert "INSERT" not in integrity.text
