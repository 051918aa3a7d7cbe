"""Swagger UI (`/docs`) and ReDoc (`/redoc`) served without a CDN and without inline scripts.

The JavaScript and CSS come from the `fastapi-offline` package (Swagger UI 5, ReDoc 2), mounted
at /docs/assets; the page start-up code is a separate script, so the pages work offline and under
`script-src 'self'` (middleware/headers.py gives them a CSP that allows inline styles only).
"""

from __future__ import annotations

import json
from importlib import resources

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
router = APIRouter(include_in_schema=False)


def _openapi_url(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}{request.app.openapi_url}"


def _page(title: str, head: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="icon" href="{ASSETS}/favicon.png">{head}</head>
<body>{body}</body>
</html>"""
    )


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return _page(
        f"{request.app.title} - Swagger UI",
        f'<link rel="stylesheet" href="{root}{ASSETS}/swagger-ui.css">',
        f'<div id="swagger-ui"></div><script src="{root}{ASSETS}/swagger-ui-bundle.js"></script>'
        f'<script src="{root}/docs/init.js"></script>',
    )


@router.get("/docs/init.js")
async def swagger_init(request: Request) -> Response:
    options = {
        "url": _openapi_url(request),
        "dom_id": "#swagger-ui",
        "validatorUrl": None,
        "deepLinking": True,
    }
    script = f"window.ui = SwaggerUIBundle({json.dumps(options)});\n"
    return Response(script, media_type="text/javascript")


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return _page(
        f"{request.app.title} - ReDoc",
        "",
        f'<redoc spec-url="{_openapi_url(request)}"></redoc>'
        f'<script src="{root}{ASSETS}/redoc.standalone.js"></script>',
    )


def install_docs(app: FastAPI) -> None:
    """Needs `FastAPI(docs_url=None, redoc_url=None)`: these pages replace the CDN-based ones."""
    app.include_router(router)
    directory = resources.files("fastapi_offline") / "static"
    app.mount(ASSETS, StaticFiles(directory=str(directory)), name="docs-assets")
