"""Request and response models of the staff API (the web console is built against these shapes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from erni_agents.staff.security import MAX_PASSWORD_LENGTH, Role


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=80)
    # No length constraints here: a validation error would echo (and the error log record) the
    # value; the service turns an empty or over-long password into an ordinary failed login.
    password: str = Field(description=f"At most {MAX_PASSWORD_LENGTH} characters")


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the token expires")
    username: str
    role: Role


class StaffMe(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    role: Role


class StaffUserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    role: Role
    active: bool
    created_at: datetime


class BookingOut(BaseModel):
    id: int
    reference: str
    specialist_name: str
    specialist_type: str
    starts_at: datetime
    ends_at: datetime
    status: Literal["active", "cancelled"]
    customer_name: str
    customer_email: str
    customer_phone: str
    conversation_id: str | None
    created_at: datetime
    cancelled_at: datetime | None


class ConversationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    current_agent: str
    language: str
    turn_count: int
    created_at: datetime
    updated_at: datetime


class TranscriptMessage(BaseModel):
    role: Literal["user", "assistant"]
    agent: str | None = Field(description="The agent that wrote an assistant message; null for the customer")
    content: str
    created_at: datetime


class ConversationEventOut(BaseModel):
    id: str
    type: str
    agent: str
    content: str
    metadata: dict[str, Any]
    timestamp: datetime


class ConversationDetail(BaseModel):
    id: str
    current_agent: str
    language: str
    context: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    messages: list[TranscriptMessage]
    events: list[ConversationEventOut]


class InquiryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: str | None
    project_type: str
    construction_type: str
    area_sqm: float
    min_chf: int
    max_chf: int
    customer_name: str | None
    customer_email: str | None
    customer_phone: str | None
    created_at: datetime


class GuardrailTripOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: str | None
    guardrail: str
    reasoning: str
    created_at: datetime
