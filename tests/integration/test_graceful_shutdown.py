"""`erni-agents serve` lets a running turn finish when it is told to stop (SIGTERM).

The turn is made slow by a local OpenAI-compatible endpoint that answers after two seconds
(there is no internet here); the server is the real CLI in its own process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.test_openai_protocol import ScriptedLLM

BIN = Path(sys.executable).parent
SLOW_SECONDS = 2.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def slow_llm() -> Iterator[tuple[ScriptedLLM, str]]:
    llm = ScriptedLLM([{"content": "We are open Monday to Friday."}], delay=SLOW_SECONDS)
    server, url = llm.serve()
    yield llm, url
    server.shutdown()


def test_sigterm_lets_the_running_turn_finish(tmp_path: Path, slow_llm: tuple[ScriptedLLM, str]) -> None:
    llm, base_url = slow_llm
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/erni.db",
        "LLM_PROVIDER": "openai",
        "OPENAI_API_KEY": "sk-test-not-a-real-key",
        "OPENAI_BASE_URL": base_url,
        "GUARDRAIL_LLM_CASCADE": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([BIN / "erni-agents", "migrate"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [BIN / "erni-agents", "serve", "--port", str(port), "--workers", "1", "--graceful-timeout", "20"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        conversation = httpx.post(f"{base}/chat", json={"message": ""}, timeout=10).json()["conversation_id"]

        answers: list[httpx.Response] = []
        turn = threading.Thread(
            target=lambda: answers.append(
                httpx.post(
                    f"{base}/chat",
                    json={"conversation_id": conversation, "message": "What are your opening hours?"},
                    timeout=30,
                )
            )
        )
        turn.start()
        assert llm.called.wait(15), "the turn never reached the model"
        server.send_signal(signal.SIGTERM)  # while the model is still "thinking"

        turn.join(30)
        # uvicorn re-raises the signal it handled once it has shut down cleanly.
        assert server.wait(30) in (0, -signal.SIGTERM)
    finally:
        if server.poll() is None:
            server.kill()
    assert len(answers) == 1 and answers[0].status_code == 200, answers
    assert answers[0].json()["messages"][-1]["content"] == "We are open Monday to Friday."
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/health", timeout=1)
