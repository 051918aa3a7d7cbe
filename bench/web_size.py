"""First-load transfer size of the chat page: the HTML plus every CSS and JS file it loads.

    .venv/bin/python bench/web_size.py [--base-url http://127.0.0.1:8000] [--budget-kb 100]

Without --base-url the app runs in-process (the full middleware stack, compression included) on a
throw-away SQLite database. The page is fetched with `Accept-Encoding: br, gzip` like a browser; ES
module imports are followed, so the figure is what a first visit downloads (bytes on the wire,
bodies only, headers excluded). Exits 1 when the total exceeds the budget.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

ACCEPT_ENCODING = "br, gzip"
IMPORT = re.compile(r"""(?:\bimport|\bexport)\s*(?:[\w*{}\s,]+\s*from\s*)?["']([^"']+)["']""")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.urls.append(str(values["src"]))
        loaded = values.get("rel") in {"stylesheet", "modulepreload", "icon"}
        if tag == "link" and loaded and values.get("href"):
            self.urls.append(str(values["href"]))


def _get(client: httpx.Client, url: str) -> tuple[bytes, int, str]:
    """Decoded body, bytes on the wire, and the content encoding."""
    with client.stream("GET", url, headers={"Accept-Encoding": ACCEPT_ENCODING}) as response:
        response.raise_for_status()
        body = response.read()
        return body, response.num_bytes_downloaded, response.headers.get("content-encoding", "identity")


def measure(client: httpx.Client, page: str = "/") -> list[tuple[str, int, int, str]]:
    """(path, wire bytes, decoded bytes, encoding) for the page and everything it loads."""
    rows: list[tuple[str, int, int, str]] = []
    body, wire, encoding = _get(client, page)
    rows.append((page, wire, len(body), encoding))
    parser = _Assets()
    parser.feed(body.decode("utf-8"))
    queue = [urljoin(page, url) for url in parser.urls]
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen:
            continue
        seen.add(path)
        body, wire, encoding = _get(client, path)
        rows.append((path, wire, len(body), encoding))
        if path.endswith((".js", ".mjs")):
            text = body.decode("utf-8")
            queue += [urljoin(path, spec) for spec in IMPORT.findall(text) if spec.startswith(".")]
    return rows


@contextmanager
def _in_process() -> Iterator[httpx.Client]:
    from fastapi.testclient import TestClient

    from erni_agents.api.app import create_app
    from erni_agents.config import Settings
    from erni_agents.store.db import create_engine, create_session_factory
    from erni_agents.store.migrate import upgrade
    from erni_agents.store.seed import seed_reference_data

    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite+aiosqlite:///{Path(workdir) / 'web.db'}"
        upgrade(url)

        async def seed() -> None:
            engine = create_engine(url)
            try:
                await seed_reference_data(create_session_factory(engine))
            finally:
                await engine.dispose()

        asyncio.run(seed())
        settings = Settings(database_url=url, environment="test", llm_provider="local", log_level="WARNING")
        with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
            yield client


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="a running server; default: the app in-process")
    parser.add_argument("--page", default="/")
    parser.add_argument("--budget-kb", type=float, default=100.0)
    args = parser.parse_args()
    if args.base_url:
        with httpx.Client(base_url=args.base_url, timeout=30) as client:
            rows = measure(client, args.page)
    else:
        with _in_process() as client:
            rows = measure(client, args.page)
    width = max(len(row[0]) for row in rows)
    print(f"{'file':<{width}}  {'wire':>8}  {'decoded':>8}  encoding")
    for path, wire, decoded, encoding in rows:
        print(f"{path:<{width}}  {wire:>8}  {decoded:>8}  {encoding}")
    total_wire = sum(row[1] for row in rows)
    total_decoded = sum(row[2] for row in rows)
    print(f"{'total':<{width}}  {total_wire:>8}  {total_decoded:>8}")
    print(
        f"first load of {args.page}: {total_wire / 1024:.1f} KB on the wire "
        f"({total_decoded / 1024:.1f} KB decoded), {len(rows)} requests, budget {args.budget_kb:.0f} KB"
    )
    return 0 if total_wire <= args.budget_kb * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
