"""Shared fixtures: a migrated database (SQLite and PostgreSQL), the app state, an HTTP client."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from erni_agents.api.state import AppState, build_state
from erni_agents.config import Settings
from erni_agents.store.db import create_engine, create_session_factory
from erni_agents.store.migrate import upgrade
from erni_agents.store.seed import seed_demo_projects, seed_reference_data

PG_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_HOST = PG_ADMIN.rsplit("/", 1)[0]

# A fixed "now" (Wednesday 25 Nov 2026, 10:00 Zurich) keeps dates in tests deterministic.
FIXED_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    if not _postgres_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true but {PG_ADMIN} is unreachable")
        pytest.skip("PostgreSQL not reachable")
    name = f"erni_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_HOST}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": url,
        "llm_provider": "local",
        "redis_url": None,
        "rate_limit_per_minute": 100000,
        "rate_limit_per_hour": 1000000,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def _prepare(url: str) -> None:
    engine = create_engine(url)
    try:
        factory = create_session_factory(engine)
        await seed_reference_data(factory)
        await seed_demo_projects(factory, FIXED_NOW.date())
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    base = request.getfixturevalue("postgres_url")
    url = Settings(_env_file=None, database_url=base).database_url  # type: ignore[call-arg]
    upgrade(url)
    _truncate(base)
    return url


def _truncate(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE conversation_events, conversation_items, bookings, inquiries, conversations, "
            "projects, knowledge_entries, specialists, staff_users, guardrail_trips RESTART IDENTITY CASCADE"
        )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path}/test.db"
    upgrade(url)
    return url


@pytest.fixture
async def state(database_url: str) -> AsyncIterator[AppState]:
    await _prepare(database_url)
    app_state = await build_state(_settings(database_url))
    app_state.service.clock = lambda: FIXED_NOW
    try:
        yield app_state
    finally:
        await app_state.close()
