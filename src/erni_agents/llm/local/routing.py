"""Which agent should handle a message: the task the customer asks for, in context."""

from __future__ import annotations

import re

from erni_agents.llm.local.nlu import classify_intents
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
