"""Synonym normalisation for the business vocabulary (project, construction and specialist types).

Used twice: by the tools, which receive free-text arguments from a model ("single-family",
"EFH", "barn"), and by the local NLU, which reads whole customer messages. Both need the same
answer, so the rules live here once. Matching runs on a *folded* copy of the text (lower case,
umlauts without dots, ß as s) that keeps every character position, so callers can map spans
back to the original text.

Conservative by design: a wrong project type silently produces a wrong price, whereas ``None``
only makes the agent ask. Typos are repaired with rapidfuzz, but only for tokens of at least
five letters and only against a curated list of distinctive words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from erni_agents.domain.types import ConstructionType, ProjectType, SpecialistType

E = TypeVar("E", ProjectType, ConstructionType, SpecialistType)

# One character in, one character out: spans found in the folded text are valid in the original.
_FOLD_TABLE = str.maketrans(
    {
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "Ä": "a",
        "Ö": "o",
        "Ü": "u",
        "ß": "s",
        "ẞ": "s",
        "é": "e",
        "è": "e",
        "ê": "e",
        "à": "a",
        "â": "a",
        "ç": "c",
        "ô": "o",
        "î": "i",
        "ï": "i",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "_": " ",
        "\t": " ",
        "\r": " ",
    }
)


def fold(text: str) -> str:
    """Lower-cased, umlaut-free copy of ``text`` with exactly the same length."""
    folded = text.translate(_FOLD_TABLE).lower()
    if len(folded) == len(text):
        return folded
    # A handful of characters (e.g. "İ") grow when lower-cased; keep positions stable instead.
    return "".join(ch if len(ch) == 1 else ch[0] for ch in (c.lower() for c in text.translate(_FOLD_TABLE)))


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a vocabulary term: ``value`` found at ``text[start:end]``."""

    start: int
    end: int
    value: str
    negated: bool = False


# --- patterns (on folded text) ----------------------------------------------------------------

