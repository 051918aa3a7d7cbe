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
# With the indefinite article, for "an estimate for a single-family house" / "eine Renovation".
PROJECT_TYPE_WITH_ARTICLE = {
    "en": {
        "Einfamilienhaus": "a single-family house",
        "Mehrfamilienhaus": "a multi-family house",
        "Agrar": "an agricultural building",
        "Renovation": "a renovation",
    },
    "de": {
        "Einfamilienhaus": "ein Einfamilienhaus",
        "Mehrfamilienhaus": "ein Mehrfamilienhaus",
        "Agrar": "ein Agrargebäude",
        "Renovation": "eine Renovation",
    },
}
# Project stages as stored (English) and as a German customer reads them.
STAGE_NAMES = {
    "de": {
        "Planning": "Planung",
        "Production": "Produktion",
        "Assembly": "Montage",
        "Finishing": "Fertigstellung",
        "Completed": "Abgeschlossen",
    },
    "en": {},
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


def area_text(value: float, lang: str) -> str:
    """200000 -> "200'000" (de) / "200,000" (en); 12.5 -> "12.5"."""
    if value != int(value):
        return f"{value:g}"
    grouped = f"{int(value):,}"
    return grouped.replace(",", "'") if lang == "de" else grouped


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
