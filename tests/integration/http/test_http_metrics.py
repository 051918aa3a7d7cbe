"""`GET /metrics`: Prometheus text with request counts by route template, gauges updated at
scrape time, and its protection in production."""

from __future__ import annotations

import re

import httpx

from erni_agents.api.app import create_app
from tests.conftest import _settings
from tests.integration.http.conftest import PRODUCTION, AppFactory, running

METRICS_TOKEN = "metrics-token-for-tests-0123456789"


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample; 0 when it is not there yet."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


async def _scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.text


async def test_scrape_after_a_chat_turn(make_app: AppFactory) -> None:
    async with make_app() as (_app, client):
        before = await _scrape(client)
        started = await client.post("/chat", json={"message": ""})
        cid = started.json()["conversation_id"]
        await client.post(
            "/chat", json={"conversation_id": cid, "message": "Wie ist der Stand von Projekt 2024-001?"}
        )
        await client.get(f"/no-such-page/{cid}")
        after = await _scrape(client)

    chat = {"route": "/chat", "method": "POST", "status": "200"}
    assert (
        _sample(after, "erni_http_requests_total", **chat)
        == _sample(before, "erni_http_requests_total", **chat) + 2
    )
    assert _sample(after, "erni_http_request_duration_seconds_count", route="/chat", method="POST") >= 2
    # Raw paths never become labels.
    assert cid not in after
    assert _sample(after, "erni_http_requests_total", route="<unmatched>", method="GET", status="404") >= 1
    assert _sample(after, "erni_active_conversations") >= 1
    assert _sample(after, "erni_db_pool_size") >= 1
    assert "erni_db_pool_checked_out" in after


async def test_rejected_requests_are_counted_under_their_route(make_app: AppFactory) -> None:
    async with make_app(rate_limit_per_minute=1) as (_app, client):
        await client.post("/chat", json={})
        before = await _scrape(client)
        assert (await client.post("/chat", json={})).status_code == 429
        after = await _scrape(client)
    labels = {"route": "/chat", "method": "POST", "status": "429"}
    assert (
        _sample(after, "erni_http_requests_total", **labels)
        == _sample(before, "erni_http_requests_total", **labels) + 1
    )


async def test_metrics_absent_in_production_without_token(production_url: str) -> None:
    async with running(create_app(_settings(production_url, **PRODUCTION))) as client:
        response = await client.get("/metrics")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


async def test_metrics_need_the_token_in_production(production_url: str) -> None:
    settings = _settings(production_url, **PRODUCTION, metrics_token=METRICS_TOKEN)
    async with running(create_app(settings)) as client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "unauthorized"
        right = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert right.status_code == 200
        assert "erni_http_requests_total" in right.text
