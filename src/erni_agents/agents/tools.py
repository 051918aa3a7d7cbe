"""The agents' function tools. Thin: normalise arguments, apply domain rules, call the store.

Each tool returns a JSON object as text: `{"ok": true, ...}` or `{"ok": false, "error": code, ...}`.
Both brains read that JSON; the local engine renders it in the customer's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from agents import RunContextWrapper, function_tool

from erni_agents.agents.context import AgentRunContext
from erni_agents.domain import contact, verification
from erni_agents.domain.errors import ContactErrors, DateNotBookable, InvalidArea, InvalidSlotTime
from erni_agents.domain.pricing import MAX_AREA_SQM, MIN_AREA_SQM
from erni_agents.domain.scheduling import choose_specialist, national_holiday
from erni_agents.domain.types import ConstructionType, ProjectType, SpecialistType
from erni_agents.domain.vocab import (
    normalise_construction_type,
    normalise_project_type,
    normalise_specialist_type,
)
from erni_agents.integrations.mail.compose import ADDRESS, Appointment, compose_confirmation
from erni_agents.store.models import Booking
from erni_agents.store.repositories import NewBooking, NewMail

Ctx = RunContextWrapper[AgentRunContext]
_PROJECT_TYPES = [t.value for t in ProjectType]
_CONSTRUCTION_TYPES = [t.value for t in ConstructionType]
_SPECIALIST_TYPES = [t.value for t in SpecialistType]


def _result(ok: bool, **values: Any) -> str:
    return json.dumps({"ok": ok, **values}, ensure_ascii=False, default=str)


def _error(code: str, **values: Any) -> str:
    return _result(False, error=code, **values)


@function_tool
async def estimate_project_cost(ctx: Ctx, project_type: str, area_sqm: float, construction_type: str) -> str:
    """Calculate a preliminary CHF cost range for a building project.

    Args:
        project_type: Einfamilienhaus, Mehrfamilienhaus, Agrar or Renovation (synonyms such as
            "single-family", "EFH", "barn", "Sanierung" are accepted).
        area_sqm: Floor area in square metres, between 10 and 100000.
        construction_type: Holzbau (timber) or Systembau (system build).
    """
    run = ctx.context
    ptype = normalise_project_type(project_type)
    ctype = normalise_construction_type(construction_type)
    if ptype is None:
        return _error(
            "unknown_project_type",
            value=project_type,
            allowed=_PROJECT_TYPES,
        )
    if ctype is None:
        return _error("unknown_construction_type", value=construction_type, allowed=_CONSTRUCTION_TYPES)
    try:
        estimate = run.deps.prices.estimate(ptype, ctype, area_sqm)
    except InvalidArea as exc:
        return _error(
            "invalid_area", area_sqm=area_sqm, detail=exc.detail, min_sqm=MIN_AREA_SQM, max_sqm=MAX_AREA_SQM
        )
    state = run.state
    state.project_type, state.construction_type, state.area_sqm = ptype.value, ctype.value, float(area_sqm)
    state.inquiry_id = await run.deps.repos.create_inquiry(
        conversation_id=run.conversation_id,
        project_type=ptype.value,
        construction_type=ctype.value,
        area_sqm=float(area_sqm),
        min_chf=estimate.min_chf,
        max_chf=estimate.max_chf,
        customer_name=state.customer_name,
        customer_email=state.customer_email,
        customer_phone=state.customer_phone,
    )
    return _result(
        True,
        project_type=ptype.value,
        construction_type=ctype.value,
        area_sqm=float(area_sqm),
        price_per_sqm=estimate.price_per_sqm,
        min_chf=estimate.min_chf,
        max_chf=estimate.max_chf,
        currency=estimate.currency,
        preliminary=True,
        note="Preliminary estimate; actual costs depend on location, materials and requirements.",
    )


@function_tool
async def get_project_status(ctx: Ctx, project_number: str, customer_last_name: str) -> str:
    """Look up the status of an existing building project after verifying the customer.

    Args:
        project_number: The project number in the format YYYY-NNN, e.g. 2024-156.
        customer_last_name: The last name of the customer the project belongs to.
    """
    run = ctx.context
    state = run.state
    phone = run.deps.company_phone
    if verification.attempts_exhausted(state.status_failed_attempts):
        return _error("too_many_attempts", phone=phone)
    number = verification.normalise_project_number(project_number)
    project = await run.deps.repos.project(number) if number else None
    if project is None or not verification.last_name_matches(customer_last_name, project.customer_last_name):
        # Unknown number and wrong name look the same, so the answer reveals nothing.
        state.status_failed_attempts += 1
        remaining = verification.remaining_attempts(state.status_failed_attempts)
        if remaining == 0:
            return _error("too_many_attempts", phone=phone)
        return _error("not_verified", attempts_left=remaining, phone=phone)
    state.project_number = project.project_number
    state.customer_last_name = project.customer_last_name
    state.status_verified_project = project.project_number
    return _result(
        True,
        project_number=project.project_number,
        project_type=project.project_type,
        location=project.location,
        stage=project.stage,
        progress_percent=project.progress,
        project_manager=project.manager,
        next_milestone=project.next_milestone_de if state.language == "de" else project.next_milestone,
        next_milestone_date=project.next_milestone_date,
        estimated_completion=project.estimated_completion,
    )


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


async def _free_slots(run: AgentRunContext, specialist_type: str, day: date) -> tuple[list[Any], list[str]]:
    names = [s.name for s in await run.deps.repos.specialists(specialist_type)]
    schedule = run.deps.schedule
    day_start = schedule.slot_start(day, schedule.slot_times[0]).replace(hour=0, minute=0)
    taken = await run.deps.repos.taken_slots(names, day_start, day_start + timedelta(days=1, hours=1))
    return schedule.free_slots(day, names, taken, run.now), names


async def _alternatives(run: AgentRunContext, specialist_type: str, after: date) -> list[dict[str, Any]]:
    schedule = run.deps.schedule
    today = run.now.astimezone(schedule.timezone).date()
    days = schedule.next_bookable_days(max(after + timedelta(days=1), today), today, 6)
    found: list[dict[str, Any]] = []
    for day in days:
        slots, _ = await _free_slots(run, specialist_type, day)
        if slots:
            found.append(
                {
                    "date": day.isoformat(),
                    "weekday": day.strftime("%A"),
                    "free_slots": [s.time.strftime("%H:%M") for s in slots],
                }
            )
        if len(found) == 3:
            break
    return found


@function_tool
async def check_specialist_availability(ctx: Ctx, specialist_type: str, preferred_date: str) -> str:
    """List the free consultation slots of a specialist type on a day.

    Args:
        specialist_type: Architekt, Holzbau-Ingenieur or Bauleiter (synonyms such as "architect",
            "engineer", "construction manager" are accepted).
        preferred_date: The day in ISO format YYYY-MM-DD (Europe/Zurich).
    """
    run = ctx.context
    stype = normalise_specialist_type(specialist_type)
    if stype is None:
        return _error(
            "unknown_specialist_type",
            value=specialist_type,
            allowed=_SPECIALIST_TYPES,
        )
    day = _parse_day(preferred_date)
    if day is None:
        return _error("invalid_date", value=preferred_date, expected="YYYY-MM-DD")
    run.state.specialist_type = stype.value
    schedule = run.deps.schedule
    try:
        schedule.check_bookable_date(day, run.now.astimezone(schedule.timezone).date())
    except DateNotBookable as exc:
        return _error(
            "date_not_bookable",
            date=day.isoformat(),
            reason=exc.reason,
            holiday=national_holiday(day, run.state.language) if exc.reason == "holiday" else None,
            detail=exc.detail,
            alternatives=await _alternatives(run, stype.value, day),
        )
    run.state.preferred_date = day.isoformat()
    slots, _ = await _free_slots(run, stype.value, day)
    payload: dict[str, Any] = {
        "specialist_type": stype.value,
        "date": day.isoformat(),
        "weekday": day.strftime("%A"),
        "free_slots": [s.time.strftime("%H:%M") for s in slots],
        "location": schedule.location,
        "duration_minutes": schedule.slot_minutes,
    }
    if not slots:
        payload["alternatives"] = await _alternatives(run, stype.value, day)
    return _result(True, **payload)


def _confirmation_mail(run: AgentRunContext, specialist: str) -> Callable[[Booking], NewMail]:
    """Builds the confirmation from the booking row, inside the booking's own transaction."""

    def compose(booking: Booking) -> NewMail:
        return compose_confirmation(
            Appointment.of_booking(booking, specialist, location=run.deps.schedule.location or ADDRESS),
            run.state.language,
            company_phone=run.deps.company_phone,
            timezone=run.deps.schedule.timezone,
        )

    return compose


