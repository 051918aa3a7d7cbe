"""Per-request observation: request id, one structured log line, Prometheus counters and latency.

Placed outside Starlette's ServerErrorMiddleware, so a 500 from an unhandled exception is
counted, logged with its traceback and carries its X-Request-ID too.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from erni_agents.ops.logging import bind_request, get_logger
from erni_agents.ops.metrics import HTTP_LATENCY, HTTP_REQUESTS

log = get_logger("erni_agents.http")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
UNMATCHED = "<unmatched>"
# Set in the ASGI scope by middleware that answers a request before the router sees it.
ROUTE_TEMPLATE_KEY = "erni.route_template"
# Probes and scrapes run every few seconds; their lines would drown the real traffic at INFO.
_QUIET_PATHS = frozenset({"/health", "/readiness", "/metrics"})


def route_template(scope: Scope) -> str:
    """The route's path template ("/staff/bookings/{booking_id}"), never the raw path, so metric
    labels stay few. Requests answered before routing carry the template when the answering
    middleware knows it (rate limits: exact paths); the rest share one label."""
    route = scope.get("route")
    path = getattr(route, "path", None) or scope.get(ROUTE_TEMPLATE_KEY)
    return path if isinstance(path, str) and path else UNMATCHED


class RequestObservationMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        bind_request(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_observed(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        failure: BaseException | None = None
        try:
            await self.app(scope, receive, send_observed)
        except Exception as exc:
            failure = exc
            # Once a response has started (ServerErrorMiddleware sends the 500 before re-raising)
            # the traceback logged by _record is enough; re-raising would make the server log it
            # a second time.
            if not response_started:
                raise
        finally:
            self._record(scope, status, time.perf_counter() - started, failure)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float, failure: BaseException | None) -> None:
        route = route_template(scope)
        method = scope.get("method", "")
        HTTP_REQUESTS.labels(route=route, method=method, status=str(status)).inc()
        HTTP_LATENCY.labels(route=route, method=method).observe(seconds)
        client = scope.get("client")
        fields: dict[str, Any] = {
            "method": method,
            "route": route,
            "path": scope.get("path", ""),
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "client_ip": client[0] if client else None,
        }
        query = scope.get("query_string", b"")
        if query:
            fields["query"] = query.decode("latin-1")
        if failure is not None:
            log.error("request failed", exc_info=failure, **fields)
        elif status >= 500:
            log.error("request", **fields)
        elif scope.get("path") in _QUIET_PATHS:
            log.debug("request", **fields)
        else:
            log.info("request", **fields)
