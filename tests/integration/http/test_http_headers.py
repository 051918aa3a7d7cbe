"""Security headers on every response (200/404/422/429/500, 413, 400 host), HSTS in production
only, the self-hosted API docs and a complete OpenAPI document."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI, Response

from erni_agents.api.app import create_app
from erni_agents.api.middleware.headers import CONTENT_SECURITY_POLICY
from tests.conftest import _settings
from tests.integration.http.conftest import PRODUCTION, AppFactory, running

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _add_failing_route(app: FastAPI) -> None:
    @app.get("/test-only/boom")
    async def boom() -> None:
        raise RuntimeError("boom: unexpected failure")


def _assert_security_headers(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.status_code, name)
    assert "Strict-Transport-Security" not in response.headers
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


async def test_every_response_carries_the_security_headers(make_app: AppFactory) -> None:
    async with make_app(rate_limit_per_minute=4, max_body_bytes=1024) as (app, client):
        _add_failing_route(app)
        responses = {
            200: await client.post("/chat", json={"message": ""}),
            404: await client.get("/no-such-page"),
            422: await client.post("/chat", json={"message": 5}),
            413: await client.post("/chat", json={"message": "x" * 2000}),
            500: await client.get("/test-only/boom"),
            400: await client.get("/health", headers={"Host": "evil.example"}),
        }
        await client.post("/chat", json={})  # the 4th of 4 chat requests allowed per minute
        responses[429] = await client.post("/chat", json={})
        for status, response in responses.items():
            assert response.status_code == status
            _assert_security_headers(response)
        assert responses[404].json()["error"]["code"] == "not_found"
        failure = responses[500].json()["error"]
        assert failure["code"] == "internal_error"
        assert "boom" not in responses[500].text  # never the exception text or a stack trace


async def test_hsts_only_in_production(production_url: str) -> None:
    app = create_app(_settings(production_url, **PRODUCTION))
    _add_failing_route(app)
    async with running(app) as client:
        for response in (await client.get("/health"), await client.get("/test-only/boom")):
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
            assert response.headers["X-Frame-Options"] == "DENY"


async def test_docs_are_served_offline_without_inline_scripts(make_app: AppFactory) -> None:
    async with make_app() as (_app, client):
        page = await client.get("/docs")
        assert page.status_code == 200
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
        assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
        assert "cdn" not in page.text
        csp = page.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "unsafe-eval" not in csp
        for src in re.findall(r'(?:src|href)="([^"]+)"', page.text):
            asset = await client.get(src)
            assert asset.status_code == 200, src
            assert asset.content
        assert "SwaggerUIBundle" in (await client.get("/docs/init.js")).text
        redoc = await client.get("/redoc")
        assert redoc.status_code == 200 and "/openapi.json" in redoc.text


async def test_openapi_documents_endpoints_and_errors(make_app: AppFactory) -> None:
    async with make_app() as (_app, client):
        spec = (await client.get("/openapi.json")).json()
        paths = spec["paths"]
        for path in ("/chat", "/chat/stream", "/agents", "/health", "/readiness"):
            assert path in paths
        chat = paths["/chat"]["post"]
        assert {"200", "404", "409", "422", "429", "503"} <= set(chat["responses"])
        assert "ErrorEnvelope" in spec["components"]["schemas"]
        assert "/metrics" not in paths and "/docs" not in paths


async def test_a_header_set_by_the_route_is_kept_and_not_duplicated(make_app: AppFactory) -> None:
    async with make_app() as (app, client):

        @app.get("/test-only/framed")
        async def framed() -> Response:
            return Response("framed", headers={"X-Frame-Options": "SAMEORIGIN"})

        response = await client.get("/test-only/framed")
        assert response.headers.get_list("X-Frame-Options") == ["SAMEORIGIN"]
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers.get_list("X-Content-Type-Options") == ["nosniff"]
