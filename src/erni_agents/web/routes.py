"""The web front end: customer chat, agent panel, staff console, embeddable widget, static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

import anyio.to_thread
from fastapi import APIRouter, FastAPI, HTTPException, Request, Response

from erni_agents.web.assets import Asset, WebAssets, etag_matches

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # pages: always revalidate, answered with 304 while unchanged
WIDGET_CACHE = "public, max-age=300"  # host sites embed the loader's URL, so it cannot be fingerprinted

# Static files and the widget loader are public and carry no credentials: other sites may load them
# (the widget imports our ES modules cross-origin, which needs CORS on the module responses).
_SHAREABLE = {"Access-Control-Allow-Origin": "*", "Cross-Origin-Resource-Policy": "cross-origin"}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.web_assets = await anyio.to_thread.run_sync(WebAssets.load)
    yield


router = APIRouter(include_in_schema=False, lifespan=_lifespan)


def _assets(request: Request) -> WebAssets:
    return cast(WebAssets, request.app.state.web_assets)


def _send(
    request: Request, asset: Asset, cache_control: str, extra: dict[str, str] | None = None
) -> Response:
    headers = {"ETag": asset.etag, "Cache-Control": cache_control, "X-Content-Type-Options": "nosniff"}
    headers.update(extra or {})
    if etag_matches(request.headers.get("if-none-match"), asset.etag):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def _page(request: Request, name: str) -> Response:
    asset = _assets(request).page(name, request.scope.get("root_path", ""))
    return _send(request, asset, REVALIDATE)


@router.get("/")
async def chat_page(request: Request) -> Response:
    return _page(request, "chat.html")


@router.get("/panel")
async def panel_page(request: Request) -> Response:
    return _page(request, "panel.html")


@router.get("/console")
async def console_page(request: Request) -> Response:
    return _page(request, "console.html")


@router.get("/widget.js")
async def widget_loader(request: Request) -> Response:
    asset = _assets(request).page("widget.js", request.scope.get("root_path", ""))
    return _send(request, asset, WIDGET_CACHE, _SHAREABLE)


@router.get("/static/{version}/{path:path}")
async def static_file(request: Request, version: str, path: str) -> Response:
    assets = _assets(request)
    asset = assets.files.get(path)
    if asset is None:
        raise HTTPException(status_code=404, detail="Not found")
    # A page rendered by a replica with another release still gets the file, just not cached for a year.
    cache_control = IMMUTABLE if version == assets.version else REVALIDATE
    return _send(request, asset, cache_control, _SHAREABLE)