_PROJECT_PATTERNS: tuple[tuple[str, ProjectType], ...] = (
    # Multi-family first in the table only for readability; overlaps are resolved by length.
    (r"mehrfamilien[\s-]?h(?:a|ae)us\w*", ProjectType.MEHRFAMILIENHAUS),
    (r"\b(?:zwei|drei|vier|mehr)[\s-]?familienh\w*", ProjectType.MEHRFAMILIENHAUS),
    (r"\bmfhs?\b", ProjectType.MEHRFAMILIENHAUS),
    (
        r"\b(?:multi|multiple|two|three|four)[\s-]?famil(?:y|ies)(?:[\s-]?(?:houses?|homes?|buildings?|"
        r"dwellings?|residences?|propert(?:y|ies)))?\b",
        ProjectType.MEHRFAMILIENHAUS,
    ),
    (r"\bmultifamily\b", ProjectType.MEHRFAMILIENHAUS),
    (r"\bapartment\s+(?:buildings?|blocks?|houses?|complex(?:es)?)\b", ProjectType.MEHRFAMILIENHAUS),
    (r"\bblocks?\s+of\s+(?:flats|apartments)\b", ProjectType.MEHRFAMILIENHAUS),
    (r"\b(?:residential|housing)\s+(?:complex|development|block|estate)s?\b", ProjectType.MEHRFAMILIENHAUS),
    (r"\bcondo(?:minium)?s?\b", ProjectType.MEHRFAMILIENHAUS),
    (r"\b(?:wohn)?uberbauung\w*|\bwohnueberbauung\w*", ProjectType.MEHRFAMILIENHAUS),
    (r"\bwohn(?:block|anlage|siedlung)\w*", ProjectType.MEHRFAMILIENHAUS),
    (r"\bmiets?h(?:a|ae)us\w*", ProjectType.MEHRFAMILIENHAUS),
    (r"\bterrassenh(?:a|ae)us\w*", ProjectType.MEHRFAMILIENHAUS),
    (r"\b\d+\s+(?:apartments|flats|units|wohnungen|wohneinheiten|parteien)\b", ProjectType.MEHRFAMILIENHAUS),
    (
        r"\b(?:several|multiple|mehrere|einige)\s+(?:apartments|flats|wohnungen|wohneinheiten)\b",
        ProjectType.MEHRFAMILIENHAUS,
    ),
    (r"\bwohneinheiten\b", ProjectType.MEHRFAMILIENHAUS),
    # Single-family.
    (r"einfamilien[\s-]?h(?:a|ae)us\w*", ProjectType.EINFAMILIENHAUS),
    (r"\befhs?\b", ProjectType.EINFAMILIENHAUS),
    (r"\beigenheim\w*", ProjectType.EINFAMILIENHAUS),
    (
        r"\b(?:single|one)[\s-]?famil(?:y|ies)(?:[\s-]?(?:houses?|homes?|dwellings?|residences?))?\b",
        ProjectType.EINFAMILIENHAUS,
    ),
    (r"\bsinglefamily\b", ProjectType.EINFAMILIENHAUS),
    (r"\b(?:semi-?)?detached\s+(?:houses?|homes?|villas?)\b", ProjectType.EINFAMILIENHAUS),
    (r"\bfamily\s+(?:houses?|homes?)\b", ProjectType.EINFAMILIENHAUS),
    (r"\bfamilienh(?:a|ae)us\w*", ProjectType.EINFAMILIENHAUS),
    (r"\b(?:bungalow|villa|chalet)s?\b", ProjectType.EINFAMILIENHAUS),
    (r"\bferienh(?:a|ae)us\w*", ProjectType.EINFAMILIENHAUS),
    (r"\b(?:holiday|vacation)\s+(?:homes?|houses?|cottages?)\b", ProjectType.EINFAMILIENHAUS),
    (r"\b(?:house|home)\s+for\s+(?:my|our|a)\s+(?:small\s+)?family\b", ProjectType.EINFAMILIENHAUS),
    (r"\bhaus\s+fu(?:e)?r\s+(?:meine|unsere|eine)\s+(?:kleine\s+)?familie\b", ProjectType.EINFAMILIENHAUS),
    # Agricultural.
    (r"\bagrar\w*", ProjectType.AGRAR),
    (r"\bagricultur\w*", ProjectType.AGRAR),
    (r"\blandwirtschaft\w*", ProjectType.AGRAR),
    (r"\bfarm(?:s|ing)?\b(?!\s*house)", ProjectType.AGRAR),
    (r"\bbarns?\b", ProjectType.AGRAR),
    (r"\bstables\b|^\s*(?:an?\s+|the\s+)?stable(?:\s+building)?\s*[.!]?\s*$", ProjectType.AGRAR),
    (r"\b(?:horse|cow|cattle|pig|sheep|goat|dairy|riding|livestock)\s+stables?\b", ProjectType.AGRAR),
    (
        r"\b(?:a|the|new|our|my)\s+stable\b(?!\s+(?:construction|structure|building|house|foundation|and|"
        r"enough|material|frame|climate|temperature))",
        ProjectType.AGRAR,
    ),
    (r"\b(?:cow|cattle)\s?sheds?\b", ProjectType.AGRAR),
    (
        r"\b(?:livestock|dairy|poultry|pig|hog|cattle|chicken|animal)\s+(?:barn|building|house|housing|"
        r"shed|facility|farm)s?\b",
        ProjectType.AGRAR,
    ),
    (
        r"\b(?:hay|grain|machinery|equipment)\s+(?:barn|loft|shed|store|storage|silo|hall)s?\b",
        ProjectType.AGRAR,
    ),
    # German stable compounds (Kuhstall, Laufstall, Stallungen); "Installation" must not count.
    (r"\b(?!inst)\w*stall(?:e|es|s|ungen|ung)?\b", ProjectType.AGRAR),
    (r"\bscheune\w*", ProjectType.AGRAR),
    (r"\bremise\w*", ProjectType.AGRAR),
    (r"\boe?konomiegeb(?:a|ae)ude\w*", ProjectType.AGRAR),
    (r"\breithalle\w*", ProjectType.AGRAR),
    (r"\bbauernhof\w*|\bhofgeb(?:a|ae)ude\w*", ProjectType.AGRAR),
    (r"\bgeflu(?:e)?gelhalle\w*|\bsilos?\b", ProjectType.AGRAR),
    # Renovation (also extensions and added storeys: ERNI prices them as renovation work).
    (r"\brenovat\w*|\brenovier\w*", ProjectType.RENOVATION),
    (r"\brefurb\w*", ProjectType.RENOVATION),
    (r"\bremodel\w*", ProjectType.RENOVATION),
    (r"\bretrofit\w*", ProjectType.RENOVATION),
    (r"\bmoderni[sz]\w*", ProjectType.RENOVATION),
    (r"\b(?:loft|attic|barn|roof|garage)\s+conversion\b", ProjectType.RENOVATION),
    (r"\bconvert(?:ing)?\s+(?:my|our|the|a|an|this)\b", ProjectType.RENOVATION),
    (
        r"\b(?:add|adding)\s+(?:a|an|another|one)\s+(?:extra\s+)?(?:storey|story|floor|level)\b",
        ProjectType.RENOVATION,
    ),
    (r"\b(?:house|home|an|the|our|my)\s+extension\b", ProjectType.RENOVATION),
    (r"\broof\s+(?:raising|extension)\b", ProjectType.RENOVATION),
    (r"\w*sanier\w*", ProjectType.RENOVATION),
    (r"\bumbau\w*|\bumgebaut\w*|\bumzubauen\b|\baufzustocken\b|\banzubauen\b", ProjectType.RENOVATION),
    (r"\w*aufstock\w*", ProjectType.RENOVATION),
    (r"\banbau(?:en|t|s)?\b|\bdach(?:geschoss)?ausbau\w*", ProjectType.RENOVATION),
    (r"\berweiterungsbau\w*|\bhauserweiterung\w*|\bumnutzung\w*", ProjectType.RENOVATION),
)

