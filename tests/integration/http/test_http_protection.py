"""Rate limits (Redis shared by two app instances, in-process memory, trusted proxies, login),
CORS, trusted hosts and the body size limit, against the real application."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import redis.asyncio

from erni_agents.api.app import create_app
from tests.conftest import _settings
from tests.integration.http.conftest import REDIS_URL, AppFactory, running


def _fresh_ip() -> str:
    # Redis keeps budgets for a minute: every run limits a client address of its own.
    return "10." + ".".join(str(b) for b in secrets.token_bytes(3))


async def test_two_instances_share_the_chat_budget_in_redis(
    prepared_url: str, redis_client: redis.asyncio.Redis
) -> None:
    settings = _settings(prepared_url, redis_url=REDIS_URL, rate_limit_per_minute=4)
    ip = _fresh_ip()
    async with running(create_app(settings), ip) as first, running(create_app(settings), ip) as second:
        # Alternating: each instance sees only two requests, so only a shared count reaches 4.
        for client in (first, second, first, second):
            assert (await client.post("/chat", json={"message": ""})).status_code == 200
        limited = await first.post("/chat", json={"message": ""})
        assert limited.status_code == 429
        wait = int(limited.headers["Retry-After"])
        assert 1 <= wait <= 60
        error = limited.json()["error"]
        assert error["code"] == "rate_limited"
        assert f"wait {wait} seconds" in error["message"]
        # The stream shares the budget; probes and the agent list are never limited.
        assert (await second.post("/chat/stream", json={"message": ""})).status_code == 429
        assert (await second.get("/health")).status_code == 200
        assert (await second.get("/agents")).status_code == 200
    assert await redis_client.keys(f"erni:ratelimit*{ip}*")


async def test_in_process_limit_without_redis(make_app: AppFactory) -> None:
    async with make_app(rate_limit_per_minute=2) as (_app, client):
        assert [(await client.post("/chat", json={})).status_code for _ in range(3)] == [200, 200, 429]
        assert "Retry-After" in (await client.post("/chat", json={})).headers


async def test_hourly_limit_applies_too(make_app: AppFactory) -> None:
    async with make_app(rate_limit_per_minute=100, rate_limit_per_hour=1) as (_app, client):
        assert (await client.post("/chat", json={})).status_code == 200
        limited = await client.post("/chat", json={})
        assert limited.status_code == 429
        assert "per hour" in limited.json()["error"]["message"]


async def test_forwarded_for_from_untrusted_peer_is_ignored(make_app: AppFactory) -> None:
    async with make_app(rate_limit_per_minute=2, trusted_proxies=[]) as (_app, client):
        statuses = [
            (await client.post("/chat", json={}, headers={"X-Forwarded-For": f"203.0.113.{n}"})).status_code
            for n in range(3)
        ]
        assert statuses == [200, 200, 429]


async def test_forwarded_for_from_trusted_proxy_is_the_client(make_app: AppFactory) -> None:
    async with make_app(rate_limit_per_minute=2, trusted_proxies=["127.0.0.0/8"]) as (_app, client):
        distinct = [
            (await client.post("/chat", json={}, headers={"X-Forwarded-For": f"203.0.113.{n}"})).status_code
            for n in range(4)
        ]
        assert distinct == [200] * 4
        same = [
            (await client.post("/chat", json={}, headers={"X-Forwarded-For": "198.51.100.7"})).status_code
            for _ in range(3)
        ]
        assert same == [200, 200, 429]


async def test_login_has_its_own_stricter_limit(make_app: AppFactory) -> None:
    async with make_app(login_rate_limit="2/minute") as (_app, client):
        body = {"username": "nobody", "password": "wrong-password-123"}
        statuses = [(await client.post("/staff/login", json=body)).status_code for _ in range(3)]
        assert 429 not in statuses[:2]
        assert statuses[2] == 429
        # The chat budget is separate.
        assert (await client.post("/chat", json={})).status_code == 200


async def test_cors_allows_configured_origin_only(make_app: AppFactory) -> None:
    async with make_app(cors_origins=["https://www.erni-gruppe.ch"]) as (_app, client):
        allowed = await client.get("/health", headers={"Origin": "https://www.erni-gruppe.ch"})
        assert allowed.headers["Access-Control-Allow-Origin"] == "https://www.erni-gruppe.ch"
        other = await client.get("/health", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in other.headers

        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        ok = await client.options("/chat", headers={"Origin": "https://www.erni-gruppe.ch", **preflight})
        assert ok.status_code == 200
        assert ok.headers["Access-Control-Allow-Origin"] == "https://www.erni-gruppe.ch"
        denied = await client.options("/chat", headers={"Origin": "https://evil.example", **preflight})
        assert denied.status_code == 400
        assert "Access-Control-Allow-Origin" not in denied.headers


async def test_unknown_host_is_rejected(make_app: AppFactory) -> None:
    async with make_app(allowed_hosts=["localhost", "api.erni.example"]) as (_app, client):
        assert (await client.get("/health")).status_code == 200
        assert (await client.get("/health", headers={"Host": "api.erni.example"})).status_code == 200
        assert (await client.get("/health", headers={"Host": "evil.example"})).status_code == 400


async def test_body_size_limit(make_app: AppFactory) -> None:
    async with make_app(max_body_bytes=2048) as (_app, client):
        big = {"message": "x" * 3000}
        declared = await client.post("/chat", json=big)
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "payload_too_large"

        async def chunks() -> AsyncIterator[bytes]:
            # No Content-Length: the limit must hold while the body is read.
            yield b'{"message": "'
            for _ in range(3):
                yield b"y" * 1000
            yield b'"}'

        chunked = await client.post("/chat", content=chunks(), headers={"Content-Type": "application/json"})
        assert chunked.status_code == 413
        assert chunked.json()["error"]["code"] == "payload_too_large"
        assert (await client.post("/chat", json={"message": "Hallo"})).status_code == 200


async def test_message_longer_than_4000_characters_is_422(make_app: AppFactory) -> None:
    async with make_app() as (_app, client):
        response = await client.post("/chat", json={"message": "a" * 4001})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error"