@function_tool
async def book_consultation(
    ctx: Ctx,
    specialist_type: str,
    date: str,
    time: str,
    customer_name: str,
    customer_email: str,
    customer_phone: str,
) -> str:
    """Book a one-hour consultation with a specialist at ERNI in Schongau.

    Args:
        specialist_type: Architekt, Holzbau-Ingenieur or Bauleiter.
        date: The day in ISO format YYYY-MM-DD.
        time: The slot start as HH:MM; slots are 09:00, 14:00 and 16:00.
        customer_name: The customer's full name.
        customer_email: The customer's e-mail address.
        customer_phone: The customer's phone number (Swiss numbers may be written without +41).
    """
    run = ctx.context
    schedule = run.deps.schedule
    stype = normalise_specialist_type(specialist_type)
    if stype is None:
        return _error(
            "unknown_specialist_type",
            value=specialist_type,
            allowed=_SPECIALIST_TYPES,
        )
    try:
        person = contact.validate_contact(customer_name, customer_email, customer_phone)
    except ContactErrors as exc:
        return _error("invalid_contact", fields=exc.fields)
    day = _parse_day(date)
    if day is None:
        return _error("invalid_date", value=date, expected="YYYY-MM-DD")
    try:
        schedule.check_bookable_date(day, run.now.astimezone(schedule.timezone).date())
        slot_time = schedule.parse_slot_time(time)
    except DateNotBookable as exc:
        return _error("date_not_bookable", date=day.isoformat(), reason=exc.reason, detail=exc.detail)
    except InvalidSlotTime:
        return _error("invalid_time", value=time, allowed=list(schedule.slot_labels))
    state = run.state
    state.customer_name, state.customer_email, state.customer_phone = person.name, person.email, person.phone
    booking = None
    for _attempt in range(3):
        slots, _ = await _free_slots(run, stype.value, day)
        wanted = next((s for s in slots if s.time == slot_time), None)
        if wanted is None:
            return _error(
                "slot_taken",
                date=day.isoformat(),
                time=slot_time.strftime("%H:%M"),
                free_slots=[s.time.strftime("%H:%M") for s in slots],
                alternatives=[] if slots else await _alternatives(run, stype.value, day),
            )
        name = choose_specialist(wanted)
        booking = await run.deps.repos.try_book(
            NewBooking(
                specialist_name=name,
                specialist_type=stype.value,
                slot_start=wanted.start,
                slot_end=schedule.slot_end(day, slot_time),
                customer_name=person.name,
                customer_email=person.email,
                customer_phone=person.phone,
                conversation_id=run.conversation_id,
                inquiry_id=state.inquiry_id,
            ),
            mail=_confirmation_mail(run, name),
        )
        if booking is not None:
            break
        # Lost a race for this specialist: the next pass sees the new booking and picks another one.
    if booking is None:
        return _error("slot_taken", date=day.isoformat(), time=slot_time.strftime("%H:%M"), free_slots=[])
    state.consultation_booked = True
    state.specialist_type = stype.value
    state.specialist_assigned = name
    state.preferred_date, state.preferred_time = day.isoformat(), slot_time.strftime("%H:%M")
    state.booking_reference = booking.reference
    if run.deps.mail_wakeup is not None:
        run.deps.mail_wakeup()
    return _result(
        True,
        reference=booking.reference,
        specialist=name,
        specialist_type=stype.value,
        date=day.isoformat(),
        weekday=day.strftime("%A"),
        time=slot_time.strftime("%H:%M"),
        duration_minutes=schedule.slot_minutes,
        location=schedule.location,
        customer_name=person.name,
        customer_email=person.email,
        customer_phone=person.phone,
    )


@function_tool
async def faq_lookup(ctx: Ctx, question: str) -> str:
    """Search ERNI's knowledge base (company, contact, opening hours, services, building process,
    timber, certifications, jobs) and return an answer with links to erni-gruppe.ch.

    Args:
        question: The customer's question in their own words.
    """
    run = ctx.context
    answer = run.deps.knowledge.answer(question, run.state.language)
    if answer is None:
        return _error("no_answer", phone=run.deps.company_phone, website="https://www.erni-gruppe.ch")
    return _result(True, answer=answer.text, links=list(answer.links), sources=list(answer.entry_ids))
