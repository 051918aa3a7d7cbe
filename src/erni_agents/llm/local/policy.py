"""The local engine's dialogue policy: per agent, decide the next step from context and transcript."""

from __future__ import annotations

import re
from typing import Any

from erni_agents.llm.local import replies
from erni_agents.llm.local.decisions import CallTool, Decision, HandOff, Say
from erni_agents.llm.local.routing import (
    BOOKING,
    COST,
    FAQ,
    INFO,
    STATUS,
    TRIAGE,
    agent_for,
    intent_scores,
    last_visit,
    requested_task,
    resumed_task,
)
from erni_agents.llm.local.transcript import View

MAX_HANDOFFS_PER_TURN = 3
_OWN_TASK = {COST: "cost", BOOKING: "booking", STATUS: "status", INFO: "info", FAQ: "info"}


def decide(view: View, handoffs: set[str]) -> Decision:
    pending = view.pending_tool_result
    if pending is not None and not pending.name.startswith("transfer_to_"):
        return after_tool(view, pending.name, pending.args, pending.output or {})
    routed = _route(view, handoffs)
    if routed is not None:
        return routed
    act = _ACTS.get(view.agent, _triage)
    return act(view)


def _route(view: View, handoffs: set[str]) -> Decision | None:
    """Hand off when the customer asks for another agent's task (directly or through triage)."""
    if len(view.transfers_this_turn) >= MAX_HANDOFFS_PER_TURN:
        return None
    task = requested_task(view)
    if (task is None or (task == "info" and "?" not in view.user_text)) and view.agent in (TRIAGE, INFO, FAQ):
        task = resumed_task(view) or task
    if view.agent == TRIAGE:
        return HandOff(agent_for(task, view.user_text)) if task else None
    if (
        task is None
        and view.agent == STATUS
        and _status_given(view)
        and view.user_text.rstrip().endswith("?")
    ):
        # The status has been told; a new open question is about building, not about this project.
        return _handoff_to(INFO, handoffs)
    if task is None or task == _OWN_TASK.get(view.agent):
        if view.agent == COST and _affirms_offer(view):
            return _handoff_to(BOOKING, handoffs)
        return None
    if _answers_own_question(view, task):
        return None
    return _handoff_to(agent_for(task, view.user_text), handoffs)


def _handoff_to(target: str, handoffs: set[str]) -> Decision | None:
    if target in handoffs:
        return HandOff(target)
    if TRIAGE in handoffs:
        return HandOff(TRIAGE)
    return None


def _status_given(view: View) -> bool:
    last = view.last_call("get_project_status")
    return last is not None and bool((last.output or {}).get("ok"))


def _affirms_offer(view: View) -> bool:
    """'Yes' after the cost agent offered a consultation means: book it."""
    scores = intent_scores(view.user_text, view.language)
    offered = replies.OFFER_MARK in view.last_assistant_text
    return offered and scores["affirm"] >= 0.5 and scores["deny"] < 0.5


def _answers_own_question(view: View, task: str) -> bool:
    """Slot answers stay with the agent that asked, even if they contain a task word."""
    ctx = view.context
    if view.agent == BOOKING and task == "info" and not view.user_text.rstrip().endswith("?"):
        return bool(ctx.get("specialist_type"))
    if view.agent == STATUS and task == "info":
        return "?" not in view.user_text and bool(ctx.get("project_number"))
    return False


# --- Triage ----------------------------------------------------------------------------------
def _triage(view: View) -> Decision:
    scores = intent_scores(view.user_text, view.language)
    if scores["thanks"] >= 0.5 or scores["goodbye"] >= 0.5:
        return Say(replies.youre_welcome(view.language))
    return Say(replies.menu(view.language, greeting=scores["greeting"] >= 0.5))


# --- Knowledge agents ----------------------------------------------------------------------------
def _knowledge(view: View) -> Decision:
    scores = intent_scores(view.user_text, view.language)
    if scores["info"] < 0.5 and (scores["thanks"] >= 0.5 or scores["goodbye"] >= 0.5):
        return Say(replies.youre_welcome(view.language))
    if scores["info"] < 0.5 and scores["greeting"] >= 0.5 and len(view.user_text.split()) <= 3:
        return Say(replies.menu(view.language, greeting=True))
    return CallTool("faq_lookup", {"question": search_question(view.user_text)})


# Chat fillers around a question ("btw", "you guys", "übrigens", "noch eine Frage:") carry no
# topic; like an LLM writing the tool argument, the engine leaves them out of the search.
_FILLER_RX = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|und|also|oh|ah|btw|by\s+the\s+way|übrigens|uebrigens|apropos|"
    r"one\s+more\s+(?:thing|question)|another\s+question|noch\s+(?:eine|ne)\s+frage|quick\s+question)\b\W*)+"
    r"|\b(?<=you\s)guys\b|\b(?<=ihr\s)leute\b|\s+(?:btw|by\s+the\s+way|übrigens)(?=\W*$)",
    re.IGNORECASE,
)


def search_question(text: str) -> str:
    cleaned = re.sub(r"\s+([?!.,])", r"\1", " ".join(_FILLER_RX.sub(" ", text).split()))
    return cleaned or text


# --- Cost ----------------------------------------------------------------------------------------
_COST_SLOTS = ("project_type", "area_sqm", "construction_type")


