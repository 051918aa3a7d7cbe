"""Compression (brotli, gzip fallback, only above 1 KB) and Server-Sent Events that still arrive
event by event through the whole middleware stack, over a real uvicorn server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import brotli
import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from erni_agents.api.app import create_app
from erni_agents.api.middleware.stack import (
    ASSET_QUALITY,
    COMPRESS_MIN_BYTES,
    PER_REQUEST_PATHS,
    PER_REQUEST_QUALITY,
)
from tests.conftest import _settings
from tests.integration.http.conftest import AppFactory, served

ACCEPT_COMPRESSED = {"Accept-Encoding": "br, gzip"}


async def test_large_bodies_are_compressed_small_ones_not(make_app: AppFactory) -> None:
    async with make_app() as (_app, client):
        brotli = await client.get("/openapi.json", headers={"Accept-Encoding": "br"})
        assert brotli.headers["Content-Encoding"] == "br"
        assert int(brotli.headers["Content-Length"]) < len(brotli.content)
        assert "/chat" in brotli.json()["paths"]
        gzip = await client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert gzip.headers["Content-Encoding"] == "gzip"
        assert gzip.json() == brotli.json()
        small = await client.get("/health", headers={"Accept-Encoding": "br"})
        assert "Content-Encoding" not in small.headers


async def test_chat_answers_are_compressed_at_the_per_request_quality(make_app: AppFactory) -> None:
    async with make_app() as (_app, client):
        start = (await client.post("/chat", json={"message": ""})).json()
        body = {"conversation_id": start["conversation_id"], "message": "Was kostet ein EFH mit 150 m2?"}
        plain = await client.post("/chat", json=body, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers and len(plain.content) > COMPRESS_MIN_BYTES
        # The same bytes compressed by brotli at each quality: the answer must be the cheap one.
        fast = len(brotli.compress(plain.content, quality=PER_REQUEST_QUALITY, mode=brotli.MODE_TEXT))
        dense = len(brotli.compress(plain.content, quality=ASSET_QUALITY, mode=brotli.MODE_TEXT))
        assert fast != dense
        snapshot = {"conversation_id": start["conversation_id"], "message": ""}
        plain = await client.post("/chat", json=snapshot, headers={"Accept-Encoding": "identity"})
        compressed = await client.post("/chat", json=snapshot, headers={"Accept-Encoding": "br"})
        assert compressed.headers["Content-Encoding"] == "br"
        assert compressed.json() == plain.json()
        size = int(compressed.headers["Content-Length"])
        assert size == len(brotli.compress(plain.content, quality=PER_REQUEST_QUALITY, mode=brotli.MODE_TEXT))
        gzip = await client.post("/chat", json=snapshot, headers={"Accept-Encoding": "gzip"})
        assert gzip.headers["Content-Encoding"] == "gzip" and gzip.json() == plain.json()


def test_only_per_request_answers_get_the_fast_quality() -> None:
    for path in ("/chat", "/agents", "/readiness", "/metrics", "/staff/bookings", "/staff/leads.csv"):
        assert PER_REQUEST_PATHS.match(path), path
    for path in (
        "/",
        "/panel",
        "/console",
        "/widget.js",
        "/static/abc/js/chat.js",
        "/openapi.json",
        "/chats",
    ):
        assert not PER_REQUEST_PATHS.match(path), path


def _add_gated_stream(app: FastAPI, gate: asyncio.Event) -> None:
    @app.post("/test-only/stream")
    async def gated() -> StreamingResponse:
        async def events() -> AsyncIterator[str]:
            yield "event: first\ndata: {}\n\n"
            # Only a client that already received the first event can open the gate.
            await gate.wait()
            yield "event: second\ndata: " + json.dumps({"padding": "z" * 2000}) + "\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")


async def test_events_are_not_held_back_by_compression(sqlite_url: str) -> None:
    from tests.conftest import _prepare

    await _prepare(sqlite_url)
    app = create_app(_settings(sqlite_url))
    gate = asyncio.Event()
    _add_gated_stream(app, gate)
    async with (
        served(app) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=10) as client,
        client.stream("POST", "/test-only/stream", headers=ACCEPT_COMPRESSED) as response,
    ):
        assert "Content-Encoding" not in response.headers
        received = ""
        async with asyncio.timeout(10):  # a buffering middleware would wait for the gate forever
            async for text in response.aiter_text():
                received += text
                if "event: first" in received:
                    gate.set()
        assert "event: second" in received


async def test_chat_stream_arrives_as_several_events(sqlite_url: str) -> None:
    from tests.conftest import _prepare

    await _prepare(sqlite_url)
    app = create_app(_settings(sqlite_url))
    async with served(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        started = (await client.post("/chat", json={"message": ""}, headers=ACCEPT_COMPRESSED)).json()
        body = {
            "conversation_id": started["conversation_id"],
            "message": "Was kostet ein Einfamilienhaus mit 150 m2 in Holzbauweise?",
        }
        async with client.stream("POST", "/chat/stream", json=body, headers=ACCEPT_COMPRESSED) as response:
            assert response.status_code == 200
            assert response.headers["Content-Type"].startswith("text/event-stream")
            assert "Content-Encoding" not in response.headers
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            names = [
                line.removeprefix("event: ")
                async for line in response.aiter_lines()
                if line.startswith("event: ")
            ]
    assert len(names) >= 3
    assert names[-1] == "result"
