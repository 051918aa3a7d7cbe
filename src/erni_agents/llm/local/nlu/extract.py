"""Slot values in one customer message: what the customer *said*, not yet validated.

Validation (area range, bookable dates, phone syntax) belongs to the domain rules; this module
only has to find the values and, where a value is clearly an attempt but malformed ("-20 m2",
"peter at nowhere"), hand over the raw form so the agent can explain instead of ignoring it.

Extraction order matters: e-mail, phone and project number are taken first and their spans
are blocked, so their digits can never be read as an area, a time or a bare number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from erni_agents.domain.types import ConstructionType, Language, ProjectType, SpecialistType
from erni_agents.domain.vocab import (
    fold,
    is_negated,
    normalise_construction_type,
    normalise_project_type,
    normalise_specialist_type,
)
from erni_agents.llm.local.nlu import _dates
from erni_agents.llm.local.nlu._lexicon import (
    COMMON_WORDS,
    NAME_PARTICLES,
    PLACE_SUFFIXES,
    SWISS_PLACES,
    TITLES,
)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything found in one message; every field is optional."""

    project_type: ProjectType | None = None
    # A building type ERNI does not estimate ("office building", "Garage"), as written.
    project_type_other: str | None = None
    construction_type: ConstructionType | None = None
    # A construction method ERNI does not offer ("concrete", "Massivbau"), as written.
    construction_other: str | None = None
    area_sqm: float | None = None
    # An area with a unit that cannot be right (zero or negative), kept so the agent can say so.
    area_raw_invalid: float | None = None
    # A number with no unit and no other reading; the engine interprets it from the question asked.
    bare_number: float | None = None
    specialist_type: SpecialistType | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    # "morning" / "afternoon" / "evening" when said without a clock time ("Dienstagnachmittag").
    daypart: str | None = None
    email: str | None = None
    # Looks like an attempt at an e-mail address but is not valid ("peter at nowhere").
    email_raw: str | None = None
    # Raw text of what looks like a phone number; syntax is checked by the domain rules.
    phone: str | None = None
    # Given as the phone number but far too short to be one ("12345" in a contact list).
    phone_raw: str | None = None
    person_name: str | None = None
    last_name: str | None = None
    # The whole message is a single unknown word ("Müller"): a name or an answer, by context.
    bare_word: str | None = None
    # Canonical "YYYY-NNN".
    project_number: str | None = None
    # Something given as a project number that does not have the YYYY-NNN shape ("Projekt 24-15").
    project_number_raw: str | None = None
    budget_chf: float | None = None
    location: str | None = None
    # Slots for which the message only *rejected* a value ("not 150 m2", "kein Architekt").
    rejected: tuple[str, ...] = ()

    def filled(self) -> dict[str, object]:
        """The fields that carry a value, by name (handy for logging and tests)."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value != ():
                out[f.name] = value
        return out


# --- numbers -------------------------------------------------------------------------------------

# Swiss writing: 1'200 and 1 200 are thousands; "1,200"/"1.200" with exactly three digits after the
# separator are thousands too (nobody gives an area to the thousandth); otherwise "," or "." is
# the decimal point.
_NUM = (
    r"(?P<sign>(?<![\w.,'])-\s?|\bminus\s+)?(?<![\d.,'])"
    r"(?P<num>\d{1,3}(?:['\s]\d{3})+(?![\d.,]\d)|\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?)"
)
_SQM_UNIT = (
    r"\s*(?:m2(?![\d])|m²|m\^2|m\s2\b|qm\b|sqm\b|sq\.?\s?m(?:eters?|etres?|\.|\b)|square\s*m(?:eters?|etres?)\b|"
    r"quadrat\s?-?meter\w*|meter\s?quadrat\b|m(?=\s*(?:wohnflache|grundflache|nutzflache|flache|living|floor)))"
)
_SQFT_UNIT = r"\s*(?:sq\.?\s?f(?:ee)?t\.?|square\s+f(?:ee|oo)t\b|ft2\b|ft²)"
_AREA_RX = re.compile(_NUM + r"(?P<unit>" + _SQM_UNIT + r"|(?P<ft>" + _SQFT_UNIT + r"))")
_AREA_CUE_RX = re.compile(
    r"\b(?:wohnflache|nutzflache|grundflache|geschossflache|bruttogeschossflache|flache|living\s+(?:area|space)|"
    r"floor\s+(?:area|space)|floor\s?space|total\s+area|area|grosse|groesse)\b"
    r"\s*(?:(?:von|of|:|=|is|ist|ca\.?|about|approx(?:imately|\.)?|circa|rund|etwa|ungefahr|around|roughly|"
    r"would\s+be|wird|ware|sind|are|be)\s*)*" + _NUM + r"(?![\d.,]|\s*(?:%|chf|fr\b|franken|mio|k\b))"
)
_BARE_NUM_RX = re.compile(_NUM)
_SQFT_TO_SQM = 0.09290304

_BUDGET_CUE_RX = re.compile(
    r"\b(?:budget\w*|kostendach|kostenrahmen|finanzrahmen|maximal|maximum|max\.?|h(?:o|oe)chstens|bis\s+zu|"
    r"up\s+to|afford|leisten|ausgeben|spend|zur\s+verf(?:u|ue)gung|verf(?:u|ue)gbar|available)\b"
)
_MONEY_RX = re.compile(
    r"(?P<pre>\b(?:chf|sfr\.?|fr\.)\s*)?"
    + _NUM
    + r"(?P<mult>\s*(?:k\b|tsd\.?|mio\.?|millionen|million|mill\.?|m\b(?!\s*2)|mia\.?))?"
    r"(?P<cur>\s*(?:\.-|chf\b|sfr\.?|fr\.|franken\b|francs\b))?"
)


def _to_float(raw: str) -> float:
    compact = raw.replace("'", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", compact):
        return float(compact.replace(".", "").replace(",", ""))
    return float(compact.replace(",", "."))


def _signed(m: re.Match[str]) -> float:
    value = _to_float(m.group("num"))
    sign = m.group("sign")
    if sign and sign.startswith("-") and re.search(r"\d\s*$", m.string[: m.start("sign")]):
        return value  # "150 - 180 m2" is a range, not a negative area
    return -value if sign else value


# --- contact data --------------------------------------------------------------------------------

_EMAIL_RX = re.compile(r"(?<![\w.+'%-])[\w.+'%-]+@[\w-]*(?:\.[\w-]+)*")
_OBFUSCATED_EMAIL_RX = re.compile(
    r"(?<![\w.+-])([\w.+-]+)\s*[(\[{]\s*(?:at|ät)\s*[)\]}]\s*([\w-]+(?:\s*(?:\.|[(\[]\s*(?:dot|punkt)\s*[)\]])\s*[\w-]+)+)",
    re.IGNORECASE,
)
_AT_WORD_RX = re.compile(r"^\s*([\w.+-]+\s+(?:at|ät)\s+[\w.-]+)\s*$", re.IGNORECASE)
_EMAIL_CUE_RX = re.compile(
    r"\b(?:e-?mail|mail)(?:\s*-?\s*adresse|\s+address)?\s*(?P<cop>(?:is|ist|lautet)\b|:)?\s*"
    r"(?P<v>[^\s,;]+(?:\s+(?:at|ät)\s+[^\s,;]+)?)",
    re.IGNORECASE,
)
_PHONE_RX = re.compile(
    r"(?<![\w+.,'/])(?:(?:\+|00)\s?\d{1,3}(?:[\s./-]{0,2}\(?\d{1,4}\)?)+"
    r"|0\d{8,11}(?!\d)|\(?0\d{1,3}\)?(?:[\s/-]{0,2}\d{2,4}(?![\d:.]\d))+)"
)
_PHONE_CUE_RX = re.compile(
    r"\b(?:tel(?:efon)?|phone|mobile|mobil|handy|natel|cell|telefonnummer|handynummer|phone\s+number|"
    r"nummer|number)\b\.?\s*(?:nr\.?|number|nummer)?\s*(?:is|ist|lautet|:)?\s*(?P<v>\+?\d[\d\s/().-]{4,20}\d)",
    re.IGNORECASE,
)
_PROJECT_RX = re.compile(r"(?<![\d.+/-])((?:19|20)\d{2})\s?[-/._]\s?(\d{3})(?![\d])")
_PROJECT_CUE = (
    r"(?:projekt\w*|project(?:\s+(?:number|no\.?|nr\.?|#))?|auftrag\w*|order(?:\s+number)?|nr\.?|nummer|#)"
)
_PROJECT_SPACED_RX = re.compile(
    r"\b" + _PROJECT_CUE + r"\s*:?\s*#?((?:19|20)\d{2})\s?(\d{3})(?!\d)", re.IGNORECASE
)
# Year-like prefix with a wrong-length sequence ("2024-1567", "2024-15"); not a date ("2026-12-03").
_PROJECT_MALFORMED_RX = re.compile(
    r"(?<![\d.+/-])(?:19|20)\d{2}\s?[-/]\s?(?:\d{4,6}|\d{1,2})(?![\d]|[-./]\d)"
)
_PROJECT_RAW_RX = re.compile(
    r"\b(?:projekt(?:nummer|nr\.?)?|project(?:\s+(?:number|no\.?|nr\.?))?|auftragsnummer|order\s+number)\s*"
    r"(?:is|ist|lautet|:)?\s*#?(?P<v>[\w/.-]*\d[\w/.-]*)",
    re.IGNORECASE,
)

# --- names ---------------------------------------------------------------------------------------

_NAME_WORD = r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*"
_EXPLICIT_NAME_RX = re.compile(
    r"\b(?:my\s+(?:full\s+)?name\s+is|my\s+name's|mein\s+(?:voller\s+)?name\s+(?:ist|lautet)|ich\s+hei(?:ss|ß|s)e|"
    r"i\s+am\s+called|you\s+can\s+call\s+me|unter\s+dem\s+namen|under\s+the\s+name|auf\s+den\s+namen|"
    r"(?<!last\s)(?<!family\s)name\s*[:=]|name\s+is)\s+",
    re.IGNORECASE,
)
_LAST_NAME_RX = re.compile(
    r"\b(?:(?:my\s+)?(?:last|family|sur)\s*-?\s*name\s*(?:is|:)?|(?:mein\s+)?(?:nach|familien)name\s*(?:ist|lautet|:)?)"
    r"(?:\s+(?:actually|eigentlich|really|correctly|richtig))?\s+",
    re.IGNORECASE,
)
_WEAK_INTRO_RX = re.compile(
    r"(?:^|(?<=[\s,.;!?]))(?:i'?m|i\s+am|this\s+is|it'?s|here\s+is|ich\s+bin|hier\s+(?:ist|spricht)|"
    r"name|hier)\s+(?=[A-ZÄÖÜÉ])",
    re.IGNORECASE,
)
# "2024-178, name frei": a label without a colon, at the start of a clause, lower case allowed.
_LABEL_NAME_RX = re.compile(
    r"(?:^|[,;]|\b(?:und|and))\s*(?:name|nachname|surname)\s+(?=[^\W\d_])", re.IGNORECASE
)
_TITLE_RX = re.compile(r"\b(?:Herr|Frau|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Familie)\s+(?=[A-ZÄÖÜÉ])")
_SIGNOFF_RX = re.compile(
    r"(?:regards|gr(?:u|ü|ue)(?:ss|ß)e?|gruss|cheers|best|lg|mfg|thanks|danke|merci|sincerely|freundlich\w*)"
    r"\s*,?\s*\n?\s*(?=[A-ZÄÖÜÉ][^\W\d_]+\s+[A-ZÄÖÜÉ][^\W\d_]+\s*[.!]?\s*$)",
    re.IGNORECASE,
)

_LOCATION_RX = re.compile(
    r"\b(?:in|im|bei|near|nahe|around|close\s+to|aus|from|region|raum|umgebung|kanton|canton)\s+"
    r"(?:der\s+n(?:a|ä)he\s+von\s+|the\s+area\s+of\s+|)(?P<p>(?:St\.?\s+)?[A-ZÄÖÜÉ][^\W\d_]+(?:-[^\W\d_]+)*)"
)

# --- other building types and methods ------------------------------------------------------------

_OTHER_PROJECT_RX = re.compile(
    r"\b(?:office\s+building|commercial\s+building|industrial\s+(?:building|hall)|warehouse|school(?:\s+building)?|"
    r"kindergarten|hotel|restaurant|garage|carport|garden\s+shed|shed|gym|sports\s+hall|church|"
    r"b(?:u|ue)rogeb(?:a|ae)ude\w*|gewerbe\w*|industrie\w*|lagerhalle\w*|halle|hallen|schul\w*|hotel\w*|"
    r"gartenhaus\w*|werkstatt|pavillon|turnhalle\w*|kirche)\b"
)
_OTHER_CONSTRUCTION_RX = re.compile(
    r"\b(?:(?:concrete|brick|masonry|steel|stone)\s+(?:construction|house|home|building|structure|frame|walls?)|"
    r"in\s+(?:concrete|brick|masonry|steel)|solid\s+construction|massivbau\w*|mauerwerk|backstein\w*|ziegel\w*|"
    r"beton\w*|stahlbau\w*|stahlbeton\w*)\b"
)

_LABEL_RX = re.compile(r"^\s*(?:kontakt|contact|name|details|angaben|daten|data)\s*:\s*", re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(r"[,;\n|]+")
_SINGLE_WORD_RX = re.compile(r"^\s*(" + _NAME_WORD + r")\s*[.!]?\s*$")
_NAME_ONLY_RX = re.compile(r"^\s*(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){1,3})\s*[.!]?\s*$")


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in spans)


def _is_common(word: str) -> bool:
    return fold(word).strip(".'’-") in COMMON_WORDS


def _name_words(text: str, *, allow_lower: bool, max_words: int = 4) -> list[str]:
    """Leading name words of ``text`` ("Peter Brunner and ..." -> ["Peter", "Brunner"])."""
    words: list[str] = []
    for token in text.split():
        clean = token.strip(',.;:!?()"')
        if not clean or not re.fullmatch(_NAME_WORD, clean):
            break
        if fold(clean) in NAME_PARTICLES and words:
            words.append(clean)
            continue
        if _is_common(clean) or not (allow_lower or clean[0].isupper()):
            break
        words.append(clean)
        if len(words) >= max_words or clean != token:
            break  # punctuation ends the name
    while words and fold(words[-1]) in NAME_PARTICLES:
        words.pop()
    return words


def _split_name(words: list[str]) -> tuple[str | None, str | None]:
    """(full name if at least two words, last name) from a list of name words."""
    if not words:
        return None, None
    if fold(words[0]).rstrip(".") in TITLES:
        words = words[1:]
        if not words:
            return None, None
    last = [words[-1]]
    i = len(words) - 2
    while i > 0 and fold(words[i]) in NAME_PARTICLES:
        last.insert(0, words[i])
        i -= 1
    full = " ".join(words) if len(words) >= 2 else None
    return full, " ".join(last)


@dataclass(slots=True)
class _Contact:
    email: str | None = None
    email_raw: str | None = None
    phone: str | None = None
    phone_raw: str | None = None


def _valid_email(candidate: str) -> str | None:
    try:
        return validate_email(candidate, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _contact(text: str, blocked: list[tuple[int, int]]) -> _Contact:
    out = _Contact()
    for m in _EMAIL_RX.finditer(text):
        candidate = m.group().rstrip(".'-")
        blocked.append((m.start(), m.end()))
        valid = _valid_email(candidate)
        if valid and out.email is None:
            out.email = valid
        elif not valid and out.email_raw is None:
            out.email_raw = candidate
    if out.email is None:
        for m in _OBFUSCATED_EMAIL_RX.finditer(text):
            domain = re.sub(
                r"\s*(?:[(\[]\s*(?:dot|punkt)\s*[)\]]|\.)\s*", ".", m.group(2), flags=re.IGNORECASE
            )
            blocked.append((m.start(), m.end()))
            valid = _valid_email(f"{m.group(1)}@{domain}")
            if valid:
                out.email = valid
                break
            out.email_raw = out.email_raw or m.group()
    for m in _PHONE_RX.finditer(text):
        raw = m.group().strip(" -/.")
        digits = sum(ch.isdigit() for ch in raw)
        minimum = 5 if raw.startswith(("+", "00")) else 7
        if digits >= minimum and _free(blocked, m.start(), m.end()):
            blocked.append((m.start(), m.start() + len(raw)))
            out.phone = out.phone or raw
    if out.phone is None:
        for m in _PHONE_CUE_RX.finditer(text):
            if _free(blocked, m.start("v"), m.end("v")) and sum(ch.isdigit() for ch in m.group("v")) >= 6:
                out.phone = m.group("v").strip()
                blocked.append((m.start("v"), m.end("v")))
                break
    if out.email is None and out.email_raw is None:
        out.email_raw = _attempted_email(text, has_contact=out.phone is not None)
    if out.phone is None:
        out.phone_raw = _attempted_phone(text, blocked, has_contact=bool(out.email or out.email_raw))
    return out


# A short digit group is a phone attempt only where a phone number is clearly meant: after a phone
# cue, or as its own item in a contact list next to an e-mail address ("Lisa Meyer, lisa@x.ch, 12345").
_SHORT_PHONE_CUE_RX = re.compile(
    r"\b(?:tel(?:efon)?|phone|mobile|mobil|handy|natel|cell|telefonnummer|handynummer)\b\.?\s*"
    r"(?:nr\.?|number|nummer)?\s*(?:is|ist|lautet|:)?\s*(?P<v>\+?\d[\d\s/().-]*\d|\d)(?![\d:.])",
    re.IGNORECASE,
)
_DIGITS_ONLY_RX = re.compile(r"^\s*(?P<v>\+?\d[\d\s/().-]*\d)\s*$")


def _attempted_phone(text: str, blocked: list[tuple[int, int]], *, has_contact: bool) -> str | None:
    cue = _SHORT_PHONE_CUE_RX.search(text)
    if cue and _free(blocked, cue.start("v"), cue.end("v")):
        blocked.append((cue.start("v"), cue.end("v")))
        return cue.group("v")
    if not has_contact:
        return None
    offset = 0
    for segment in re.split(r"([,;\n|]+|\s+(?:und|and)\s+)", text):
        m = _DIGITS_ONLY_RX.match(segment)
        start = offset + (m.start("v") if m else 0)
        offset += len(segment)
        if (
            m
            and sum(ch.isdigit() for ch in m.group("v")) >= 3
            and _free(blocked, start, start + len(m.group("v")))
        ):
            blocked.append((start, start + len(m.group("v"))))
            return m.group("v")
    return None


def _attempted_email(text: str, *, has_contact: bool) -> str | None:
    cue = _EMAIL_CUE_RX.search(text)
    # "send me an email tomorrow" is no address: it needs "is"/":" or an "at" in it.
    if cue and (cue.group("cop") or re.search(r"@|\s(?:at|ät)\s", cue.group("v"), re.I)):
        return cue.group("v").rstrip(".")
    if has_contact or "," in text:
        for segment in _SENTENCE_SPLIT.split(text):
            m = _AT_WORD_RX.match(segment)
            if m and not re.search(r"\d", m.group(1)):
                return m.group(1).strip()
    return None


def _names(text: str, contact: _Contact) -> tuple[str | None, str | None]:
    """(person_name, last_name)."""
    m = _LAST_NAME_RX.search(text)
    if m:
        words = _name_words(text[m.end() :], allow_lower=True, max_words=3)
        if words:
            _, last = _split_name(words)
            return None, " ".join(words) if len(words) <= 3 else last
    m = _EXPLICIT_NAME_RX.search(text)
    if m:
        words = _name_words(text[m.end() :], allow_lower=True)
        if words:
            return _split_name(words)
    m = _LABEL_NAME_RX.search(text)
    if m:
        words = _name_words(text[m.end() :], allow_lower=True, max_words=3)
        rest = text[m.end() + len(" ".join(words)) :].lstrip()
        if words and (not rest or rest[0] in ",.;!?"):
            return _split_name(words)
    m = _SIGNOFF_RX.search(text)
    if m:
        words = _name_words(text[m.end() :], allow_lower=False)
        if len(words) >= 2:
            return _split_name(words)
    if contact.email or contact.email_raw or contact.phone:
        for segment in _SENTENCE_SPLIT.split(text):
            if "@" in segment or re.search(r"\d", segment):
                # "John Smith john@x.com": the words before the address.
                head = re.split(r"\S*[@\d]", segment, maxsplit=1)[0]
                words = _name_words(head, allow_lower=False)
                if len(words) >= 2 and " ".join(words) == " ".join(head.split()):
                    return _split_name(words)
                continue
            m2 = _NAME_ONLY_RX.match(_LABEL_RX.sub("", segment))
            if m2:
                words = _name_words(m2.group(1), allow_lower=True)
                if len(words) >= 2 and len(words) == len(m2.group(1).split()):
                    return _split_name(words)
    m = _NAME_ONLY_RX.match(text)
    if m:
        words = _name_words(m.group(1), allow_lower=False)
        if len(words) >= 2 and len(words) == len(m.group(1).split()):
            return _split_name(words)
    for rx in (_TITLE_RX, _WEAK_INTRO_RX):
        for m in rx.finditer(text):
            words = _name_words(text[m.end() :], allow_lower=False)
            if not words:
                continue
            if rx is _WEAK_INTRO_RX and len(words) == 1:
                # "I'm Frei." counts, "ich bin Landwirt und ..." should not: a single word only at
                # the end of a clause.
                rest = text[m.end() + len(words[0]) :].lstrip()
                if rest and rest[0] not in ".,;!?":
                    continue
            return _split_name(words)
    return None, None


def _name_beside_number(text: str, spans: list[tuple[int, int]]) -> str | None:
    """ "2024-156, Huber" / "Projekt 2024-156 Meier": a lone name next to the project number."""
    rest = text
    for start, end in spans:
        rest = rest[:start] + "," + " " * (end - start - 1) + rest[end:]
    for segment in re.split(r"[,;.?!\n]", rest):
        words = segment.split()
        if (
            len(words) == 1
            and re.fullmatch(_NAME_WORD, words[0])
            and words[0][0].isupper()
            and not _is_common(words[0])
            and fold(words[0]) not in SWISS_PLACES
        ):
            return words[0]
    return None


def _bare_word(text: str) -> str | None:
    m = _SINGLE_WORD_RX.match(text)
    if not m:
        return None
    word = m.group(1)
    if len(word) < 2 or _is_common(word):
        return None
    if normalise_project_type(word) or normalise_construction_type(word) or normalise_specialist_type(word):
        return None
    return word


def _location(text: str) -> str | None:
    for m in _LOCATION_RX.finditer(text):
        place = m.group("p")
        key = fold(place)
        if key in SWISS_PLACES or (len(key) >= 6 and key.endswith(PLACE_SUFFIXES) and not _is_common(place)):
            return place
    return None


def _project_number(
    text: str, blocked: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> tuple[str | None, str | None]:
    number: str | None = None
    for rx in (_PROJECT_SPACED_RX, _PROJECT_RX):
        for m in rx.finditer(text):
            if _free(blocked, m.start(), m.end()):
                blocked.append((m.start(), m.end()))
                spans.append((m.start(), m.end()))
                number = number or f"{m.group(1)}-{m.group(2)}"
    if number is not None:
        return number, None
    raw = _PROJECT_RAW_RX.search(text)
    if raw and _free(blocked, raw.start("v"), raw.end("v")):
        blocked.append((raw.start("v"), raw.end("v")))
        return None, raw.group("v").rstrip(".-/")
    malformed = _PROJECT_MALFORMED_RX.search(text)
    if malformed and _free(blocked, malformed.start(), malformed.end()):
        blocked.append((malformed.start(), malformed.end()))
        return None, malformed.group()
    return None, None


def _areas(folded: str, blocked: list[tuple[int, int]]) -> tuple[float | None, float | None, bool]:
    """(area, invalid raw area, an area was mentioned only to be rejected)."""
    found: list[tuple[int, float, bool]] = []
    for m in _AREA_RX.finditer(folded):
        if not _free(blocked, m.start(), m.end()):
            continue
        value = _signed(m)
        if m.group("ft"):
            value = round(value * _SQFT_TO_SQM, 1)
        blocked.append((m.start(), m.end()))
        found.append((m.start(), value, is_negated(folded, m.start())))
    for m in _AREA_CUE_RX.finditer(folded):
        start = m.start("num") - (len(m.group("sign")) if m.group("sign") else 0)
        if not _free(blocked, start, m.end()):
            continue
        value = _signed(m)
        # Without a unit, "size 4" is not an area; real floor areas start at double digits.
        if abs(value) < 10:
            continue
        blocked.append((start, m.end()))
        found.append((start, value, is_negated(folded, m.start())))
    found.sort()
    live = [f for f in found if not f[2]]
    if not live:
        return None, None, bool(found)
    # The plot size is not the building's floor area: "Wohnfläche 160 m2, Grundstück 800 m2".
    live = [f for f in live if not _is_plot(folded, f[0])]
    if not live:
        return None, None, False
    value = live[-1][1]
    if value <= 0:
        return None, value, False
    return value, None, False


_PLOT_BEFORE_RX = re.compile(
    r"\b(?:grundst(?:u|ue)ck\w*|parzelle\w*|bauland|land|plot|lot|site|garten|garden|umschwung)\b[^,.;:!?\d]{0,25}$"
)
_PLOT_AFTER_RX = re.compile(
    r"\s*(?:m2|m²|qm|sqm|square\s+met\w+|quadratmeter\w*|sq\.?\s?m\w*)?\s*(?:grosses?\s+|large\s+|big\s+)?"
    r"(?:grundst(?:u|ue)ck\w*|parzelle\w*|bauland|land\b|plot\b|lot\b|site\b|garten|garden)"
)


def _is_plot(folded: str, start: int) -> bool:
    if _PLOT_BEFORE_RX.search(folded, max(0, start - 40), start):
        return True
    number_end = re.match(r"-?\s?[\d'.,\s]*\d", folded[start:])
    after = start + (number_end.end() if number_end else 0)
    return _PLOT_AFTER_RX.match(folded, after) is not None


def _budget(folded: str, blocked: list[tuple[int, int]]) -> float | None:
    for m in _MONEY_RX.finditer(folded):
        if not _free(blocked, m.start("num"), m.end("num")):
            continue
        value = _to_float(m.group("num"))
        mult = (m.group("mult") or "").strip().rstrip(".")
        if mult in ("k", "tsd"):
            value *= 1_000
        elif mult in ("mio", "million", "millionen", "mill", "m"):
            # "1.250 Mio" is 1.25 million, not 1250 million.
            value = (
                float(m.group("num").replace(",", ".").replace("'", "")) * 1_000_000
                if re.fullmatch(r"\d+[.,]\d+", m.group("num"))
                else value * 1_000_000
            )
        elif mult == "mia":
            value *= 1_000_000_000
        has_currency = bool(m.group("pre") or m.group("cur"))
        clause_start = max(folded.rfind(ch, 0, m.start()) for ch in ";!?\n")
        ends = [i for i in (folded.find(ch, m.end()) for ch in ";!?\n") if i >= 0]
        cue = _BUDGET_CUE_RX.search(folded, clause_start + 1, min(ends, default=len(folded)))
        if (cue and (mult or has_currency or value >= 1000)) or (has_currency and value >= 1000):
            blocked.append((m.start(), m.end()))
            return value
    return None


# A number followed by a counted noun ("12 Wohnungen", "2 people", "3rd") is not a bare answer;
# fillers and length units (a forgotten "2" in "150 m") are.
_BARE_FOLLOWER_RX = re.compile(r"(?P<ord>st|nd|rd|th)?\b\s*(?P<w>[a-z%][\w%]*)?")
_YEAR_BEFORE_RX = re.compile(
    r"\b(?:in|im|from|since|seit|ab|bis|until|by|year|jahr|jahre|baujahr|built|gebaut|spring|summer|autumn|fall|"
    r"winter|fruhling|fruhjahr|sommer|herbst|anfang|ende|mitte|early|late|end|of|von|vor|before|after|nach)\s*$"
)
_BARE_FOLLOWERS_OK = frozenset(
    {
        "please",
        "bitte",
        "ca",
        "about",
        "approx",
        "approximately",
        "ungefahr",
        "etwa",
        "circa",
        "or",
        "oder",
        "and",
        "und",
        "then",
        "dann",
        "m",
        "meter",
        "meters",
        "metre",
        "metres",
        "is",
        "ist",
        "sind",
        "are",
        "maybe",
        "vielleicht",
        "thanks",
        "danke",
        "merci",
    }
)


def _bare_number(folded: str, blocked: list[tuple[int, int]]) -> float | None:
    for m in _BARE_NUM_RX.finditer(folded):
        if not _free(blocked, m.start("num"), m.end("num")):
            continue
        if _YEAR_BEFORE_RX.search(folded, max(0, m.start() - 25), m.start()) and re.fullmatch(
            r"(?:19|20)\d\d", m.group("num")
        ):
            continue  # "in 2027", "Baujahr 1965": a year, never an answer to "how large?"
        follower = _BARE_FOLLOWER_RX.match(folded, m.end())
        if follower and (
            follower.group("ord") or (follower.group("w") or "please") not in _BARE_FOLLOWERS_OK
        ):
            continue
        # A negated bare number ("nicht 150, sondern 200") is the rejected one.
        if is_negated(folded, m.start()):
            continue
        return _signed(m)
    return None


def _other(rx: re.Pattern[str], text: str, folded: str) -> str | None:
    found = rx.search(folded)
    if found is None or is_negated(folded, found.start()):
        return None
    return text[found.start() : found.end()]


@lru_cache(maxsize=512)
def _extract_cached(text: str, today: dt.date, lang: str) -> Extraction:
    del lang  # both languages are read the same way; kept in the key for future rules
    folded = fold(text)
    blocked: list[tuple[int, int]] = []
    for m in _EMAIL_RX.finditer(text):
        blocked.append((m.start(), m.end()))
    project_spans: list[tuple[int, int]] = []
    project_number, project_number_raw = _project_number(text, blocked, project_spans)
    contact = _contact(text, blocked)

    dates = [d for d in _dates.find_dates(folded, text, today) if _free(blocked, d.start, d.end)]
    for d in dates:
        blocked.append((d.start, d.end))
    daypart = _dates.find_daypart(folded)
    times = [t for t in _dates.find_times(folded, daypart) if _free(blocked, t.start, t.end)]
    for t in times:
        blocked.append((t.start, t.end))

    area, area_invalid, area_rejected = _areas(folded, blocked)
    budget = _budget(folded, blocked)
    bare = _bare_number(folded, blocked)
    if area is None and area_rejected and bare is not None and bare > 0:
        # "nicht 150 m2, sondern 200": the unit carries over to the replacement.
        area, bare = bare, None

    project_type = normalise_project_type(text)
    construction = normalise_construction_type(text)
    specialist = normalise_specialist_type(text)
    person_name, last_name = _names(text, contact)
    if project_number and not (person_name or last_name):
        last_name = _name_beside_number(text, project_spans)
    bare_word = None if person_name or last_name else _bare_word(text)

    other_project = None if project_type else _other(_OTHER_PROJECT_RX, text, folded)
    other_construction = None if construction else _other(_OTHER_CONSTRUCTION_RX, text, folded)

    rejected: list[str] = []
    if area_rejected and area is None:
        rejected.append("area_sqm")
    if dates and _dates.choose_date(dates, folded) is None:
        rejected.append("date")
    if times and _dates.choose_time(times, folded) is None:
        rejected.append("time")

    return Extraction(
        project_type=project_type,
        project_type_other=other_project,
        construction_type=construction,
        construction_other=other_construction,
        area_sqm=area,
        area_raw_invalid=area_invalid,
        bare_number=bare,
        specialist_type=specialist,
        date=_dates.choose_date(dates, folded),
        time=_dates.choose_time(times, folded),
        daypart=daypart,
        email=contact.email,
        email_raw=contact.email_raw if contact.email is None else None,
        phone=contact.phone,
        phone_raw=contact.phone_raw,
        person_name=person_name,
        last_name=last_name,
        bare_word=bare_word,
        project_number=project_number,
        project_number_raw=project_number_raw,
        budget_chf=budget,
        location=_location(text),
        rejected=tuple(rejected),
    )


def extract(text: str, *, today: dt.date, lang: Language | str = Language.EN) -> Extraction:
    """All slot values found in ``text``; relative dates are resolved against ``today``."""
    return _extract_cached(text.strip(), today, str(lang))


__all__ = ["Extraction", "extract"]