# Masks engineer mentions so "Holzbau-Ingenieur" or "timber engineer" does not also read as Holzbau.
_ENGINEER_SPAN = re.compile(
    r"holz(?:bau)?[\s-]?ingenieur\w*|\b(?:timber|wood)[\s-]?(?:construction\s+)?engineer\w*"
)

_CONSTRUCTION_PATTERNS: tuple[tuple[str, ConstructionType], ...] = (
    (
        r"\bsystem[\s-]?(?:bau\w*|build\w*|built|construction|houses?|buildings?|method)\b",
        ConstructionType.SYSTEMBAU,
    ),
    (r"\bprefab\w*|\bpre-?fabricat\w*|\bvorfabri\w*|\bvorgefertigt\w*", ConstructionType.SYSTEMBAU),
    (r"\bmodular\w*|\bmodul(?:bau|haus|hauser|bauweise)\w*", ConstructionType.SYSTEMBAU),
    (r"\belement(?:bau|bauweise)\w*|\bfertig(?:haus|hauser|bau|teil)\w*", ConstructionType.SYSTEMBAU),
    (r"\bpanelized\b|\bkit\s+houses?\b", ConstructionType.SYSTEMBAU),
    (r"holz\w*", ConstructionType.HOLZBAU),
    (r"\btimber\w*|\bwood(?:en|s)?\b|\bwood[\s-]?(?:frame|framed)\b", ConstructionType.HOLZBAU),
    (
        r"\blog\s+(?:houses?|cabins?|homes?)\b|\bclt\b|\bcross[\s-]laminated\b|\bglulam\b",
        ConstructionType.HOLZBAU,
    ),
    (r"\bblock(?:bau|haus)\w*", ConstructionType.HOLZBAU),
)

