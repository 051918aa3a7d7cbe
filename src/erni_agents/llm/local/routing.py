"""Which agent should handle a message: the task the customer asks for, in context."""

from __future__ import annotations

import re

from erni_agents.llm.local.nlu import classify_intents, extract
from erni_agents.llm.local.transcript import View

TRIAGE = "Triage Agent"
INFO = "Project Information Agent"
COST = "Cost Estimation Agent"
STATUS = "Project Status Agent"
BOOKING = "Appointment Booking Agent"
FAQ = "FAQ Agent"

TASK_AGENTS = {"cost": COST, "booking": BOOKING, "status": STATUS}
TASK_THRESHOLD = 0.5

# Company facts go to the FAQ agent; everything else informational to Project Information.
_FAQ_WORDS = re.compile(
    r"öffnungszeit|geöffnet|offen|opening|hours|open\b|adresse|address|where|wo (?:ist|sind|seid|befind)|"
    r"office|büro|kontakt|contact|telefon|phone|e-?mail|zertifi|certif|minergie|holzbau plus|job|stelle|"
    r"lehr|apprentic|career|karriere|garantie|warrant|gegründet|founded|mitarbeit|employees",
    re.IGNORECASE,
)


def intent_scores(text: str, lang: str) -> dict[str, float]:
    scores = classify_intents(text, lang)
    return {
        name: float(getattr(scores, name, 0.0))
        for name in (
            "cost",
            "booking",
            "status",
            "info",
            "greeting",
            "thanks",
            "affirm",
            "deny",
            "correction",
            "goodbye",
        )
    }


def requested_task(view: View) -> str | None:
    """'cost' | 'booking' | 'status' | 'info' | None for the latest user message."""
    scores = intent_scores(view.user_text, view.language)
    task, score = max(((k, scores[k]) for k in ("cost", "booking", "status", "info")), key=lambda kv: kv[1])
    return task if score >= TASK_THRESHOLD else None


def agent_for(task: str, text: str) -> str:
    if task == "info":
        return FAQ if _FAQ_WORDS.search(text) else INFO
    return TASK_AGENTS[task]


def _transfer_name(agent: str) -> str:
    return "transfer_to_" + agent.lower().replace(" ", "_")


_TASK_TOOLS = {
    "cost": ("estimate_project_cost",),
    "booking": ("check_specialist_availability", "book_consultation"),
    "status": ("get_project_status",),
}


def last_visit(view: View, task: str) -> int:
    """Index of the latest call that belongs to ``task`` in the conversation, -1 if none."""
    names = {_transfer_name(TASK_AGENTS[task]), *_TASK_TOOLS[task]}
    return max((i for i, call in enumerate(view.calls) if call.name in names), default=-1)


def resumed_task(view: View) -> str | None:
    """The earlier task a slot answer returns to after a detour.

    "ok, dann Holzbau bitte" after a question about opening hours asks for nothing by itself; it
    answers the cost agent's last question. A message that only carries values of a task the
    customer already started goes back to that task (the most recent one if several fit).
    """
    found = extract(view.user_text, today=view.today, lang=view.language)
    fits = {
        "cost": found.project_type is not None
        or found.construction_type is not None
        or found.area_sqm is not None,
        "booking": view.context.get("consultation_booked") != "True"
        and any(
            value is not None
            for value in (found.date, found.time, found.specialist_type, found.email, found.phone)
        ),
        "status": found.project_number is not None,
    }
    visits = {task: last_visit(view, task) for task, fit in fits.items() if fit}
    started = [task for task, index in visits.items() if index >= 0]
    return max(started, key=visits.__getitem__) if started else None
