"""Reading what an LLM would read: the instructions' header and context, and the transcript."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_AGENT = re.compile(r"You are the (.+?) of ERNI Gruppe")
_TODAY = re.compile(r"Today: (\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class ToolCall:
    call_id: str
    name: str
    args: dict[str, Any]
    output: dict[str, Any] | None


@dataclass
class View:
    agent: str
    today: date
    context: dict[str, str]
    notes: list[str]
    user_text: str
    calls: list[ToolCall] = field(default_factory=list)  # whole conversation, oldest first
    turn_calls: list[ToolCall] = field(default_factory=list)  # since the latest user message
    last_item_type: str = "message"
    last_assistant_text: str = ""

    @property
    def language(self) -> str:
        return self.context.get("language", "de")

    def last_call(self, name: str) -> ToolCall | None:
        return next((c for c in reversed(self.calls) if c.name == name), None)

    @property
    def pending_tool_result(self) -> ToolCall | None:
        """The tool call whose output the model must react to now (None after a user message)."""
        if self.last_item_type != "function_call_output" or not self.turn_calls:
            return None
        return self.turn_calls[-1]

    @property
    def transfers_this_turn(self) -> list[str]:
        return [c.name for c in self.turn_calls if c.name.startswith("transfer_to_")]


def _sections(instructions: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in instructions.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None and line.strip():
            current.append(line.strip())
    return sections


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _loads(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    try:
        value = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def read(instructions: str | None, items: str | list[Any]) -> View:
    text = instructions or ""
    agent_match = _AGENT.search(text)
    today_match = _TODAY.search(text)
    sections = _sections(text)
    context = dict(line.split(": ", 1) for line in sections.get("Conversation context", []) if ": " in line)
    notes = [line.removeprefix("- ") for line in sections.get("Notes for this turn", [])]
    view = View(
        agent=agent_match.group(1) if agent_match else "Triage Agent",
        today=date.fromisoformat(today_match.group(1)) if today_match else date.today(),
        context=context,
        notes=notes,
        user_text="",
    )
    entries = [{"role": "user", "content": items}] if isinstance(items, str) else list(items)
    outputs = {
        e.get("call_id"): _loads(e.get("output")) for e in entries if e.get("type") == "function_call_output"
    }
    for entry in entries:
        kind = entry.get("type", "message")
        if entry.get("role") == "user" and kind == "message":
            view.user_text = _text_of(entry.get("content"))
            view.turn_calls = []
        elif entry.get("role") == "assistant":
            view.last_assistant_text = _text_of(entry.get("content"))
        elif kind == "function_call":
            call = ToolCall(
                call_id=str(entry.get("call_id")),
                name=str(entry.get("name")),
                args=_loads(entry.get("arguments")),
                output=outputs.get(entry.get("call_id")),
            )
            view.calls.append(call)
            view.turn_calls.append(call)
    if entries:
        last = entries[-1]
        view.last_item_type = str(last.get("type") or "message")
    return view
