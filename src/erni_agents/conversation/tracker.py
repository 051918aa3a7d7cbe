"""Slot tracking: fills the conversation context from each customer message, for both brains.

Like a form's extract-and-validate step: values are extracted with the NLU, validated with the
domain rules and only then written to the context. Problems become notes for the model, so the
agent can ask again for exactly what was wrong.
"""

from __future__ import annotations

from datetime import date

from erni_agents.agents.context import ConversationContext
from erni_agents.domain import contact, verification
from erni_agents.domain.errors import InvalidContact
from erni_agents.domain.pricing import MAX_AREA_SQM, MIN_AREA_SQM
from erni_agents.domain.types import SpecialistType
from erni_agents.llm.local.nlu import Extraction, IntentScores, classify_intents, extract

STATUS_AGENT = "Project Status Agent"
COST_AGENT = "Cost Estimation Agent"
BOOKING_AGENT = "Appointment Booking Agent"


def track(state: ConversationContext, message: str, *, agent: str, today: date) -> list[str]:
    """Update ``state`` in place from ``message``; return notes about rejected values."""
    found = extract(message, today=today, lang=state.language)
    intents = classify_intents(message, state.language, slots=found)
    notes: list[str] = []
    _project(state, found, intents, agent, notes, short=len(message.split()) <= 5)
    _status(state, found, agent)
    _booking(state, found, notes)
    _accepted_offer(state, found, intents, agent)
    return notes


def _project(
    state: ConversationContext,
    found: Extraction,
    intents: IntentScores,
    agent: str,
    notes: list[str],
    *,
    short: bool,
) -> None:
    if found.project_type is not None:
        state.project_type = found.project_type.value
    if found.construction_type is not None:
        state.construction_type = found.construction_type.value
    area = found.area_sqm
    # A bare number answers the question the cost agent asked (the area), or replaces the area
    # given before: "no, I meant 950", "und mit 200?".
    replaces = state.area_sqm is None or intents.correction >= 0.5 or intents.deny >= 0.5 or short
    if area is None and found.bare_number is not None and agent == COST_AGENT and found.budget_chf is None:
        area = found.bare_number if replaces else None
    if area is not None:
        if MIN_AREA_SQM <= area <= MAX_AREA_SQM:
            state.area_sqm = float(area)
        else:
            notes.append(f"area_sqm {area:g} is outside the allowed range {MIN_AREA_SQM}-{MAX_AREA_SQM} m²")
    elif found.area_raw_invalid is not None:
        limits = f"{MIN_AREA_SQM}-{MAX_AREA_SQM}"
        notes.append(f"area_sqm {found.area_raw_invalid:g} is outside the allowed range {limits} m²")
    if found.budget_chf is not None:
        state.budget_chf = int(found.budget_chf)
    if found.location is not None:
        state.location = found.location


def _status(state: ConversationContext, found: Extraction, agent: str) -> None:
    if found.project_number is not None:
        number = verification.normalise_project_number(found.project_number)
        if number is not None:
            state.project_number = number
    if found.last_name is not None:
        state.customer_last_name = found.last_name
    elif found.bare_word is not None and agent == STATUS_AGENT and state.project_number is not None:
        # A lone word while the status agent waits for the last name is that name.
        state.customer_last_name = found.bare_word


def _booking(state: ConversationContext, found: Extraction, notes: list[str]) -> None:
    if found.specialist_type is not None:
        state.specialist_type = found.specialist_type.value
    if found.date is not None:
        state.preferred_date = found.date.isoformat()
    if found.time is not None:
        state.preferred_time = found.time.strftime("%H:%M")
    if found.person_name is not None:
        try:
            state.customer_name = contact.validate_name(found.person_name)
        except InvalidContact as exc:
            notes.append(f"customer_name rejected: {exc.detail}")
    if found.email is not None:
        try:
            state.customer_email = contact.validate_email(found.email)
        except InvalidContact:
            notes.append(f"customer_email rejected: {found.email!r} is not a valid e-mail address")
    elif found.email_raw is not None:
        notes.append(f"customer_email rejected: {found.email_raw!r} is not a valid e-mail address")
    if found.phone is not None:
        try:
            state.customer_phone = contact.validate_phone(found.phone)
        except InvalidContact:
            notes.append(f"customer_phone rejected: {found.phone!r} is not a valid phone number")
    elif found.phone_raw is not None:
        notes.append(f"customer_phone rejected: {found.phone_raw!r} is not a valid phone number")


def _accepted_offer(state: ConversationContext, found: Extraction, intents: IntentScores, agent: str) -> None:
    """'Yes' to the cost agent's offer after an estimate accepts a consultation with an architect."""
    if agent != COST_AGENT or state.inquiry_id is None or state.specialist_type is not None:
        return
    if found.specialist_type is None and intents.affirm >= 0.5 and intents.deny < 0.5:
        state.specialist_type = SpecialistType.ARCHITEKT.value
