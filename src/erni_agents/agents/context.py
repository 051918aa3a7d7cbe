"""The typed conversation context shared by all agents, persisted per conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from erni_agents.agents.deps import AgentDeps


class ConversationContext(BaseModel):
    """What the assistant knows about the visitor and the project. Both brains read it."""

    customer_name: str | None = None
    customer_last_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    project_number: str | None = None
    project_type: str | None = None
    construction_type: str | None = None
    area_sqm: float | None = None
    budget_chf: int | None = None
    location: str | None = None
    specialist_type: str | None = None
    preferred_date: str | None = None
    preferred_time: str | None = None
    consultation_booked: bool = False
    booking_reference: str | None = None
    specialist_assigned: str | None = None
    inquiry_id: int | None = None
    language: str = "de"
    status_failed_attempts: int = Field(default=0, ge=0)
    status_verified_project: str | None = None

    def public(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def diff(self, before: dict[str, Any]) -> dict[str, Any]:
        after = self.public()
        return {key: after[key] for key in after if before.get(key) != after[key]}

    # Fields shown to the model in the agent instructions. The verification counters are enforced
    # by the tools and deliberately not shown.
    def prompt_lines(self) -> list[str]:
        hidden = {"status_failed_attempts", "status_verified_project"}
        return [
            f"{key}: {value}"
            for key, value in self.public().items()
            if key not in hidden and value not in (None, "", False)
        ]


@dataclass
class AgentRunContext:
    """The object the SDK hands to tools and dynamic instructions (`RunContextWrapper.context`)."""

    conversation_id: str
    state: ConversationContext
    deps: AgentDeps
    now: datetime
    # Validation problems found in this turn's message (e.g. an invalid e-mail), shown to the model.
    turn_notes: list[str] = field(default_factory=list)
