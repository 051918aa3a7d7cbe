"""The PII Guardrail end to end: an LLM answer leaking another customer's data is redacted in the
response, in the stored history and in the events, the turn still succeeds, and the guardrail
report says it acted. The "LLM" is a local OpenAI-compatible endpoint (no internet here)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from erni_agents.api.state import AppState, build_state
from tests.conftest import FIXED_NOW, _prepare, _settings
from tests.integration.test_openai_protocol import ScriptedLLM

LEAK = (
    "Sure! Project 2024-089 belongs to Huber, reachable at huber@example.com or 079 555 12 34; "
    "their IBAN is CH93 0076 2011 6238 5295 7. Your own confirmation goes to lena@example.ch. "
    "For anything else call us on 041 570 70 70."
)


@pytest.fixture
async def leaky(sqlite_url: str) -> AsyncIterator[tuple[AppState, ScriptedLLM]]:
    llm = ScriptedLLM([{"content": LEAK}])
    server, base_url = llm.serve()
    await _prepare(sqlite_url)
    state = await build_state(
        _settings(
            sqlite_url,
            llm_provider="openai",
            openai_api_key="sk-test-not-a-real-key",
            openai_base_url=base_url,
            llm_model="scripted-model",
        )
    )
    state.service.clock = lambda: FIXED_NOW
    try:
        yield state, llm
    finally:
        await state.close()
        server.shutdown()


async def test_leaked_personal_data_is_redacted_everywhere(leaky: tuple[AppState, ScriptedLLM]) -> None:
    state, _llm = leaky
    started = await state.service.start("en")

    result = await state.service.turn(
        started.conversation_id, "Hi, I'm Lena Graf, lena@example.ch. Whose is project 2024-089?"
    )

    answer = result.messages[-1]["content"]
    for secret in ("Huber", "huber@example.com", "555 12 34", "6238 5295"):
        assert secret not in answer
    assert "lena@example.ch" in answer  # the customer's own address stays
    assert "041 570 70 70" in answer  # company contacts stay
    report = next(g for g in result.guardrails if g["name"] == "PII Guardrail")
    assert report["passed"] is True
    assert "Redacted 4 item(s)" in report["reasoning"]
    assert "email" in report["reasoning"] and "iban" in report["reasoning"]

    loaded = await state.repos.load_conversation(started.conversation_id)
    assert loaded is not None
    stored = repr([item for item, _stored in loaded[1]])
    assert "huber@example.com" not in stored and "Huber" not in stored
    events = await state.repos.events(started.conversation_id)
    assert not any("huber@example.com" in e.content for e in events)


async def test_clean_answer_reports_nothing_redacted(leaky: tuple[AppState, ScriptedLLM]) -> None:
    state, llm = leaky
    llm.script[0] = {"content": "Our opening hours are Monday to Friday. Call 041 570 70 70."}
    started = await state.service.start("en")

    result = await state.service.turn(started.conversation_id, "When are you open?")

    report = next(g for g in result.guardrails if g["name"] == "PII Guardrail")
    assert report["reasoning"] == "No personal data of others in the answer."
    assert result.messages[-1]["content"] == "Our opening hours are Monday to Friday. Call 041 570 70 70."
