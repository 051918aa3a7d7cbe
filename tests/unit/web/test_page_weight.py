"""The chat page's first load stays within its 100 KB (compressed) budget."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from types import ModuleType

from fastapi.testclient import TestClient
from tests.conftest import _prepare, _settings

from erni_agents.api.app import create_app

BUDGET = 100 * 1024


def _bench() -> ModuleType:
    path = Path(__file__).parents[3] / "bench" / "web_size.py"
    spec = importlib.util.spec_from_file_location("web_size", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chat_page_first_load_is_compressed_and_within_budget(sqlite_url: str) -> None:
    asyncio.run(_prepare(sqlite_url))
    with TestClient(create_app(_settings(sqlite_url)), base_url="http://127.0.0.1") as client:
        rows = _bench().measure(client, "/")
    paths = [row[0] for row in rows]
    assert any(path.endswith("/vendor/purify.es.mjs") for path in paths)  # imports were followed
    big = [row for row in rows if row[2] > 2048]
    assert big and all(row[3] in {"br", "gzip"} for row in big), big
    assert sum(row[1] for row in rows) <= BUDGET
