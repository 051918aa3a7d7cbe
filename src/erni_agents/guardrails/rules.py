"""Precise patterns that beat the learned model: injection payload shapes and answer shapes.

Every jailbreak rule targets syntax or vocabulary that ordinary customers do not produce
("'; DROP TABLE", "<script", "system prompt", "developer mode"); wording that merely *contains*
trigger words ("ignore my previous message", "your instructions for caring for a facade") is
left to the classifier, which was trained on such look-alikes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_F = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: str
    reasoning: str


_VERB_EN = r"(?:ignore|disregard|forget|override|bypass|drop|abandon|skip)"
_NOUN_EN = (
    r"(?:instructions?|directions|directives|guidelines|rules|prompts?|programming|orders|"
    r"restrictions|policies)"
)
_MOD_EN = (
    r"(?:previous|prior|above|earlier|preceding|initial|original|system|safety|all|any|following|the|of)"
)
_VERB_DE = (
    r"(?:ignoriere|ignorier|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte|missachten\s+sie|"
    r"überschreibe|umgehe)"
)
_NOUN_DE = (
    r"(?:anweisungen|anweisung|regeln|vorgaben|befehle|befehl|richtlinien|instruktionen|aufträge|"
    r"aufforderungen?)"
)
_MOD_DE = (
    r"(?:vorherigen?|bisherigen?|obigen?|oben\s+genannten|vorangehenden?|vorangegangenen?|alle|die|den|"
    r"sämtliche)"
)

_JAILBREAK_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "sql-injection",
        re.compile(
            r"['\"]\s*\)*\s*;\s*(?:drop|delete|insert|update|select|exec|truncate|alter|shutdown)\b"
            r"|['\"]\s*(?:or|and)\s+['\"]?\w+['\"]?\s*=\s*['\"]?\w+"
            r"|\bor\s+1\s*=\s*1\b"
            r"|['\"]--|['\"]\s*(?:--|#)\s*$"
            r"|\bunion\s+(?:all\s+)?select\b"
            r"|;\s*(?:drop|delete|truncate|alter|insert|update|exec)\s+(?:table|from|into|database|\w+\s+set)\b"
            r"|\b(?:drop|truncate)\s+(?:table|database)\s+\w"
            r"|\bselect\s+(?:\*|\w+(?:\s*,\s*\w+)+|count\(\*\)|version\(\))\s+from\b"
            r"|\bxp_cmdshell\b|\bwaitfor\s+delay\b|\bsleep\s*\(\s*\d|\bversion\(\)",
        ),
        "Contains an SQL injection pattern.",
    ),
    (
        "markup-injection",
        re.compile(
            r"<\s*/?\s*(?:script|iframe|svg|object|embed)\b|\bon(?:error|load|click|mouseover)\s*="
            r"|javascript:(?!\s)|<\?php",
        ),
        "Contains script or markup injection.",
    ),
    (
        "template-or-code-injection",
        re.compile(
            r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]*\}|\$\([^)]*\)|`[^`\n]*\b(?:cat|ls|id|rm|curl|wget|whoami)\b[^`\n]*`"
            r"|__import__|__class__|__globals__|\bos\.system\b|\bsubprocess\b|\beval\s*\(|\bexec\s*\("
            r"|\brm\s+-rf\b|/etc/(?:passwd|shadow)|(?:\.\./){2,}|\|\s*(?:sh|bash|nc)\b|\bnc\s+-e\b",
        ),
        "Contains code, shell or template injection.",
    ),
    (
        "chat-template-markup",
        re.compile(
            r"<\|im_(?:start|end)\|>|\[/?inst\]|<<\s*/?sys\s*>>|</?\s*system\s*>|^\s*#{2,}\s*(?:system|instruction)\b"
            r"|(?:^|\n)\s*(?:system|assistant)\s*:\s*\S",
        ),
        "Imitates system or chat-template markup.",
    ),
    (
        "prompt-extraction",
        re.compile(
            r"\bsys(?:tem)?[\s_-]*prom?pt\w*|\bsystemprompt\w*|\b(?:initial|hidden|secret|pre)[\s-]*prompt\b"
            r"|\bsystem[\s_-]*instructions?\b|\bsystem[\s_-]*anweisung(?:en)?\b"
            r"|\b(?:versteckten|geheimen)\s+(?:anweisungen|vorgaben|regeln)\b"
            r"|\b(?:hidden|secret)\s+(?:instructions|rules|guidelines)\b",
        ),
        "Asks for the assistant's hidden instructions or configuration.",
    ),
    (
        "persona-jailbreak",
        re.compile(
            r"\bdo\s+anything\s+now\b|\bdeveloper\s*mode\b|\bentwicklermodus\b|\bjail\s*-?\s*br(?:eak|oken)\w*"
            r"|\b(?:god|sudo|debug|admin)[\s-]*(?:mode|modus)\b",
        ),
        "Uses a known jailbreak persona or mode switch.",
    ),
    (
        "instruction-override",
        re.compile(
            rf"\b{_VERB_EN}\s+(?:all\s+(?:of\s+)?)?your\s+(?:\w+\s+)?{_NOUN_EN}\b"
            rf"|\b{_VERB_EN}\s+(?:{_MOD_EN}\s+(?:and\s+)?)*(?:previous|prior|above|earlier|preceding|initial|"
            rf"original|system|safety|all|any)\s+(?:and\s+following\s+)?{_NOUN_EN}\b"
            rf"|\b{_VERB_DE}\s+(?:bitte\s+)?(?:alle\s+)?(?:deine|ihre|dein|ihr)\s+(?:\w+\s+)?{_NOUN_DE}\b"
            rf"|\b{_VERB_DE}\s+(?:bitte\s+)?(?:{_MOD_DE}\s+)*(?:vorherigen?|bisherigen?|obigen?|oben\s+genannten|"
            rf"vorangehenden?|vorangegangenen?|alle|sämtliche)\s+{_NOUN_DE}\b",
        ),
        "Tries to override the assistant's instructions.",
    ),
)


# "DAN" is matched case-sensitively so that customers called Dan are not affected.
_DAN = re.compile(
    r"(?i:\b(?:act|play|pretend|roleplay|answer|respond)\b)[^.!?\n]{0,40}\bDAN\b|\bDAN\s*(?:(?i:mode|modus)|:)|\[DAN\]"
)


def jailbreak_rule(message: str) -> RuleHit | None:
    raw = unicodedata.normalize("NFKC", message)
    # Patterns are written in lower case and run on case-folded text: much faster than
    # re.IGNORECASE over long messages, which matters for the latency budget.
    text = raw.casefold()
    for name, pattern, reasoning in _JAILBREAK_RULES:
        if pattern.search(text):
            return RuleHit(name, reasoning)
    if _DAN.search(raw):
        return RuleHit("persona-jailbreak", "Uses a known jailbreak persona or mode switch.")
    return None


# --- Relevance: answer-shaped messages -----------------------------------------------------

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_PHONE = r"(?:\+|00)?\d[\d\s./-]{6,}\d"
_DATE = r"\d{1,4}[./-]\d{1,2}(?:[./-]\d{2,4})?\.?"
_TIME = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:uhr|h|am|pm|a\.m\.|p\.m\.)?"
_PROJECT = r"\d{4}-\d{2,4}"
_QUANTITY = (
    r"(?:ca\.?|circa|about|around|approx\.?|etwa|rund|ungefähr)?\s*[\d'’.,]+\s*"
    r"(?:m2|m²|qm|sqm|m|chf|fr\.?|franken|francs|k|mio\.?|%)?"
)
_ANSWER_TOKEN = re.compile(rf"^(?:{_EMAIL}|{_PROJECT}|{_PHONE}|{_DATE}|{_TIME}|{_QUANTITY})$", _F)
_FILLER = re.compile(
    r"\b(?:ja|yes|nein|no|bitte|please|danke|thanks|thank you|merci|ok|okay|sure|gerne|genau|um|at|am|"
    r"on|the|der|die|das|es|ist|it's|its|is|my|mein|meine|name|nummer|number|tel|telefon|phone|mobile|natel|"
    r"e-mail|email|mail|und|and|oder|or|projekt|project|nr|no\.|ca|about|around|etwa|rund|quadratmeter|"
    r"square|meters|metres|m2|m²|uhr|o'clock|pm|am|von|bis|to|from)\b",
    _F,
)
_TIME_WORDS = re.compile(
    r"^(?:(?:um|at|gegen|around|ab|from)\s+)?(?:(?:halb|viertel\s+(?:nach|vor)|dreiviertel|half\s+past|quarter\s+"
    r"(?:past|to))\s+)?(?:eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|mittag|noon|midday)(?:\s+(?:uhr|o'clock))?(?:\s+(?:bitte|please))?[\s.!]*$",
    _F,
)
_SPLIT = re.compile(r"[,;/\n]+|\s+-\s+|\s+und\s+|\s+and\s+", _F)
_ACK = re.compile(
    r"^(?:(?:hallo|hello|hi|hey|hoi|grüezi|grüessech|servus|sali|guten\s+(?:tag|morgen|abend)|good\s+(?:morning|"
    r"afternoon|evening|day)|ja|jawohl|yes|yep|yeah|nein|no|nope|ok|okay|alles\s+klar|klar|sure|genau|exactly|"
    r"richtig|correct|stimmt|passt|perfekt|perfect|super|great|gut|fine|danke(?:\s+schön|\s+vielmal)?|merci"
    r"(?:\s+vielmal)?|thanks|thank\s+you|vielen\s+dank|tschüss|ciao|adieu|bye|goodbye|auf\s+wiedersehen|gerne|gern|"
    r"bitte|please|gern\s+geschehen|you'?re\s+welcome|with\s+pleasure|no\s+problem|kein\s+problem|alles\s+gut|all\s+good|"
    r"einverstanden|agreed|deal|abgemacht|in\s+ordnung|alright|all\s+right|sounds\s+good|klingt\s+gut|understood|"
    r"verstanden|noted|notiert|bis\s+bald|bis\s+dann|talk\s+soon|see\s+you|und|and|"
    r"(?:(?:einen|ein)\s+)?schöne[ns]?\s+(?:tag|abend|sonntag|feierabend|wochenende)(?:\s+noch)?|"
    r"have\s+a\s+(?:nice|good|great|lovely)\s+(?:day|evening|weekend))[\s,.!]*){1,4}[?]?$",
    _F,
)


def is_acknowledgement(message: str) -> bool:
    return bool(_ACK.match(message.strip()))


def is_structured_answer(message: str) -> bool:
    """True for replies made only of contact data, dates, times, numbers and filler words."""
    text = message.strip()
    if _TIME_WORDS.match(text):
        return True
    if not text or len(text) > 160 or not any(ch.isdigit() or ch == "@" for ch in text):
        return False
    for part in _SPLIT.split(text):
        rest = _FILLER.sub(" ", part).strip(" .:!?()")
        if not rest:
            continue
        chunks = [c for c in re.split(r"\s{2,}", rest) if c.strip()]
        for chunk in chunks:
            chunk = chunk.strip(" .:!?()")
            if chunk and not _ANSWER_TOKEN.match(chunk) and not _looks_like_name(chunk):
                return False
    return True


_NAME = re.compile(r"^(?:[A-ZÄÖÜÉÈ][\w'’-]+)(?:\s+[A-ZÄÖÜÉÈ][\w'’-]+){0,3}$")


def _looks_like_name(chunk: str) -> bool:
    return bool(_NAME.match(chunk.strip()))


def looks_like_name(message: str) -> bool:
    """One to four capitalised words and nothing else, e.g. "Müller" or "John Smith"."""
    return _looks_like_name(message.strip(" .!"))
