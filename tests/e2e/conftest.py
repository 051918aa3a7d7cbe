"""Browser tests: a real server (uvicorn via `erni-agents serve`) on a fresh SQLite database, a second
origin for the widget, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
STAFF_USER = "e2e-admin"
STAFF_PASSWORD = "e2e-Console-Pass-2024!"  # a throw-away test account on a throw-away database


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli() -> list[str]:
    return [str(Path(sys.executable).parent / "erni-agents")]


@dataclass(frozen=True)
class Servers:
    base: str
    other_origin: str
    env: dict[str, str]


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not come up:\n{log.read_text(errors='replace')[-4000:]}")


class _HostSite(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    root = tmp_path_factory.mktemp("e2e")
    port, site_port = _free_port(), _free_port()
    base, other_origin = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{site_port}"
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": f"sqlite+aiosqlite:///{root / 'e2e.db'}",
        "CORS_ORIGINS": f"{base},{other_origin}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RATE_LIMIT_PER_MINUTE": "1000",
        "RATE_LIMIT_PER_HOUR": "10000",
        "LOGIN_RATE_LIMIT": "100/minute",
        "STAFF_PASSWORD": STAFF_PASSWORD,
    }
    env.pop("REDIS_URL", None)
    for command in (["migrate"], ["seed-demo"], ["create-staff-user", STAFF_USER, "--role", "admin"]):
        subprocess.run([*_cli(), *command], env=env, check=True, capture_output=True, timeout=120)

    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<!doctype html><html lang='de'><head><meta charset='utf-8'><title>Host site</title></head>"
        "<body><h1>Ein anderer Webauftritt</h1><p>Seite mit eingebettetem ERNI-Widget.</p>"
        f'<script src="{base}/widget.js" data-lang="de" async></script></body></html>',
        encoding="utf-8",
    )
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), partial(_HostSite, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*_cli(), "serve", "--port", str(port), "--workers", "1"], env=env, stdout=out, stderr=out
        )
    try:
        _wait_for(f"{base}/health", process, log)
        yield Servers(base, other_origin, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        httpd.shutdown()


# Module scope: while Playwright's sync API runs, its event loop is the running loop of the main
# thread, which would break `asyncio.run` in the non-browser tests collected after these.
@pytest.fixture(scope="module")
def browser(servers: Servers) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh context (own sessionStorage) per test; any page error or dialog fails the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="de-CH")  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not problems, problems


def save_screenshot(page: object, name: str, copy_to_docs: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)  # type: ignore[attr-defined]
    # The README's pictures change only on request, not with every test run.
    if copy_to_docs and os.environ.get("ERNI_UPDATE_DOC_SCREENSHOTS"):
        docs = Path(__file__).parents[2] / "docs" / "img"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / name)
    return path
