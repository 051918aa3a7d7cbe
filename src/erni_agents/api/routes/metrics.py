"""`GET /metrics` in the Prometheus text format.

Open in development and test. In production only with `Authorization: Bearer METRICS_TOKEN`
(401 otherwise), and absent (404) when no METRICS_TOKEN is configured. With several uvicorn
workers set PROMETHEUS_MULTIPROC_DIR: the answer then sums the files of all workers.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from datetime import timedelta

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from starlette.exceptions import HTTPException

from erni_agents.api.deps import StateDep
from erni_agents.api.state import AppState
from erni_agents.ops.logging import get_logger
from erni_agents.ops.metrics import ACTIVE_CONVERSATIONS, DB_POOL_CHECKED_OUT, DB_POOL_SIZE
from erni_agents.store.db import DATABASE_ERRORS
from erni_agents.store.models import Conversation, utcnow

router = APIRouter(tags=["operations"])
log = get_logger(__name__)

ACTIVE_WINDOW = timedelta(minutes=30)
# A scrape must not hang on a slow database; the gauges then keep their last value.
_DB_TIMEOUT_SECONDS = 2.0


def _authorize(request: Request, state: AppState) -> None:
    settings = state.settings
    if settings.environment != "production":
        return
    if not settings.metrics_token:
        raise HTTPException(404, "Not Found")
    supplied = request.headers.get("authorization", "")
    expected = f"Bearer {settings.metrics_token}"
    if not secrets.compare_digest(supplied.encode(), expected.encode()):
        raise HTTPException(401, "A valid metrics token is required.", headers={"WWW-Authenticate": "Bearer"})


async def _update_gauges(state: AppState) -> None:
    pool = state.engine.pool
    checked_out = getattr(pool, "checkedout", None)
    size = getattr(pool, "size", None)
    if callable(checked_out) and callable(size):
        DB_POOL_CHECKED_OUT.set(checked_out())
        DB_POOL_SIZE.set(size())
    since = utcnow() - ACTIVE_WINDOW
    query = select(func.count()).select_from(Conversation).where(Conversation.updated_at >= since)
    try:
        async with asyncio.timeout(_DB_TIMEOUT_SECONDS), state.repos.factory() as db:
            ACTIVE_CONVERSATIONS.set(int((await db.execute(query)).scalar_one()))
    except DATABASE_ERRORS as exc:  # TimeoutError is among them
        log.warning("active conversations not updated", error=type(exc).__name__)


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, state: StateDep) -> Response:
    _authorize(request, state)
    await _update_gauges(state)
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)
