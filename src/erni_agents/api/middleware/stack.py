"""Assembly of the middleware layers (the order is described in the package docstring)."""

from __future__ import annotations

import re
from typing import cast

from brotli_asgi import BrotliMiddleware
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from erni_agents.api.middleware.body import BodySizeLimitMiddleware
from erni_agents.api.middleware.headers import SecurityHeadersMiddleware
from erni_agents.api.middleware.observe import RequestObservationMiddleware
from erni_agents.api.ratelimit import RateLimitMiddleware
from erni_agents.config import Settings

COMPRESS_MIN_BYTES = 1024
# Server-Sent Events must reach the client event by event, never held back by a compressor.
UNCOMPRESSED_PATHS = (r"/stream$",)
# Answers built for one request (chat turns, agent graph, staff lists and exports, probes) are
# compressed on every request and read once: on a chat turn's 3-6 KB of JSON brotli quality 1 takes
# a third to a fifth of the CPU of quality 4 for 10-13 % more bytes. Pages, scripts and styles,
# fetched once per browser and cached, keep quality 4.
PER_REQUEST_PATHS = re.compile(r"^/(?:chat|agents|readiness|metrics)/?$|^/staff/")
PER_REQUEST_QUALITY = 1
ASSET_QUALITY = 4


class CompressionMiddleware:
    """brotli-asgi (gzip fallback, above COMPRESS_MIN_BYTES, never for SSE) at a quality chosen by path."""

    def __init__(self, app: ASGIApp) -> None:
        def layer(quality: int) -> BrotliMiddleware:
            return BrotliMiddleware(
                app,
                quality=quality,
                minimum_size=COMPRESS_MIN_BYTES,
                gzip_fallback=True,
                excluded_handlers=list(UNCOMPRESSED_PATHS),
            )

        self.per_request = layer(PER_REQUEST_QUALITY)
        self.assets = layer(ASSET_QUALITY)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        per_request = scope["type"] == "http" and PER_REQUEST_PATHS.match(scope["path"])
        await (self.per_request if per_request else self.assets)(scope, receive, send)


def install_middleware(app: FastAPI, settings: Settings) -> None:
    # add_middleware puts each new layer outside the previous ones: innermost first.
    app.add_middleware(CompressionMiddleware)
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
