"""Dates and times in customer messages ("next Tuesday", "am 3.12.", "um 16 Uhr", "2 pm").

The frequent forms are parsed here with regular expressions: that takes microseconds and pins
down the semantics the booking flow needs ("next Tuesday" is the first Tuesday strictly after
today, "3.12." is a day and month, never 03:12). ``dateparser`` handles the long tail (durations
such as "in two weeks", ordinal words): it is slow (milliseconds per call, a few hundred on the
first) and is therefore only called when such a cue is present, on the cue's span alone.

All functions work on the *folded* text (see ``erni_agents.domain.vocab.fold``), so spans are
valid in the original message too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from erni_agents.domain.vocab import is_negated


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    value: Any
    rank: int = 0
    negated: bool = False


WEEKDAYS: dict[str, int] = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
}
MONTHS: dict[str, int] = {
    "januar": 1,
    "january": 1,
    "jan": 1,
    "februar": 2,
    "february": 2,
    "feb": 2,
    "marz": 3,
    "maerz": 3,
    "march": 3,
    "mar": 3,
    "mrz": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "december": 12,
    "dez": 12,
    "dec": 12,
}
NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "funf": 5,
    "fuenf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwolf": 12,
    "zwoelf": 12,
}

_WD = (
    r"(?P<wd>montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri)"
)
_MONTH = (
    r"(?P<mon>januar|january|jan|februar|february|feb|marz|maerz|march|mar|mrz|april|apr|mai|may|juni|"
    r"june|jun|juli|july|jul|august|aug|september|sept|sep|oktober|october|okt|oct|november|nov|"
    r"dezember|december|dez|dec)"
)
_MONTH_NC = _MONTH.replace("(?P<mon>", "(?:")
_NEXT_WEEK = (
    r"(?:next\s+week|n(?:a|ae)chste[rn]?\s+woche|in\s+der\s+n(?:a|ae)chsten\s+woche|kommende[rn]?\s+woche)"
)

_WEEKDAY_RX = re.compile(
    r"\b(?:(?P<mod>next|coming|upcoming|this|last|past|n(?:a|ae)chste[nmrs]?|kommende[nmrs]?|diese[nmrs]?|"
    r"letzte[nmrs]?|vergangene[nmrs]?|"
    r"u(?:e)?ber\s?n(?:a|ae)chste[nmrs]?)\s+|(?P<nw>"
    + _NEXT_WEEK
    + r")\s+(?:on\s+|am\s+)?)?"
    + _WD
    + r"(?P<suf>s|nachmittags?|vormittags?|morgens?|abends?|mittags?|fr(?:u|ue)h)?\b\.?"
    r"(?P<after>\s*,?\s*(?:" + _NEXT_WEEK + r"|after\s+next|this\s+week|diese\s+woche|in\s+a\s+week))?"
)
_TODAY_RX = re.compile(r"\b(?:today|heute)\b")
_TOMORROW_RX = re.compile(r"\b(?:tomorrow|tmrw|tmr)\b")
# A past day is still a date: the booking agent must say it is in the past, not ignore it.
_YESTERDAY_RX = re.compile(r"\b(?:yesterday|gestern)\b")
_DAY_BEFORE_RX = re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b|\bvorgestern\b")
_DAY_AFTER_RX = re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\bu(?:e)?bermorgen\b")
_MORGEN_RX = re.compile(r"\bmorgen\b")
# "Guten Morgen", "am Morgen", "heute Morgen": the morning, not tomorrow.
_NOT_TOMORROW_BEFORE = re.compile(
    r"\b(?:guten|am|heute|gestern|jeden|diesen|vom|schonen|einen|den|bis\s+zum)\s*$"
)
_ISO_RX = re.compile(r"(?<![\d.-])((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d])")
_DMY_RX = re.compile(r"(?<![\d.,'/])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?((?:19|20)?\d{2})(?![\d.]))?")
_DM_PREP_RX = re.compile(
    r"\b(?:am|on|den|the|bis|ab|vom|per|for|fur|fuer|until)\s+(\d{1,2})\.(\d{1,2})(?![.,:']?\d)"
)
_SLASH_RX = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?:/((?:19|20)?\d{2}))?(?![\d/])")
_SLASH_PREP = re.compile(r"\b(?:am|on|den|the|bis|ab|vom|per|for|fur|fuer|until)\s*$")
_DAY_MONTH_RX = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|\.)?\s*(?:of\s+)?(?:the\s+month\s+of\s+)?"
    + _MONTH
    + r"\b\.?(?:\s*,?\s*(?P<year>(?:19|20)\d{2}))?"
)
_MONTH_DAY_RX = re.compile(
    r"\b"
    + _MONTH
    + r"\b\.?\s+(?:the\s+)?(?P<day>\d{1,2})(?!\d)(?:st|nd|rd|th)?(?![:.]\d|\s*(?:uhr|h\b|am\b|pm\b))"
    r"(?:\s*,?\s*(?P<year>(?:19|20)\d{2}))?"
)
_DAY_ONLY_RX = re.compile(
    r"\bam\s+(\d{1,2})\.(?!\s*\d)(?!\s*" + _MONTH_NC + r")|\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:of\s+)?" + _MONTH_NC + r")"
)
_DURATION_RX = re.compile(
    r"\b(?:in|nach|after|within)\s+(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|eight|ten|einem|einer|eine|zwei|"
    r"drei|vier|f(?:u|ue)nf|sechs|acht|zehn)\s+(?P<u>days?|weeks?|tage?n?|wochen?)\b"
    r"|\b(?P<n2>\d{1,2}|a|one|two|three)\s+(?P<u2>days?|weeks?)\s+from\s+(?:now|today)\b"
)


def _ordinal_words() -> dict[str, int]:
    en_units = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
    en = {w: i + 1 for i, w in enumerate(en_units)}
    en |= {
        "tenth": 10,
        "eleventh": 11,
        "twelfth": 12,
        "thirteenth": 13,
        "fourteenth": 14,
        "fifteenth": 15,
        "sixteenth": 16,
        "seventeenth": 17,
        "eighteenth": 18,
        "nineteenth": 19,
        "twentieth": 20,
        "thirtieth": 30,
    }
    en |= {f"twenty-{w}": 20 + i + 1 for i, w in enumerate(en_units)} | {"thirty-first": 31}
    de_units = ["ein", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun"]
    de_ord = [
        "erste",
        "zweite",
        "dritte",
        "vierte",
        "funfte",
        "sechste",
        "siebte",
        "achte",
        "neunte",
        "zehnte",
        "elfte",
        "zwolfte",
        "dreizehnte",
        "vierzehnte",
        "funfzehnte",
        "sechzehnte",
        "siebzehnte",
        "achtzehnte",
        "neunzehnte",
    ]
    de = {w: i + 1 for i, w in enumerate(de_ord)} | {"zwanzigste": 20, "dreissigste": 30, "dreisigste": 30}
    de |= {f"{u}undzwanzigste": 20 + i + 1 for i, u in enumerate(de_units)}
    de |= {"einunddreissigste": 31, "einunddreisigste": 31}
    return en | de


ORDINALS = _ordinal_words()
_ORDINAL_RX = re.compile(
    r"\b(?P<o>"
    + "|".join(sorted(ORDINALS, key=len, reverse=True))
    + r")[nmrs]?\s+(?:of\s+)?"
    + _MONTH
    + r"\b\.?(?:\s*,?\s*(?P<year>(?:19|20)\d{2}))?"
)

# "Monday the 7th": the day of the month is the more specific part.
_EXPLICIT, _DAY_ONLY, _RELATIVE, _WEEKDAY = 4, 3, 2, 1


def _next_weekday(today: dt.date, weekday: int) -> dt.date:
    """First ``weekday`` strictly after ``today``."""
    return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _roll_forward(day: int, month: int, year: int | None, today: dt.date) -> dt.date | None:
    try:
        if year is not None:
            return dt.date(year + 2000 if year < 100 else year, month, day)
        candidate = dt.date(today.year, month, day)
        # Without a year the customer means the next such day, never one in the past.
        return candidate if candidate >= today else dt.date(today.year + 1, month, day)
    except ValueError:
        return None


def _weekday_date(m: re.Match[str], today: dt.date) -> dt.date:
    weekday = WEEKDAYS[m.group("wd")]
    mod = (m.group("mod") or "").replace(" ", "")
    after = " ".join((m.group("after") or "").replace(",", " ").split())
    if mod in ("last", "past") or mod.startswith(("letzte", "vergangene")):
        return today - dt.timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    if mod.startswith(("uber", "ueber")) or after in ("after next", "in a week"):
        return _next_weekday(today, weekday) + dt.timedelta(days=7)
    if mod == "this" or mod.startswith("diese") or after in ("this week", "diese woche"):
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    if m.group("nw") or after:
        # "Tuesday next week": the Tuesday of the following calendar week.
        monday = today - dt.timedelta(days=today.weekday())
        return monday + dt.timedelta(days=7 + weekday)
    return _next_weekday(today, weekday)


def find_dates(folded: str, original: str, today: dt.date) -> list[Found]:
    found: list[Found] = []

    def add(m: re.Match[str], value: dt.date | None, rank: int, start: int | None = None) -> None:
        if value is not None:
            s = m.start() if start is None else start
            found.append(Found(s, m.end(), value, rank, is_negated(folded, s)))

    for m in _ISO_RX.finditer(folded):
        add(m, _roll_forward(int(m.group(3)), int(m.group(2)), int(m.group(1)), today), _EXPLICIT)
    for m in _DMY_RX.finditer(folded):
        year = int(m.group(3)) if m.group(3) else None
        add(m, _roll_forward(int(m.group(1)), int(m.group(2)), year, today), _EXPLICIT)
    for m in _DM_PREP_RX.finditer(folded):
        add(m, _roll_forward(int(m.group(1)), int(m.group(2)), None, today), _EXPLICIT, m.start(1))
    for m in _SLASH_RX.finditer(folded):
        # "24/7" and fractions are not dates: require a year or a date preposition.
        if not m.group(3) and not _SLASH_PREP.search(folded[: m.start()]):
            continue
        first, second = int(m.group(1)), int(m.group(2))
        day, month = (second, first) if second > 12 >= first else (first, second)
        year = int(m.group(3)) if m.group(3) else None
        add(m, _roll_forward(day, month, year, today), _EXPLICIT)
    for rx in (_DAY_MONTH_RX, _MONTH_DAY_RX):
        for m in rx.finditer(folded):
            # "may" is mostly the verb: only the capitalised month counts.
            if m.group("mon") == "may" and original[m.start("mon")] != "M":
                continue
            year = int(m.group("year")) if m.group("year") else None
            add(m, _roll_forward(int(m.group("day")), MONTHS[m.group("mon")], year, today), _EXPLICIT)
    for m in _DAY_ONLY_RX.finditer(folded):
        day = int(m.group(1) or m.group(2))
        add(m, _day_of_month(day, today), _DAY_ONLY)
    for m in _TODAY_RX.finditer(folded):
        add(m, today, _RELATIVE)
    for m in _TOMORROW_RX.finditer(folded):
        add(m, today + dt.timedelta(days=1), _RELATIVE)
    for m in _YESTERDAY_RX.finditer(folded):
        add(m, today - dt.timedelta(days=1), _RELATIVE)
    for m in _DAY_BEFORE_RX.finditer(folded):
        add(m, today - dt.timedelta(days=2), _RELATIVE)
    for m in _DAY_AFTER_RX.finditer(folded):
        add(m, today + dt.timedelta(days=2), _RELATIVE)
    for m in _MORGEN_RX.finditer(folded):
        if not _NOT_TOMORROW_BEFORE.search(folded[: m.start()]):
            add(m, today + dt.timedelta(days=1), _RELATIVE)
    for m in _WEEKDAY_RX.finditer(folded):
        add(m, _weekday_date(m, today), _WEEKDAY)
    for m in _ORDINAL_RX.finditer(folded):
        year = int(m.group("year")) if m.group("year") else None
        add(m, _roll_forward(ORDINALS[m.group("o")], MONTHS[m.group("mon")], year, today), _EXPLICIT)
    for m in _DURATION_RX.finditer(folded):
        # dateparser knows the number words of both languages; "2 weeks from now" and "nach 2 Wochen"
        # are handed over as "in 2 weeks", the form it parses reliably.
        n_group = "n" if m.group("n") else "n2"
        u_group = "u" if m.group("u") else "u2"
        phrase = (
            f"in {original[m.start(n_group) : m.end(n_group)]} {original[m.start(u_group) : m.end(u_group)]}"
        )
        add(m, _dateparser(phrase, today), _RELATIVE)
    return _without_overlaps(found)


def _day_of_month(day: int, today: dt.date) -> dt.date | None:
    for offset in range(3):
        month = (today.month - 1 + offset) % 12 + 1
        year = today.year + (today.month - 1 + offset) // 12
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _without_overlaps(found: list[Found]) -> list[Found]:
    found.sort(key=lambda f: (-(f.end - f.start), f.start))
    kept: list[Found] = []
    for f in found:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    kept.sort(key=lambda f: f.start)
    return kept


# A value after one of these replaces the values before it ("am 7. passt nicht, lieber am 9.").
_REPLACES = re.compile(
    r"\b(?:lieber|eher|besser|rather|instead|stattdessen|sondern|but|aber|actually|eigentlich|i\s+meant|"
    r"ich\s+meinte|better|passt\s+(?:mir\s+)?nicht|geht\s+nicht|doesn'?t\s+work|not\s+possible|can'?t)\b"
)


def _after_replacement(folded: str, found: list[Found]) -> list[Found]:
    """The mentions after the last "rather/lieber/..." that follows an earlier mention."""
    for i in range(len(found) - 1, 0, -1):
        if _REPLACES.search(folded, found[i - 1].end, found[i].start):
            return found[i:]
    return found


def choose_date(found: list[Found], folded: str = "") -> dt.date | None:
    live = _after_replacement(folded, [f for f in found if not f.negated])
    if not live:
        return None
    best_rank = max(f.rank for f in live)
    # Among equally specific mentions the last one wins ("Tuesday, no, Wednesday").
    chosen: dt.date = [f for f in live if f.rank == best_rank][-1].value
    return chosen


@lru_cache(maxsize=256)
def _dateparser_cached(span: str, today: dt.date) -> dt.date | None:
    import dateparser  # deferred: importing it costs ~0.2 s and most messages never need it

    settings: Any = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(span, languages=["de", "en"], settings=settings)
    if parsed is None:
        return None
    value = parsed.date()
    return value if value >= today else None


def _dateparser(span: str, today: dt.date) -> dt.date | None:
    return _dateparser_cached(" ".join(span.split()), today)


def warm_up() -> None:
    """Load dateparser's language data now instead of during a customer's first turn."""
    _dateparser("in two weeks", dt.date(2026, 1, 5))
    _dateparser("in zwei Wochen", dt.date(2026, 1, 5))


# --- times ---------------------------------------------------------------------------------------

_UNIT_AFTER = (
    r"(?!\s*(?:m2|m²|qm|sqm|sq\b|square|quadrat|chf|fr\b|franken|%|prozent|percent|people|personen|"
    r"leute|days?\b|tage|weeks?\b|wochen|monate?n?\b|months?\b|jahre?n?\b|years?\b|m\b|km\b|stock|floors?\b|"
    r"zimmer|rooms?\b|wohnungen|apartments|units|mio|k\b))"
)
_CLOCK_RX = re.compile(
    r"(?<![\d:.,'/])(?P<h>[01]?\d|2[0-3])[:h](?P<m>[0-5]\d)(?![\d:])(?:\s*(?P<ap>uhr|h\b|am\b|pm\b|a\.m\.|p\.m\.))?"
)
_DOT_CLOCK_RX = re.compile(
    r"(?<![\d.,'/])(?P<h>[01]?\d|2[0-3])\.(?P<m>[0-5]\d)(?!\.?\d)(?:\s*(?P<ap>uhr|h\b))?" + _UNIT_AFTER
)
_AMPM_RX = re.compile(
    r"(?<![\d:.])\b(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)(?![a-z])"
)
_UHR_RX = re.compile(r"(?<![\d:.,'])\b(?P<h>[01]?\d|2[0-3])\s*(?P<ap>uhr|o'?clock|h\b)")
_PREP_HOUR_RX = re.compile(
    r"\b(?:at|um|ab|gegen|around|@)\s+(?:ca\.?\s+|about\s+|etwa\s+)?(?P<h>[01]?\d|2[0-3])(?![\d.,:'/-]|\s*-\s*\d)"
    + _UNIT_AFTER
)
_WORD_HOUR_RX = re.compile(
    r"\b(?:at|um|gegen|ab)\s+(?P<w>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|zwei|drei|vier|"
    r"f(?:u|ue)nf|sechs|sieben|acht|neun|zehn|elf|zw(?:o|oe)lf)(?:\s+(?P<ap>uhr|o'?clock))?"
    r"(?=\s*(?:$|[,.;!?)]|uhr|o'?clock|am\b|pm\b|please|bitte|in\b|on\b|next|tomorrow|morgen|am\b|nachmittags?|"
    r"vormittags?|morgens|abends|then|dann|if|wenn|would|works|passt|geht|ok))"
)
_HALF_RX = re.compile(
    r"\bhalb\s+(?P<h>\d{1,2}|zwei|drei|vier|f(?:u|ue)nf|sechs|sieben|acht|neun|zehn|elf|zw(?:o|oe)lf)\b"
)
_NOON_RX = re.compile(r"\b(?:noon|midday|mittags?zeit)\b")
_MORNING_RX = re.compile(
    r"(?<!good\s)\b(?:in\s+the\s+)?mornings?\b|\bvormittags?\b|\bmorgens\b|(?<!guten\s)\bam\s+morgen\b|\bmorgen\s+fr(?:u|ue)h\b"
    r"|\bfr(?:u|ue)h(?:morgens)?\b|(?:tag|woch)(?:morgen|vormittag)s?\b"
)
_AFTERNOON_RX = re.compile(r"\bafternoons?\b|nachmittags?\b|\blate\s+in\s+the\s+day\b")
_EVENING_RX = re.compile(
    r"\bevenings?\b|\babends?\b|(?:tag|woch)abends?\b|\bafter\s+work\b|\bnach\s+feierabend\b"
)


def find_daypart(folded: str) -> str | None:
    parts = [
        (m.start(), name)
        for name, rx in (("morning", _MORNING_RX), ("afternoon", _AFTERNOON_RX), ("evening", _EVENING_RX))
        for m in rx.finditer(folded)
        if not is_negated(folded, m.start())
    ]
    return max(parts)[1] if parts else None


def _hour_value(raw: str) -> int:
    return int(raw) if raw.isdigit() else NUMBER_WORDS[raw]


def _make_time(
    hour: int, minute: int, marker: str | None, daypart: str | None, explicit_24h: bool
) -> dt.time | None:
    marker = (marker or "").replace(".", "")
    if marker == "pm" and hour < 12:
        hour += 12
    elif marker == "am" and hour == 12:
        hour = 0
    elif (
        marker not in ("am", "pm")
        and not explicit_24h
        and (1 <= hour <= 6 or (daypart in ("afternoon", "evening") and hour < 12))
    ):
        # Business-hours reading of a bare hour: "at 2" / "um 4" means the afternoon (nobody books
        # 4 a.m., whatever else the message says about the morning).
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


def find_times(folded: str, daypart: str | None) -> list[Found]:
    found: list[Found] = []

    def add(m: re.Match[str], value: dt.time | None) -> None:
        if value is not None:
            found.append(Found(m.start(), m.end(), value, 0, is_negated(folded, m.start())))

    for rx in (_CLOCK_RX, _DOT_CLOCK_RX):
        for m in rx.finditer(folded):
            ap = m.group("ap")
            minute = int(m.group("m"))
            # A dotted "9.12" is a decimal or a date unless it says "Uhr" or is on the quarter hour.
            if rx is _DOT_CLOCK_RX and not ap and minute not in (0, 15, 30, 45):
                continue
            explicit = m.group("h").startswith("0") or int(m.group("h")) > 12
            add(m, _make_time(int(m.group("h")), minute, ap, daypart, explicit))
    for m in _AMPM_RX.finditer(folded):
        add(m, _make_time(int(m.group("h")), int(m.group("m") or 0), m.group("ap"), daypart, False))
    for m in _UHR_RX.finditer(folded):
        hour = int(m.group("h"))
        if m.group("ap") == "h" and not 6 <= hour <= 20:
            continue
        add(m, _make_time(hour, 0, None, daypart, m.group("h").startswith("0") or hour > 12))
    for m in _PREP_HOUR_RX.finditer(folded):
        hour = int(m.group("h"))
        add(m, _make_time(hour, 0, None, daypart, m.group("h").startswith("0") or hour > 12))
    for m in _WORD_HOUR_RX.finditer(folded):
        add(m, _make_time(_hour_value(m.group("w")), 0, None, daypart, False))
    for m in _HALF_RX.finditer(folded):
        hour = _hour_value(m.group("h")) - 1
        add(m, _make_time(hour, 30, None, daypart, hour > 12))
    for m in _NOON_RX.finditer(folded):
        add(m, dt.time(12, 0))
    return _without_overlaps(found)


def choose_time(found: list[Found], folded: str = "") -> dt.time | None:
    live = _after_replacement(folded, [f for f in found if not f.negated])
    chosen: dt.time | None = live[-1].value if live else None
    return chosen
