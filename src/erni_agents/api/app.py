"""The application factory. Nothing starts at import time: connections open in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from erni_agents.api.errors import install_error_handlers
from erni_agents.api.routes import chat, health
from erni_agents.api.state import build_state
from erni_agents.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.erni = await build_state(settings)
        try:
            yield
        finally:
            await app.state.erni.close()

    app = FastAPI(
        title="ERNI Building Agents",
        version="0.1.0",
        description="Customer-service assistant of ERNI Gruppe: six cooperating agents.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(chat.router)
    app.include_router(health.router)
    return app
