"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from erni_agents.api.deps import StateDep
from erni_agents.store.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])

# A probe must answer before the orchestrator's own timeout, also when a host drops packets.
CHECK_TIMEOUT_SECONDS = 3.0
# The migration scripts ship with the package: read them once, not on every probe.
_head_revision = lru_cache(maxsize=4)(head_revision)


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is alive. Calls no dependency."""
    return {"status": "ok"}


@router.get("/readiness", responses={503: {"description": "A dependency is not ready"}})
async def readiness(state: StateDep) -> JSONResponse:
    """Database reachable and migrated to head, Redis reachable when configured, LLM configured."""
    checks: dict[str, Any] = {}
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            async with state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            revision = await current_revision(state.engine)
        head = _head_revision(state.settings.database_url)
        checks["database"] = "ok" if revision == head else f"migration {revision} is not head {head}"
    except Exception as exc:
        checks["database"] = f"unreachable ({type(exc).__name__})"
    if state.redis is not None:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                await state.redis.ping()  # type: ignore[attr-defined]
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unreachable ({type(exc).__name__})"
    settings = state.settings
    checks["llm"] = "ok" if settings.llm_provider == "local" or settings.openai_api_key else "not configured"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        status_code=200 if ready else 503,
        content={"status": "ready" if ready else "not_ready", "checks": checks},
    )
