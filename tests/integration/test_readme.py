"""The README's sample conversation is real: each quoted reply is what the assistant says."""

from __future__ import annotations

import re
from pathlib import Path

from erni_agents.api.state import AppState

README = Path(__file__).resolve().parents[2] / "README.md"


def _sample() -> list[tuple[str, str, str]]:
    """(message, agent, reply start) per turn of the README's sample block."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Sample conversation", 1)[1].split("```", 2)[1]
    turns: list[tuple[str, str, str]] = []
    lines = block.splitlines()
    for index, line in enumerate(lines):
        sent = re.search(r'"message": "([^"]+)"', line)
        if not sent or index + 1 >= len(lines):
            continue
        reply = re.match(r"\s+\[([^\]]+)\] (.+)", lines[index + 1])
        assert reply, f"no quoted reply after {line!r}"
        first = reply.group(2)
        # The quote continues on indented lines until the next request; "…" marks an elision.
        for more in lines[index + 2 :]:
            if more.lstrip().startswith("POST") or not more.startswith("  "):
                break
            first += " " + more.strip()
        turns.append((sent.group(1), reply.group(1), first.split("…", 1)[0].strip()))
    return turns


async def test_readme_sample_conversation_is_what_the_assistant_says(state: AppState) -> None:
    turns = _sample()
    assert len(turns) >= 2
    started = await state.service.start()
    for message, agent, quoted in turns:
        result = await state.service.turn(started.conversation_id, message)
        reply = " ".join(" ".join(m["content"] for m in result.messages).split())
        assert result.current_agent == agent, message
        assert " ".join(quoted.split()) in reply, f"README quotes {quoted!r}, the assistant said {reply!r}"
