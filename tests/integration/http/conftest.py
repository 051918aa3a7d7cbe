"""Fixtures of the HTTP-layer tests: the real application (create_app + lifespan) behind an httpx
client, on SQLite and PostgreSQL, and a real uvicorn server where streaming must be observed."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
import redis.asyncio
import uvicorn
from fastapi import FastAPI

from erni_agents.api.app import create_app
from erni_agents.store.migrate import upgrade_async
from tests.conftest import FIXED_NOW, _prepare, _settings

REDIS_URL = "redis://127.0.0.1:6379/0"
# The default ALLOWED_HOSTS contain "localhost": the clients use it as their Host.
BASE_URL = "http://localhost"

AppFactory = Callable[..., AbstractAsyncContextManager[tuple[FastAPI, httpx.AsyncClient]]]


@asynccontextmanager
async def running(
    app: FastAPI, client_ip: str = "127.0.0.1", raise_app_exceptions: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """Runs the lifespan (httpx's ASGITransport does not) and yields a client of the app."""
    async with app.router.lifespan_context(app):
        app.state.erni.service.clock = lambda: FIXED_NOW
        transport = httpx.ASGITransport(
            app=app, client=(client_ip, 50000), raise_app_exceptions=raise_app_exceptions
        )
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield client


@pytest.fixture
async def prepared_url(database_url: str) -> str:
    await _prepare(database_url)
    return database_url


# What ENVIRONMENT=production needs besides a PostgreSQL URL.
PRODUCTION: dict[str, Any] = {"environment": "production", "secret_key": "s" * 40, "jwt_secret_key": "j" * 40}


@pytest.fixture
async def production_url(postgres_url: str) -> str:
    """A migrated and seeded PostgreSQL database for apps with ENVIRONMENT=production."""
    url = _settings(postgres_url).database_url
    await upgrade_async(url)
    await _prepare(url)
    return url


@pytest.fixture
def make_app(prepared_url: str) -> AppFactory:
    """`async with make_app(**settings_overrides) as (app, client)` on the prepared database."""

    @asynccontextmanager
    async def factory(
        client_ip: str = "127.0.0.1", **overrides: Any
    ) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
        app = create_app(_settings(prepared_url, **overrides))
        async with running(app, client_ip) as client:
            yield app, client

    return factory


@pytest.fixture
async def redis_client() -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis not reachable")
    try:
        yield client
    finally:
        await client.aclose()


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """The app behind a real uvicorn server on a free port (lifespan included); yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        app.state.erni.service.clock = lambda: FIXED_NOW
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
