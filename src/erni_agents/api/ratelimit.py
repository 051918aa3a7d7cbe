"""Rate limits per client IP with the `limits` library: Redis storage when REDIS_URL is set (one
budget shared by all replicas), in-process memory otherwise.

Applied by `RateLimitMiddleware` to the (method, path) pairs in `limited_routes`, before the
request body is read: the public chat (`POST /chat`, `POST /chat/stream`, one shared budget of
RATE_LIMIT_PER_MINUTE and RATE_LIMIT_PER_HOUR) and staff login (`POST /staff/login`,
LOGIN_RATE_LIMIT). The client IP is `scope["client"]`, which ProxyHeadersMiddleware has already
replaced by the X-Forwarded-For address only when the direct peer is in TRUSTED_PROXIES.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from starlette.types import ASGIApp, Receive, Scope, Send

from erni_agents.api.errors import error_response
from erni_agents.api.middleware.observe import ROUTE_TEMPLATE_KEY
from erni_agents.config import Settings
from erni_agents.ops.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class RateLimitRule:
    name: str  # the budget: routes with the same name share it
    limits: tuple[RateLimitItem, ...]


@dataclass(frozen=True)
class Exceeded:
    retry_after: int
    limit: RateLimitItem


class RateLimits:
    def __init__(self, storage: Storage, rules: dict[tuple[str, str], RateLimitRule]) -> None:
        self.storage = storage
        self.rules = rules
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    def rule_for(self, method: str, path: str) -> RateLimitRule | None:
        return self.rules.get((method, path.rstrip("/") or "/"))

    async def hit(self, rule: RateLimitRule, client: str) -> Exceeded | None:
        """Count one request of `client`; None when allowed, else how long to wait."""
        for item in rule.limits:
            if not await self._limiter.hit(item, rule.name, client):
                stats = await self._limiter.get_window_stats(item, rule.name, client)
                return Exceeded(max(1, math.ceil(stats.reset_time - time.time())), item)
        return None


def limited_routes(settings: Settings) -> dict[tuple[str, str], RateLimitRule]:
    chat = RateLimitRule(
        "chat",
        (
            RateLimitItemPerMinute(settings.rate_limit_per_minute),
            RateLimitItemPerHour(settings.rate_limit_per_hour),
        ),
    )
    login = RateLimitRule("login", tuple(parse_many(settings.login_rate_limit)))
    return {("POST", "/chat"): chat, ("POST", "/chat/stream"): chat, ("POST", "/staff/login"): login}


def build_rate_limits(settings: Settings, redis: object | None) -> RateLimits:
    """`redis` is the application's redis.asyncio client: the limiter shares its connection pool."""
    storage: Storage
    if redis is not None:
        storage = RedisStorage(
            "async+" + str(settings.redis_url),
            implementation="redispy",
            wrap_exceptions=True,
            key_prefix="erni:ratelimit",
            connection_pool=redis.connection_pool,  # type: ignore[attr-defined]
        )
    else:
        storage = MemoryStorage(wrap_exceptions=True)
    return RateLimits(storage, limited_routes(settings))


def _describe(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    if item.multiples == 1:
        return f"{item.amount} per {unit}"
    return f"{item.amount} per {item.multiples} {unit}s"


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limits = _limits_of(scope) if scope["type"] == "http" else None
        rule = limits.rule_for(scope["method"], scope["path"]) if limits else None
        if limits is None or rule is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "unknown"
        try:
            exceeded = await limits.hit(rule, key)
        except StorageError as exc:
            # An outage of the limit store must not take the chat down with it.
            log.warning(
                "rate limit storage unavailable; request allowed", error=type(exc.storage_error).__name__
            )
            exceeded = None
        if exceeded is None:
            await self.app(scope, receive, send)
            return
        wait = exceeded.retry_after
        scope[ROUTE_TEMPLATE_KEY] = scope["path"]  # rules match exact paths: the path is the template
        response = error_response(
            429,
            "rate_limited",
            f"Too many requests (at most {_describe(exceeded.limit)}). Please wait {wait} seconds.",
            details={"retry_after": wait, "limit": _describe(exceeded.limit)},
            headers={"Retry-After": str(wait)},
        )
        await response(scope, receive, send)


def _limits_of(scope: Scope) -> RateLimits | None:
    state = getattr(getattr(scope.get("app"), "state", None), "erni", None)
    limits = getattr(state, "rate_limits", None)
    return limits if isinstance(limits, RateLimits) else None