def _cost(view: View) -> Decision:
    ctx, lang = view.context, view.language
    area_note = next((n for n in view.notes if n.startswith("area_sqm")), None)
    if area_note is not None:
        return Say(replies.invalid_area(lang, area_note))
    missing = [slot for slot in _COST_SLOTS if not ctx.get(slot)]
    if missing:
        return Say(replies.ask_cost_slot(lang, missing[0], ctx))
    args: dict[str, Any] = {
        "project_type": ctx["project_type"],
        "area_sqm": float(ctx["area_sqm"]),
        "construction_type": ctx["construction_type"],
    }
    previous = view.last_call("estimate_project_cost")
    if previous is not None and previous.args == args and (previous.output or {}).get("ok"):
        scores = intent_scores(view.user_text, lang)
        if scores["thanks"] >= 0.5 or scores["deny"] >= 0.5 or scores["goodbye"] >= 0.5:
            return Say(replies.youre_welcome(lang))
        return Say(replies.estimate(lang, previous.output or {}, repeat=True))
    return CallTool("estimate_project_cost", args)


# --- Status --------------------------------------------------------------------------------------
def _status(view: View) -> Decision:
    ctx, lang = view.context, view.language
    if any((c.output or {}).get("error") == "too_many_attempts" for c in view.calls):
        # Locked for this conversation: no further checks, only the phone number.
        return Say(replies.status_locked(lang))
    number, name = ctx.get("project_number"), ctx.get("customer_last_name")
    if not number or not name:
        return Say(replies.ask_status_data(lang, has_number=bool(number), has_name=bool(name)))
    args = {"project_number": number, "customer_last_name": name}
    previous = view.last_call("get_project_status")
    if previous is not None and previous.args == args:
        output = previous.output or {}
        if output.get("ok"):
            return Say(replies.project_status(lang, output))
        if output.get("error") == "too_many_attempts":
            return Say(replies.status_locked(lang))
        return Say(replies.status_check_again(lang))
    return CallTool("get_project_status", args)


# --- Booking -------------------------------------------------------------------------------------
def _booking(view: View) -> Decision:
    ctx, lang = view.context, view.language
    if ctx.get("consultation_booked") == "True" and not _new_booking_request(view):
        return Say(replies.already_booked(lang, ctx))
    specialist, day = ctx.get("specialist_type"), ctx.get("preferred_date")
    if not specialist:
        return Say(replies.ask_specialist(lang))
    if not day:
        return Say(replies.ask_date(lang, specialist))
    check = view.last_call("check_specialist_availability")
    if check is None or check.args != {"specialist_type": specialist, "preferred_date": day}:
        return CallTool(
            "check_specialist_availability", {"specialist_type": specialist, "preferred_date": day}
        )
    return _booking_next(view, check.output or {})


def _new_booking_request(view: View) -> bool:
    return intent_scores(view.user_text, view.language)["booking"] >= 0.5


def _booking_next(view: View, availability: dict[str, Any]) -> Decision:
    """After availability is known: pick a slot, collect contact data, book."""
    ctx, lang = view.context, view.language
    if not availability.get("ok"):
        return Say(replies.availability(lang, availability, ctx))
    free = list(availability.get("free_slots") or [])
    wanted = ctx.get("preferred_time")
    if not wanted or wanted not in free:
        return Say(replies.availability(lang, availability, ctx))
    contact_notes = [n for n in view.notes if n.startswith("customer_")]
    missing = [f for f in ("customer_name", "customer_email", "customer_phone") if not ctx.get(f)]
    if contact_notes or missing:
        return Say(replies.ask_contact(lang, missing, contact_notes, ctx))
    return CallTool(
        "book_consultation",
        {
            "specialist_type": ctx["specialist_type"],
            "date": ctx["preferred_date"],
            "time": wanted,
            "customer_name": ctx["customer_name"],
            "customer_email": ctx["customer_email"],
            "customer_phone": ctx["customer_phone"],
        },
    )


# --- After a tool ----------------------------------------------------------------------------------
def after_tool(view: View, name: str, args: dict[str, Any], output: dict[str, Any]) -> Decision:
    lang = view.language
    if name == "estimate_project_cost":
        return Say(replies.estimate(lang, output))
    if name == "get_project_status":
        return Say(replies.status_result(lang, output))
    if name == "faq_lookup":
        return Say(replies.faq(lang, output) + _pending_question(view))
    if name == "check_specialist_availability":
        return _booking_next(view, output)
    if name == "book_consultation":
        return Say(replies.booking_result(lang, output, view.context))
    return Say(replies.menu(lang, greeting=False))


def _pending_question(view: View) -> str:
    """After a detour to a question, the question of the task the customer left unfinished."""
    ctx, lang = view.context, view.language
    cost, booking = last_visit(view, "cost"), last_visit(view, "booking")
    if max(cost, booking) < 0:
        return ""
    if cost > booking:
        missing = [slot for slot in _COST_SLOTS if not ctx.get(slot)]
        return replies.resume_cost(lang, missing[0]) if missing else ""
    if ctx.get("consultation_booked") == "True":
        return ""
    return replies.resume_booking(lang, ctx)


_ACTS = {
    TRIAGE: _triage,
    INFO: _knowledge,
    FAQ: _knowledge,
    COST: _cost,
    STATUS: _status,
    BOOKING: _booking,
}