_SPECIALIST_PATTERNS: tuple[tuple[str, SpecialistType], ...] = (
    (r"\barchite(?:kt|ct)(?:in|innen|en|s)?\b", SpecialistType.ARCHITEKT),
    (r"\b(?:bau|haus)?planer(?:in|innen)?\b|\bplanners?\b", SpecialistType.ARCHITEKT),
    (r"\b(?:building|house|home)\s+designers?\b", SpecialistType.ARCHITEKT),
    (r"ingenieur\w*|\bengineer\w*", SpecialistType.HOLZBAU_INGENIEUR),
    (
        r"\bstatiker\w*|\btragwerks?planer\w*|\bstructural\s+(?:designer|expert|planner)s?\b",
        SpecialistType.HOLZBAU_INGENIEUR,
    ),
    (
        r"\bbauleit\w*|\bbaufu(?:e)?hrer\w*|\bprojektleit\w*|\bpolier\b|\bforem[ae]n\b",
        SpecialistType.BAULEITER,
    ),
    (
        r"\b(?:construction|site|building|project)\s+(?:manager|supervisor|management|lead|leader|foreman)s?\b",
        SpecialistType.BAULEITER,
    ),
    (r"\bsite\s+manag\w*", SpecialistType.BAULEITER),
)

# Renovation wins over the building it applies to ("renovate our single-family house"); system
# build wins over timber because ERNI's system build is itself timber ("prefab timber elements").
_PROJECT_PRIORITY = (ProjectType.RENOVATION,)
_CONSTRUCTION_PRIORITY = (ConstructionType.SYSTEMBAU,)

# A negator in the same clause, up to three words before the mention, rejects it. "not more
# than", "nicht nur" and similar are comparisons, not rejections.
_NEGATION = re.compile(
    r"\b(?:not|nicht|kein|keine|keinen|keinem|keiner|statt|anstatt|anstelle|instead\s+of|rather\s+than|"
    r"don'?t|doesn'?t|isn'?t|nor|weder|no)\b"
    r"(?!\s+(?:more|less|mehr|weniger|uber|ueber|over|under|unter|larger|bigger|smaller|grosser|kleiner|"
    r"later|spater|earlier|fruher|only|nur|sure|sicher|yet|noch|ganz|quite|exactly|genau|too|zu)\b)"
    r"(?:\s+\S+){0,3}\s*$"
)
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\n]|\b(?:but|sondern|aber|lieber|eher)\b|\brather\b(?!\s+than)")


