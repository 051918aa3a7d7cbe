"""What the local engine can answer with: a message, a tool call or a handoff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class CallTool:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class HandOff:
    agent: str


Decision = Say | CallTool | HandOff
