"""Request and response models of the public API (the contract in docs/ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Omit (or null) with an empty message to start a conversation.",
    )
    message: str = Field(
        default="",
        max_length=4000,
        description="The customer's message (at most 4000 characters); empty starts a conversation.",
    )
    language: Literal["de", "en"] | None = Field(default=None, description="Preferred reply language.")


class ChatMessage(BaseModel):
    role: Literal["user", "assistant"] = "assistant"
    agent: str | None = Field(description="The agent that wrote an assistant message; null for the customer")
    content: str


class ChatEvent(BaseModel):
    id: str
    type: Literal["message", "handoff", "tool_call", "tool_output", "context_update"]
    agent: str
    content: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    timestamp: str


class AgentInfo(BaseModel):
    name: str
    description: str
    handoffs: list[str]
    tools: list[str]
    input_guardrails: list[str]
    output_guardrails: list[str] = Field(default_factory=list)


class GuardrailCheck(BaseModel):
    id: str
    name: str
    input: str
    reasoning: str
    passed: bool
    timestamp: str


class ChatResponse(BaseModel):
    conversation_id: str
    current_agent: str
    messages: list[ChatMessage]
    events: list[ChatEvent]
    context: dict[str, Any]
    agents: list[AgentInfo]
    guardrails: list[GuardrailCheck]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorBody
