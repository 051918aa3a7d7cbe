"""The `openai` provider path, tested at the protocol level.

There is no internet here, so the "LLM" is a local OpenAI-compatible HTTP endpoint started by the
test (`/v1/chat/completions`). It returns scripted tool calls; the real SDK, the real OpenAI
client and our real tools do everything else.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from erni_agents.api.state import build_state
from erni_agents.config import Settings
from tests.conftest import FIXED_NOW, _prepare


def _completion(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
                "message": {"role": "assistant", **message},
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _tool_call(name: str, args: dict[str, Any], call_id: str) -> dict[str, Any]:
    return {
        "content": None,
        "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}
        ],
    }


class ScriptedLLM:
    """Answers each chat completion with the next scripted message, after `delay` seconds."""

    def __init__(self, script: list[dict[str, Any]], delay: float = 0.0) -> None:
        self.script = list(script)
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.auth_headers: list[str] = []
        self.called = threading.Event()

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        llm = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                llm.requests.append(body)
                llm.auth_headers.append(self.headers.get("Authorization", ""))
                llm.called.set()
                time.sleep(llm.delay)
                if self.path != "/v1/chat/completions" or not llm.script:
                    self.send_response(500)
                    self.end_headers()
                    return
                payload = json.dumps(_completion(llm.script.pop(0))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


@pytest.fixture
def scripted() -> Iterator[tuple[ScriptedLLM, str]]:
    llm = ScriptedLLM(
        [
            _tool_call("transfer_to_cost_estimation_agent", {}, "call_1"),
            _tool_call(
                "estimate_project_cost",
                {"project_type": "single-family", "area_sqm": 150, "construction_type": "timber"},
                "call_2",
            ),
            {"content": "A preliminary estimate: CHF 450'000 to 562'500."},
        ]
    )
    server, url = llm.serve()
    yield llm, url
    server.shutdown()


async def test_openai_compatible_endpoint_runs_the_same_graph(
    sqlite_url: str, scripted: tuple[ScriptedLLM, str]
) -> None:
    llm, base_url = scripted
    await _prepare(sqlite_url)
    settings = Settings(
        _env_file=None,
        database_url=sqlite_url,
        llm_provider="openai",  # type: ignore[call-arg]
        openai_api_key="sk-test-not-a-real-key",
        openai_base_url=base_url,
        llm_model="scripted-model",
    )
    state = await build_state(settings)
    state.service.clock = lambda: FIXED_NOW
    try:
        started = await state.service.start()
        result = await state.service.turn(started.conversation_id, "How much is a 150 m2 timber house?")
    finally:
        await state.close()

    assert result.current_agent == "Cost Estimation Agent"
    calls = [e for e in result.events if e["type"] == "tool_call"]
    outputs = [e for e in result.events if e["type"] == "tool_output"]
    assert [c["content"] for c in calls] == ["estimate_project_cost"]
    # Our real tool ran and normalised the LLM's synonyms.
    assert outputs[0]["metadata"]["tool_result"]["min_chf"] == 450000
    assert outputs[0]["metadata"]["tool_result"]["project_type"] == "Einfamilienhaus"
    assert result.context["inquiry_id"] is not None
    assert result.messages[-1]["content"].startswith("A preliminary estimate")
    # What the endpoint saw: the configured model, our tools as function schemas, the key as bearer.
    assert all(r["model"] == "scripted-model" for r in llm.requests)
    first_tools = {t["function"]["name"] for t in llm.requests[0]["tools"]}
    assert "transfer_to_cost_estimation_agent" in first_tools
    second_tools = {t["function"]["name"] for t in llm.requests[1]["tools"]}
    assert "estimate_project_cost" in second_tools
    assert llm.auth_headers[0] == "Bearer sk-test-not-a-real-key"
    assert "Conversation context" in llm.requests[0]["messages"][0]["content"]
