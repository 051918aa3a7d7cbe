"""Pages, widget loader and static files: fingerprints, caching, ETags, CSP-compatible markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.conftest import _prepare, _settings

from erni_agents.api.app import create_app
from erni_agents.web import routes
from erni_agents.web.assets import STATIC_DIR, WebAssets, etag_matches

PAGES = ["/", "/panel", "/console"]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(routes.router)
    with TestClient(app) as test_client:  # runs the router's lifespan: assets load at start-up
        yield test_client


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.handlers: list[str] = []
        self.style_elements = 0
        self.iframes = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.style_attributes += "style" in values
        self.style_elements += tag == "style"
        self.iframes += tag == "iframe"
        if tag == "script":
            self._in_script = "src" not in values
            if values.get("src"):
                self.urls.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.urls.append(str(values["href"]))

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def _markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", PAGES)
def test_pages_reference_fingerprinted_assets_only(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    markup = _markup(response.text)
    assert markup.urls
    version = client.app.state.web_assets.version  # type: ignore[attr-defined]
    for url in markup.urls:
        assert url.startswith(f"/static/{version}/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["cache-control"] == routes.IMMUTABLE


@pytest.mark.parametrize("path", PAGES)
def test_pages_work_under_the_content_security_policy(client: TestClient, path: str) -> None:
    markup = _markup(client.get(path).text)
    assert markup.inline_scripts == 0
    assert markup.style_attributes == 0
    assert markup.style_elements == 0
    assert markup.handlers == []
    assert markup.iframes == 0


@pytest.mark.parametrize("path", [*PAGES, "/widget.js"])
def test_etag_revalidation_answers_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(path, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_widget_loader_is_a_plain_script_with_the_current_version(client: TestClient) -> None:
    response = client.get("/widget.js")
    version = client.app.state.web_assets.version  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == routes.WIDGET_CACHE
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert f"/static/{version}" in response.text
    assert "{{" not in response.text
    assert "document.currentScript" in response.text
    assert "iframe" not in response.text.lower().replace("no iframe", "")


def test_static_files_can_be_imported_by_other_origins(client: TestClient) -> None:
    version = client.app.state.web_assets.version  # type: ignore[attr-defined]
    response = client.get(f"/static/{version}/js/widget-main.js")
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_older_version_is_still_served_but_not_cached_for_a_year(client: TestClient) -> None:
    response = client.get("/static/000000000000/css/chat.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/static/x/nope.js", "/static/x/../assets.py", "/static/x/%2e%2e/routes.py", "/static/x/"]
)
def test_unknown_or_escaping_paths_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_fingerprint_changes_with_content(tmp_path: object) -> None:
    from pathlib import Path

    base = Path(str(tmp_path))
    (base / "static").mkdir()
    (base / "pages").mkdir()
    (base / "static" / "a.js").write_text("one")
    (base / "pages" / "p.html").write_text("<link href='{{static}}/a.js'>")
    first = WebAssets.load(base / "static", base / "pages")
    (base / "static" / "a.js").write_text("two")
    second = WebAssets.load(base / "static", base / "pages")
    assert first.version != second.version
    expected = f"<link href='/prefix/static/{second.version}/a.js'>"
    assert second.page("p.html", "/prefix").body == expected.encode()


def test_etag_matching() -> None:
    assert etag_matches('"a", W/"b"', '"b"')
    assert etag_matches("*", '"b"')
    assert not etag_matches(None, '"b"')
    assert not etag_matches('"a"', '"b"')


def test_no_script_builds_markup_from_strings() -> None:
    """Our own modules create DOM nodes; only the vendored sanitiser may parse HTML."""
    forbidden = re.compile(
        r"\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function"
    )
    for path in sorted((STATIC_DIR / "js").glob("*.js")):
        assert not forbidden.search(path.read_text(encoding="utf-8")), path.name


def test_the_app_serves_the_web_with_security_headers(sqlite_url: str) -> None:
    import asyncio

    asyncio.run(_prepare(sqlite_url))
    with TestClient(create_app(_settings(sqlite_url)), base_url="http://127.0.0.1") as test_client:
        response = test_client.get("/", headers={"Accept-Encoding": "br"})
        assert response.status_code == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert "ERNI" in response.text
