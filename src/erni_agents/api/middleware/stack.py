"""Assembly of the middleware layers (the order is described in the package docstring)."""

from __future__ import annotations

from typing import cast

from brotli_asgi import BrotliMiddleware
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from erni_agents.api.middleware.body import BodySizeLimitMiddleware
from erni_agents.api.middleware.headers import SecurityHeadersMiddleware
from erni_agents.api.middleware.observe import RequestObservationMiddleware
from erni_agents.api.ratelimit import RateLimitMiddleware
from erni_agents.config import Settings

COMPRESS_MIN_BYTES = 1024
# Server-Sent Events must reach the client event by event, never held back by a compressor.
UNCOMPRESSED_PATHS = (r"/stream$",)


def install_middleware(app: FastAPI, settings: Settings) -> None:
    # add_middleware puts each new layer outside the previous ones: innermost first.
    app.add_middleware(
        BrotliMiddleware,
        minimum_size=COMPRESS_MIN_BYTES,
        gzip_fallback=True,
        excluded_handlers=list(UNCOMPRESSED_PATHS),
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
        # Staff authenticate with bearer tokens, not cookies.
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)


def wrap_outer(app: ASGIApp, settings: Settings) -> ASGIApp:
    """The layers around ServerErrorMiddleware, innermost first."""
    app = RequestObservationMiddleware(app)
    if settings.trusted_proxies:
        # uvicorn's implementation: X-Forwarded-For/-Proto only from these peers (IPs or CIDRs).
        proxied = ProxyHeadersMiddleware(app, trusted_hosts=settings.trusted_proxies)  # type: ignore[arg-type]
        app = cast(ASGIApp, proxied)
    return SecurityHeadersMiddleware(app, hsts=settings.environment == "production")
