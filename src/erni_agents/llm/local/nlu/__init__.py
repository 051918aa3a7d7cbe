"""Offline natural-language understanding for the local engine (German and English).

* :func:`detect_language`: German or English, or the conversation's language when unclear.
* :func:`extract`: slot values (project, area, dates, contact data, ...) as an :class:`Extraction`.
* :func:`classify_intents`: what the message asks for, as :class:`IntentScores`.

Pure functions, deterministic, no model download; a message takes well under a millisecond
(dateparser, the only slow part, is called only for rare date phrasings).
"""

from erni_agents.llm.local.nlu._dates import warm_up
from erni_agents.llm.local.nlu.extract import Extraction, extract
from erni_agents.llm.local.nlu.intents import SOCIAL, TASKS, Intent, IntentScores, classify_intents
from erni_agents.llm.local.nlu.language import detect_language

__all__ = [
    "SOCIAL",
    "TASKS",
    "Extraction",
    "Intent",
    "IntentScores",
    "classify_intents",
    "detect_language",
    "extract",
    "warm_up",
]
