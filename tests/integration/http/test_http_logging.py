"""Structured JSON logs with request ids, masking of personal data and secrets in the output of
the real handler, and the Sentry scrubber."""

from __future__ import annotations

import json
import logging
import warnings
from typing import Any

import pytest
import sentry_sdk
import structlog

from erni_agents.config import Settings
from erni_agents.ops.masking import MASK, Masker
from erni_agents.ops.sentry import init_sentry, scrubber
from tests.conftest import _settings
from tests.integration.http.conftest import AppFactory

EMAIL = "hans.muster@example.ch"
PHONE = "+41 79 123 45 67"
PHONE_NATIONAL = "079 765 43 21"
PASSWORD = "Hunter2-Very-Secret"
JWT_SECRET = "jwt-secret-for-the-log-test-0123456789"


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


async def test_personal_data_and_secrets_are_masked_in_the_log_output(
    make_app: AppFactory, capfd: pytest.CaptureFixture[str]
) -> None:
    async with make_app(log_level="DEBUG", jwt_secret_key=JWT_SECRET) as (_app, client):
        message = f"Ich bin Hans, {EMAIL}, Tel. {PHONE} oder {PHONE_NATIONAL}. " + "x" * 4000
        rejected = await client.post("/chat", json={"message": message})
        assert rejected.status_code == 422
        await client.post(f"/staff/login?user=hans&password={PASSWORD}", json={})
        # Application code logging a login payload and the secret by mistake, via both APIs.
        structlog.get_logger("erni_agents.staff").warning(
            "login failed", payload={"username": "hans", "password": PASSWORD}, note=f"key {JWT_SECRET}"
        )
        logging.getLogger("erni_agents.staff").warning(
            "retry with password=%s and Authorization: Bearer %s", PASSWORD, "eyJhbGciOi.abc.def"
        )
    output = capfd.readouterr().out
    for secret in (EMAIL, PHONE, PHONE_NATIONAL, PASSWORD, JWT_SECRET, "eyJhbGciOi.abc.def"):
        assert secret not in output
    lines = _lines(output)
    validation = next(line for line in lines if line["event"] == "request validation failed")
    assert MASK in validation["inputs"][0] and "Ich bin Hans" in validation["inputs"][0]
    login = next(line for line in lines if line.get("path") == "/staff/login")
    assert login["query"] == f"user=hans&password={MASK}"
    failed = next(line for line in lines if line["event"] == "login failed")
    assert failed["payload"] == {"username": "hans", "password": MASK}
    assert failed["note"] == f"key {MASK}"
    stdlib = next(line for line in lines if line["event"].startswith("retry with"))
    assert stdlib["event"] == f"retry with password={MASK} and Authorization: Bearer {MASK}"
    assert stdlib["level"] == "warning" and stdlib["logger"] == "erni_agents.staff"


async def test_request_log_line_and_request_id(
    make_app: AppFactory, capfd: pytest.CaptureFixture[str]
) -> None:
    async with make_app() as (_app, client):
        echoed = await client.get("/agents", headers={"X-Request-ID": "req-abc.123"})
        assert echoed.headers["X-Request-ID"] == "req-abc.123"
        invalid = await client.get("/agents", headers={"X-Request-ID": "bad id with spaces"})
        assert invalid.headers["X-Request-ID"] != "bad id with spaces"
        started = await client.post("/chat", json={"message": ""})
    lines = _lines(capfd.readouterr().out)
    request = next(line for line in lines if line.get("request_id") == "req-abc.123")
    assert request["event"] == "request"
    assert request["route"] == "/agents" and request["method"] == "GET" and request["status"] == 200
    assert isinstance(request["duration_ms"], float)
    assert request["level"] == "info" and request["timestamp"].endswith("Z")
    chat = next(line for line in lines if line.get("route") == "/chat")
    assert chat["request_id"] == started.headers["X-Request-ID"]


def test_log_level_comes_from_settings(sqlite_url: str, capfd: pytest.CaptureFixture[str]) -> None:
    from erni_agents.ops.logging import configure_logging

    configure_logging(_settings(sqlite_url, log_level="WARNING"))
    structlog.get_logger("erni_agents.test").info("hidden")
    structlog.get_logger("erni_agents.test").warning("shown")
    events = [line["event"] for line in _lines(capfd.readouterr().out)]
    assert "shown" in events and "hidden" not in events


def test_sentry_scrubber_masks_the_event() -> None:
    masker = Masker([JWT_SECRET])
    event = {
        "message": f"booking failed for {EMAIL}",
        "exception": {"values": [{"type": "ValueError", "value": f"bad phone {PHONE}"}]},
        "request": {"data": {"password": PASSWORD, "message": f"call {PHONE_NATIONAL}"}, "headers": {}},
        "breadcrumbs": {"values": [{"message": "Authorization: Bearer eyJhbGciOi.abc.def"}]},
        "extra": {"settings": f"jwt={JWT_SECRET}", "turns": 3},
        "level": "error",
    }
    scrubbed = scrubber(masker)(event, {})
    assert scrubbed is not None
    text = json.dumps(scrubbed)
    for secret in (EMAIL, PHONE, PHONE_NATIONAL, PASSWORD, JWT_SECRET, "eyJhbGciOi.abc.def"):
        assert secret not in text
    assert scrubbed["request"]["data"]["password"] == MASK
    assert scrubbed["extra"]["turns"] == 3 and scrubbed["level"] == "error"


def test_sentry_starts_only_with_a_dsn_and_never_sends_pii(sqlite_url: str) -> None:
    settings = _settings(sqlite_url)
    assert init_sentry(settings, Masker.from_settings(settings)) is False
    with_dsn = Settings.model_validate(
        {**settings.model_dump(), "sentry_dsn": "https://public@127.0.0.1:9/1"}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)  # no deprecated options
            assert init_sentry(with_dsn, Masker.from_settings(with_dsn)) is True
        client = sentry_sdk.get_client()
        options = client.options
        assert client.should_send_default_pii() is False
        collection = options["data_collection"]
        assert collection["user_info"] is False and collection["http_bodies"] == []
        assert collection["gen_ai"] == {"inputs": False, "outputs": False}
        assert options["environment"] == "test"
        scrubbed = options["before_send"]({"message": f"mail {EMAIL}"}, {})
        assert scrubbed == {"message": f"mail {MASK}"}
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # back to the no-op client
