"""The application factory. Nothing starts at import time: connections open in the lifespan."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp

from erni_agents.api.errors import install_error_handlers
from erni_agents.api.middleware.stack import install_middleware, wrap_outer
from erni_agents.api.ratelimit import build_rate_limits
from erni_agents.api.routes import chat, health, metrics
from erni_agents.api.routes.docs import install_docs
from erni_agents.api.state import build_state
from erni_agents.config import Settings, get_settings
from erni_agents.ops.logging import configure_logging
from erni_agents.ops.sentry import init_sentry
from erni_agents.staff import views as staff_views
from erni_agents.web import routes as web_routes


class ErniAPI(FastAPI):
    """FastAPI with extra layers around Starlette's ServerErrorMiddleware (which is otherwise always
    the outermost), so responses to unhandled exceptions get security headers, a request id and a
    log line like every other response."""

    def __init__(self, *, outer: Callable[[ASGIApp], ASGIApp], **kwargs: Any) -> None:
        self._outer = outer
        super().__init__(**kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        return self._outer(super().build_middleware_stack())


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    masker = configure_logging(settings)
    init_sentry(settings, masker)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = await build_state(settings)
        state.rate_limits = build_rate_limits(settings, state.redis)
        app.state.erni = state
        try:
            yield
        finally:
            await state.close()
            if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
                from prometheus_client import multiprocess

                # Gauges of this worker must stop counting in the sum of live workers.
                multiprocess.mark_process_dead(os.getpid())

    app = ErniAPI(
        outer=lambda inner: wrap_outer(inner, settings),
        title="ERNI Building Agents",
        version="0.1.0",
        description="Customer-service assistant of ERNI Gruppe: six cooperating agents.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    install_middleware(app, settings)
    install_docs(app)
    app.include_router(chat.router)
    app.include_router(health.router)
    app.include_router(staff_views.router)
    app.include_router(metrics.router)
    app.include_router(web_routes.router)
    return app