def is_negated(folded: str, start: int) -> bool:
    """True if the mention starting at ``start`` is rejected by a nearby negator ("not a barn")."""
    window = folded[max(0, start - 60) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return _NEGATION.search(window) is not None


def _compile(table: Sequence[tuple[str, E]]) -> tuple[tuple[re.Pattern[str], E], ...]:
    return tuple((re.compile(pattern), value) for pattern, value in table)


_PROJECT_RX = _compile(_PROJECT_PATTERNS)
_CONSTRUCTION_RX = _compile(_CONSTRUCTION_PATTERNS)
_SPECIALIST_RX = _compile(_SPECIALIST_PATTERNS)

# Canonical enum names as a model might send them ("HOLZBAU_INGENIEUR", "holzbau ingenieur").
_CANONICAL: dict[str, ProjectType | ConstructionType | SpecialistType] = {
    fold(member.value).replace("-", " "): member
    for enum in (ProjectType, ConstructionType, SpecialistType)
    for member in enum
} | {
    fold(member.name).replace("-", " "): member
    for enum in (ProjectType, ConstructionType, SpecialistType)
    for member in enum
}


def _mentions(folded: str, table: Iterable[tuple[re.Pattern[str], E]]) -> list[Mention]:
    found: list[Mention] = []
    for rx, value in table:
        for m in rx.finditer(folded):
            if m.end() > m.start():
                found.append(Mention(m.start(), m.end(), value.value, is_negated(folded, m.start())))
    # Longest match wins on overlap: "multi-family house" must hide the "family house" inside it.
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    kept: list[Mention] = []
    for mention in found:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    kept.sort(key=lambda x: x.start)
    return kept


def project_type_mentions(text: str) -> list[Mention]:
    return _mentions(fold(text), _PROJECT_RX)


def construction_type_mentions(text: str) -> list[Mention]:
    return _mentions(_ENGINEER_SPAN.sub(lambda m: " " * len(m.group()), fold(text)), _CONSTRUCTION_RX)


def specialist_type_mentions(text: str) -> list[Mention]:
    return _mentions(fold(text), _SPECIALIST_RX)


def _choose(mentions: Sequence[Mention], enum: type[E], priority: Sequence[E] = ()) -> E | None:
    live = [m for m in mentions if not m.negated]
    if not live:
        return None
    values = {m.value for m in live}
    for preferred in priority:
        if preferred.value in values:
            return preferred
    # Otherwise the last mention wins: later words usually refine or correct earlier ones.
    return enum(live[-1].value)


# --- typo repair ---------------------------------------------------------------------------------

# Distinctive words only: common short words have real-word neighbours ("table" vs "stable").
_FUZZY_WORDS: tuple[str, ...] = (
    "einfamilienhaus",
    "einfamilienhauser",
    "mehrfamilienhaus",
    "mehrfamilienhauser",
    "single",
    "family",
    "detached",
    "apartment",
    "multi",
    "landwirtschaft",
    "landwirtschaftlich",
    "agricultural",
    "agriculture",
    "scheune",
    "renovation",
    "renovieren",
    "renovierung",
    "sanierung",
    "sanieren",
    "refurbishment",
    "refurbish",
    "modernisierung",
    "dachaufstockung",
    "aufstockung",
    "holzbau",
    "holzbauweise",
    "timber",
    "wooden",
    "systembau",
    "systembauweise",
    "system",
    "elementbau",
    "prefabricated",
    "modular",
    "architekt",
    "architektin",
    "architect",
    "ingenieur",
    "ingenieurin",
    "engineer",
    "holzbauingenieur",
    "statiker",
    "bauleiter",
    "bauleiterin",
    "bauleitung",
    "construction",
    "manager",
    "eigenheim",
    "wohnuberbauung",
    # Intent keywords, so "apointment" or "Kostn" still read as a request.
    "appointment",
    "consultation",
    "estimate",
    "quotation",
    "status",
    "progress",
    "termin",
    "beratung",
    "beratungstermin",
    "kosten",
    "kostet",
    "offerte",
    "vereinbaren",
    "besprechung",
    "meeting",
    "quadratmeter",
    "square",
    "meters",
    "certification",
    "zertifizierung",
    "renovate",
    "availability",
)
# Real words one or two edits away from a vocabulary word: never "repair" them.
_FUZZY_BLACKLIST = frozenset(
    {
        "worden",
        "timer",
        "timers",
        "attached",
        "innovation",
        "innovations",
        "department",
        "departments",
        "architektur",
        "architecture",
        "bauleute",
        "processing",
        "singles",
        "simple",
        "sanitar",
        "families",
        "familie",
        "famille",
        "familien",
        "modulare",
        "systems",
        "engineering",
        "manage",
        "managed",
        "managing",
        "managers",
        "manages",
        "multiple",
        "wooded",
        "woolen",
        "golden",
        "wonder",
        "tinder",
        "timbers",
        "statistik",
        "singer",
        "sinfle",
        "scheunen",
        "minder",
        "kinder",
        "under",
        "wieder",
        "welcher",
        "constructed",
        "construct",
        "instruction",
        "instructions",
        "destruction",
        "obstruction",
        "reconstruction",
        "renovations",
        "modell",
        "systeme",
        "terminal",
        "terminals",
        "programs",
        "greeting",
        "greetings",
        "posten",
        "kasten",
        "osten",
        "husten",
        "kostete",
        "statue",
        "states",
        "squire",
        "meetings",
        "melting",
        "metres",
        "estimates",
        "estimated",
    }
)
_WORD = re.compile(r"[a-z]{5,}")


def _max_edits(length: int) -> int:
    return 1 if length < 8 else 2


@lru_cache(maxsize=4096)
def _repair_word(word: str) -> str | None:
    if word in _FUZZY_BLACKLIST or word in _FUZZY_SET:
        return None
    limit = _max_edits(len(word))
    best = process.extractOne(word, _FUZZY_WORDS, scorer=OSA.distance, score_cutoff=limit)
    if best is None or best[0] == word:
        return None
    candidate = best[0]
    # Length must roughly agree, or a short word could "repair" into a prefix of a long one.
    if abs(len(candidate) - len(word)) > limit:
        return None
    return candidate


_FUZZY_SET = frozenset(_FUZZY_WORDS)


@lru_cache(maxsize=512)
def repair_typos(folded: str) -> str:
    """``folded`` with misspelt vocabulary words replaced ("archtect" -> "architect")."""
    return _WORD.sub(lambda m: _repair_word(m.group()) or m.group(), folded)


# --- public normalisers ------------------------------------------------------------------------


def _canonical(text: str, enum: type[E]) -> E | None:
    key = " ".join(fold(text).replace("-", " ").split())
    member = _CANONICAL.get(key)
    return member if isinstance(member, enum) else None


def normalise_project_type(text: str) -> ProjectType | None:
    """ProjectType named or described in ``text`` (a slot value or a whole message), else None."""
    if not text:
        return None
    exact = _canonical(text, ProjectType)
    if exact is not None:
        return exact
    folded = fold(text)
    chosen = _choose(_mentions(folded, _PROJECT_RX), ProjectType, _PROJECT_PRIORITY)
    if chosen is None:
        repaired = repair_typos(folded)
        if repaired != folded:
            chosen = _choose(_mentions(repaired, _PROJECT_RX), ProjectType, _PROJECT_PRIORITY)
    return chosen


def normalise_construction_type(text: str) -> ConstructionType | None:
    """ConstructionType named or described in ``text``, else None."""
    if not text:
        return None
    exact = _canonical(text, ConstructionType)
    if exact is not None:
        return exact

    def scan(folded: str) -> ConstructionType | None:
        masked = _ENGINEER_SPAN.sub(lambda m: " " * len(m.group()), folded)
        return _choose(_mentions(masked, _CONSTRUCTION_RX), ConstructionType, _CONSTRUCTION_PRIORITY)

    folded = fold(text)
    chosen = scan(folded)
    if chosen is None:
        repaired = repair_typos(folded)
        if repaired != folded:
            chosen = scan(repaired)
    return chosen


def normalise_specialist_type(text: str) -> SpecialistType | None:
    """SpecialistType named or described in ``text``, else None."""
    if not text:
        return None
    exact = _canonical(text, SpecialistType)
    if exact is not None:
        return exact
    folded = fold(text)
    chosen = _choose(_mentions(folded, _SPECIALIST_RX), SpecialistType)
    if chosen is None:
        repaired = repair_typos(folded)
        if repaired != folded:
            chosen = _choose(_mentions(repaired, _SPECIALIST_RX), SpecialistType)
    return chosen


__all__ = [
    "Mention",
    "construction_type_mentions",
    "fold",
    "is_negated",
    "normalise_construction_type",
    "normalise_project_type",
    "normalise_specialist_type",
    "project_type_mentions",
    "repair_typos",
    "specialist_type_mentions",
]
