"""What the local engine says, in German and English. Formatting of money and dates lives here."""

from __future__ import annotations

from datetime import date
from typing import Any

_WEEKDAYS = {
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
PROJECT_TYPE_NAMES = {
    "en": {
        "Einfamilienhaus": "single-family house",
        "Mehrfamilienhaus": "multi-family house",
        "Agrar": "agricultural building",
        "Renovation": "renovation",
    },
    "de": {
        "Einfamilienhaus": "Einfamilienhaus",
        "Mehrfamilienhaus": "Mehrfamilienhaus",
        "Agrar": "Agrargebäude",
        "Renovation": "Renovation",
    },
}
CONSTRUCTION_NAMES = {
    "en": {"Holzbau": "timber construction (Holzbau)", "Systembau": "system construction (Systembau)"},
    "de": {"Holzbau": "Holzbauweise", "Systembau": "Systembauweise"},
}
SPECIALIST_NAMES = {
    "en": {
        "Architekt": "an architect",
        "Holzbau-Ingenieur": "a timber engineer (Holzbau-Ingenieur)",
        "Bauleiter": "a construction manager (Bauleiter)",
    },
    "de": {
        "Architekt": "einem Architekten",
        "Holzbau-Ingenieur": "einem Holzbau-Ingenieur",
        "Bauleiter": "einem Bauleiter",
    },
}

PHONE = "041 570 70 70"


def chf(amount: float) -> str:
    return "CHF " + f"{round(amount):,}".replace(",", "'")


def day_text(day: date, lang: str) -> str:
    weekday = _WEEKDAYS[lang][day.weekday()]
    month = _MONTHS[lang][day.month - 1]
    return (
        f"{weekday}, {day.day}. {month} {day.year}"
        if lang == "de"
        else f"{weekday}, {day.day} {month} {day.year}"
    )


def join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    word = " und " if lang == "de" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def t(lang: str, de: str, en: str, **values: Any) -> str:
    return (de if lang == "de" else en).format(**values)
