"""What a customer message asks for: the task (cost, booking, status, info) and the social moves
around it (greeting, thanks, yes/no, correction, goodbye).

Weighted cue patterns, combined per intent with a noisy-OR so several weak cues add up without
exceeding 1. Customers wrap the task in politeness ("Thanks. Do you also do roofing?", "Great,
I'd like to book ..."), so once a task is clearly present the social intents are damped: the
ranking then puts the real task first while the social cue is still visible to the engine.

Typos are handled by running the cues a second time on a spell-repaired copy of the message
(rapidfuzz against the domain vocabulary, see ``erni_agents.domain.vocab.repair_typos``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import lru_cache

from erni_agents.domain.types import Language
from erni_agents.domain.vocab import fold, repair_typos
from erni_agents.llm.local.nlu.extract import Extraction, extract


class Intent(StrEnum):
    COST = "cost"
    BOOKING = "booking"
    STATUS = "status"
    INFO = "info"
    GREETING = "greeting"
    THANKS = "thanks"
    AFFIRM = "affirm"
    DENY = "deny"
    CORRECTION = "correction"
    GOODBYE = "goodbye"


TASKS = (Intent.COST, Intent.BOOKING, Intent.STATUS, Intent.INFO)
SOCIAL = (Intent.GREETING, Intent.THANKS, Intent.AFFIRM, Intent.DENY, Intent.GOODBYE)


@dataclass(frozen=True, slots=True)
class IntentScores:
    """Confidence per intent in 0..1 (independent scores, not a distribution)."""

    cost: float = 0.0
    booking: float = 0.0
    status: float = 0.0
    info: float = 0.0
    greeting: float = 0.0
    thanks: float = 0.0
    affirm: float = 0.0
    deny: float = 0.0
    correction: float = 0.0
    goodbye: float = 0.0

    def get(self, intent: Intent | str) -> float:
        return float(getattr(self, str(intent)))

    def ranked(self, min_score: float = 0.05) -> list[tuple[Intent, float]]:
        """Intents with at least ``min_score``, best first; ties go to tasks (declaration order)."""
        scored = [(Intent(f.name), float(getattr(self, f.name))) for f in fields(self)]
        return sorted((p for p in scored if p[1] >= min_score), key=lambda p: -p[1])

    @property
    def top(self) -> Intent | None:
        ranked = self.ranked()
        return ranked[0][0] if ranked else None

    def task(self, threshold: float = 0.5) -> Intent | None:
        """The strongest task intent if it reaches ``threshold``."""
        best = max(TASKS, key=self.get)
        return best if self.get(best) >= threshold else None


_Cue = tuple[re.Pattern[str], float]


def _cues(*pairs: tuple[str, float]) -> tuple[_Cue, ...]:
    return tuple((re.compile(p), w) for p, w in pairs)


# All patterns run on folded text: lower case, "ä" -> "a", "ß" -> "s".
_CUES: dict[Intent, tuple[_Cue, ...]] = {
    Intent.COST: _cues(
        (
            r"\b(?:cost|costs|costing|price|prices|priced|pricing|quote|quotation|estimate|estimation|offer\s+for)\b",
            0.8,
        ),
        (r"\bhow\s+much\b(?!\s+(?:time|longer|space|land|work|wood|timber|co2|energy|noise))", 0.75),
        (r"\bwhat\s+(?:would|will|does|do|did|might|could)\b.{0,60}\bcost\b", 0.3),
        (
            r"\b(?:expensive|cheap|cheaper|affordable|afford|budget|per\s+square\s+met\w*|per\s+m2|chf)\b",
            0.45,
        ),
        (
            r"\b(?:kosten\w*|kostet|preis\w*|offerte\w*|richtpreis|kostenschatzung|kostenvoranschlag|kostendach)\b",
            0.8,
        ),
        (r"\b\w+kosten\b|\b(?:was|wieviel|wie\s+viel)\s+(?:kostet|kosten|kommt|wurde|ware)\b", 0.8),
        (r"\b(?:teuer|gunstig|guenstig|budget|pro\s+(?:m2|quadratmeter)|franken)\b", 0.45),
        (
            r"\b(?:an?|ein|eine)\s+angebot\s+(?:fur|fuer|machen|erstellen|erhalten|einholen|bekommen)|\bangebot\s+(?:erstellen|einholen)",
            0.7,
        ),
        (
            r"\bmit\s+welchen\s+kosten\b|\bwas\s+(?:muss|mussen|muessen)\s+(?:ich|wir)\s+(?:rechnen|budgetieren)",
            0.8,
        ),
        (r"\b(?:calculate|berechnen|kalkul\w*|schatzen|einschatzen|ballpark|rough\s+figure)\b", 0.5),
    ),
    Intent.BOOKING: _cues(
        (
            r"\b(?:which|what)\s+(?:days?|dates?|times?|slots?)\b|\bwelche[nr]?\s+(?:tage?|termine?|daten|zeiten)\b|"
            r"\b(?:hat|habt|haben)\b.{0,40}\bzeit\b",
            0.6,
        ),
        (r"\b(?:appointment|appointments|consultation|consult|meeting|book|booking|schedule|reserve)\b", 0.8),
        (
            r"\b(?:talk|speak|meet|sit\s+down)\s+(?:to|with)\b|\b(?:can|could|shall)\s+(?:we|i)\s+(?:meet|come\s+in)\b",
            0.6,
        ),
        (
            r"\b(?:available|availability|free\s+slot|slot|slots|when\s+(?:can|could)\s+i\s+(?:come|meet|see))\b",
            0.45,
        ),
        (
            r"\b(?:termin\w*|beratung\w*|beraten|vereinbaren|buchen|gebucht|reservieren|besprechung|treffen)\b",
            0.8,
        ),
        (
            r"\b(?:sprechen|reden)\s+(?:mit|zu)\b|\bmit\s+(?:einem|einer|dem|der|ihrem|ihrer)\s+\w+\s+(?:sprechen|reden)",
            0.6,
        ),
        (
            r"\b(?:vorbeikommen|gesprach|zeit\s+(?:hat|haben|hatte)|verfugbar|freie[nr]?\s+(?:platz|zeit)|freie\s+termine)\b",
            0.45,
        ),
        (r"\b(?:visit\s+(?:you|your\s+office)|come\s+(?:by|in|over)|drop\s+by|vorbei)\b", 0.4),
        (r"\b(?:book|buche|buchen)\s+(?:it|that|this|das|es)\b", 0.6),
        (
            r"\b(?:meet|see|visit|sit\s+down\s+with)\s+(?:an?|the|your|one\s+of\s+your)\s+(?:\w+\s+)?"
            r"(?:architect|engineer|construction\s+manager|site\s+manager|specialist|expert|planner)s?\b",
            0.7,
        ),
        (
            r"\b(?:have|got|has)\s+(?:time|a\s+(?:free\s+)?slot|availability)\b|\bfree\s+(?:on|at|slot|this|next)\b|"
            r"\b(?:habt\s+ihr|haben\s+sie|hat\s+\w+)\s+(?:\w+\s+)?zeit\b|\bzeit\s+am\b|\bfrei\s+am\b",
            0.6,
        ),
    ),
    Intent.STATUS: _cues(
        (
            r"\bwie\s+(?:es\s+)?(?:mit|um|bei)\s+(?:unserem|meinem|unser|mein|dem)\s+\w+\s+(?:aussieht|steht|lauft)|"
            r"\bwie\s+(?:sieht|steht)\s+es\s+(?:mit|um|bei)\b",
            0.7,
        ),
        (r"\b(?:status|progress|progressing|update\s+on|stage)\b", 0.8),
        (r"\bhow\s+(?:is|are)\s+(?:my|our|the)\s+(?:project|house|build|building|construction|home)\b", 0.8),
        (r"\bhow\s+far\s+(?:along|is|are)\b|\bwhere\s+(?:are\s+we|do\s+we\s+stand|things\s+stand)\b", 0.7),
        (
            r"\bwhen\s+will\s+(?:my|our)\s+(?:project|house|build|building|home)\b.{0,30}\b(?:ready|finished|done|complete\w*)",
            0.8,
        ),
        (r"\b(?:stand|fortschritt|baufortschritt|zwischenstand|sachstand)\b", 0.8),
        # "Wie läuft ein Bauprojekt ab?" asks about the process (ablaufen), not about a project's state.
        (
            r"\bwie\s+(?:weit|steht\s+es)\b|\bwo\s+steh(?:t|en)\b|"
            r"\bwie\s+(?:lauft|laeuft)\b(?![^?.!]*\bab\b)(?!\s+(?:so\s+)?(?:ein|eine|das|der|die)\b)",
            0.7,
        ),
        (r"\bwann\s+(?:ist|wird)\s+(?:mein|unser)\w*\s+\w+\s+(?:fertig|bezugsbereit|abgeschlossen)", 0.8),
        (
            r"\b(?:my|our)\s+(?:project|building\s+project|construction\s+project)\b|\b(?:mein|unser)\w*\s+(?:bau)?projekt\w*",
            0.35,
        ),
        (r"\b(?:project\s+number|projektnummer|projekt-?nr)\b", 0.6),
    ),
    Intent.INFO: _cues(
        (
            r"\byou\s+also\s+(?:build|do|offer|make|work|construct)\b|\b(?:outside|ausserhalb|abroad|ausland)\b",
            0.55,
        ),
        (r"\b(?:interessiere\s+mich|interested\s+in|looking\s+(?:for|into|to\s+build))\b", 0.45),
        (r"\b(?:park|parking|parkplatz\w*|parkieren)\b", 0.6),
        (
            r"\b(?:services?|offer|offers|offering|provide|do\s+you\s+(?:also\s+)?(?:do|build|make|offer|provide|work|sell|construct))\b",
            0.6,
        ),
        (r"\b(?:can|could)\s+you\s+(?:also\s+)?(?:build|do|make|renovate|construct)\b", 0.55),
        (r"\b(?:company|firm|erni|about\s+you|history|founded|employees|staff|team|who\s+are\s+you)\b", 0.5),
        (r"\b(?:certif\w*|zertifi\w*|minergie|fsc|pefc|label\w*|iso\s?\d+|award\w*|auszeichnung\w*)\b", 0.75),
        (
            r"\b(?:opening\s+hours|hours|open|opened|closed|offen|geoffnet|geoeffnet|offnungszeit\w*|oeffnungszeit\w*|erreichbar)\b",
            0.7,
        ),
        (
            r"\b(?:address|adresse|located|location|where\s+(?:is|are)\s+(?:you|your|the\s+office)|office|buro|standort|sitz|anfahrt|directions)\b",
            0.7,
        ),
        (r"\bwo\s+(?:ist|sind|seid|befindet|befinden|finde)\b", 0.6),
        (
            r"\b(?:jobs?|careers?|vacanc\w*|apprentice\w*|hiring|work\s+for\s+you|karriere|stellen\w*|lehrstelle\w*|lehre|"
            r"lehrling\w*|lernende\w*|bewerb\w*|offene\s+stellen|sucht\s+ihr|suchen\s+sie)\b",
            0.7,
        ),
        (r"\b(?:why|warum|wieso|weshalb)\b.{0,40}\b(?:wood|timber|holz\w*)\b", 0.7),
        (
            r"\b(?:sustainab\w*|nachhaltig\w*|co2|climate|klima\w*|environment\w*|umwelt\w*|ecolog\w*|okolog\w*|renewable)\b",
            0.6,
        ),
        (
            r"\b(?:fire|brand\w*|durab\w*|lebensdauer|langlebig\w*|insulation|dammung|isolation|earthquake|erdbeben|"
            r"noise|schall\w*|moisture|feuchtigkeit|termite\w*|schadling\w*|maintenance|care|caring|pflege\w*|unterhalt\w*|"
            r"warrant\w*|garantie\w*|quality|qualitat|material\w*|energy|energie\w*|heating|heizung|solar|photovoltaik)\b",
            0.5,
        ),
        (
            r"\bhow\s+long\b|\bhow\s+much\s+time\b|\bwie\s+lange\b|\b(?:bauzeit|duration|dauer|dauert|timeline|zeitplan)\b",
            0.65,
        ),
        (
            r"\b(?:process|ablauf|steps|schritte|how\s+does\s+(?:it|the\s+\w+)\s+work|wie\s+(?:lauft|laeuft|funktioniert))\b|"
            r"\b(?:lauft|laeuft)\b[^?.!]*\bab\b",
            0.55,
        ),
        (
            r"\b(?:references?|referenz\w*|portfolio|examples?|beispiele?|past\s+projects|previous\s+projects)\b",
            0.65,
        ),
        (
            r"\b(?:roof\w*|dach\w*|facade\w*|fassade\w*|windows?|fenster|stairs?|treppe\w*|interior|innenausbau|carpentry|"
            r"joinery|schreinerei|zimmerei|zimmermann|extension|anbau|garage|carport)\b",
            0.35,
        ),
        (
            r"\b(?:financ\w*|finanzierung|hypothek\w*|mortgage|subsid\w*|forderung\w*|permit\w*|baubewilligung|baugesuch|"
            r"planning\s+permission)\b",
            0.55,
        ),
        (
            r"\b(?:what\s+is|what\s+are|was\s+ist|was\s+sind|was\s+bedeutet|what\s+does\s+\w+\s+mean|difference|unterschied|"
            r"what\s+happens|was\s+passiert|was\s+geschieht)\b",
            0.4,
        ),
        (r"\b(?:macht|bietet|baut|bauen|machen|bieten)\s+(?:ihr|sie)\s+(?:auch\s+)?", 0.5),
        (
            r"\b(?:want|would\s+like|planning|plan|thinking\s+about|considering)\s+to\s+build\b|\b(?:mochte|mochten|wollen|will|planen)\b.{0,40}\bbauen\b",
            0.4,
        ),
        (
            r"\b(?:tell\s+me\s+(?:more\s+)?about|information|infos?|erzahl\w*|details\s+(?:about|on)|mehr\s+uber)\b",
            0.45,
        ),
        (
            r"\b(?:how|wie|where|wo|what|was|welche\w*|can|kann)\b.{0,30}\b(?:contact|kontakt\w*|reach\s+you|call\s+you|"
            r"erreiche\w*|anrufen|phone\s+number|telefonnummer|email\s+address)\b",
            0.5,
        ),
    ),
    Intent.GREETING: _cues(
        (
            r"^\W*(?:hi|hey|hello|hallo|hoi|hoi\s+zame|sali|salu|servus|moin|gruezi|gruessech|grussech|griezi|"
            r"gruss\s+gott|grus\s+gott|good\s+(?:morning|afternoon|evening|day)|guten\s+(?:tag|morgen|abend)|"
            r"greetings|dear\s+\w+|sehr\s+geehrte\w*|liebe\s+\w+|bonjour|ciao|hello\s+there)\b",
            0.9,
        ),
        (r"\b(?:hello|hallo|gruezi|guten\s+tag|good\s+morning|good\s+afternoon)\b", 0.5),
    ),
    Intent.THANKS: _cues(
        (
            # "no thanks" / "nein danke" is a polite refusal, not gratitude.
            r"(?<!\bno\s)(?<!\bno,\s)(?<!\bnein\s)(?<!\bnein,\s)"
            r"\b(?:thanks|thank\s+you|thx|ty|cheers|danke\w*|merci|vielen\s+dank|besten\s+dank|herzlichen\s+dank|"
            r"much\s+appreciated|appreciate\s+it|dankeschon)\b",
            0.9,
        ),
    ),
    Intent.AFFIRM: _cues(
        (
            r"^\W*(?:yes|yeah|yep|yup|sure|ok|okay|k|alright|all\s+right|ja|jawohl|jep|jo|gerne?|genau|klar|"
            r"perfekt|perfect|super|great|fine|gut|prima|top|passt|stimmt|richtig|correct|right|exactly|exakt|"
            r"einverstanden|sounds\s+good|that\s+works|that's\s+fine|das\s+passt|in\s+ordnung|alles\s+klar|"
            r"of\s+course|natu(?:e)?rlich|absolutely|definitely|go\s+ahead|please\s+do|do\s+it|mach\s+das|bitte\s+buchen|"
            r"why\s+not|warum\s+nicht|gladly)\b(?!\s+(?:nicht|not)\b)",
            0.85,
        ),
        (
            r"\b(?:korrekt|das\s+stimmt|stimmt\s+so|das\s+ist\s+richtig|that's\s+right|that\s+is\s+right|"
            r"that's\s+correct)\b(?!\s+(?:nicht|not)\b)",
            0.7,
        ),
        (
            r"\b(?:yes|ja|sure|okay|gerne|genau|einverstanden|sounds\s+good|that\s+works|passt|perfect|perfekt|"
            r"go\s+ahead|please\s+do)\b",
            0.45,
        ),
    ),
    Intent.DENY: _cues(
        (
            r"^\W*(?:no|nope|nah|nein|ne|nee|not\s+really|eher\s+nicht|lieber\s+nicht|no\s+thanks|nein\s+danke|"
            r"not\s+now|nicht\s+jetzt|never\s+mind|vergiss\s+es|doesn't\s+matter|auf\s+keinen\s+fall)\b",
            0.85,
        ),
        (
            r"\b(?:not|nicht|don't|do\s+not|kein\w*|no\s+need|nicht\s+notig|not\s+necessary|no\s+thanks|nein)\b",
            0.3,
        ),
        (r"\b(?:wrong|falsch|incorrect|that's\s+not\s+right|stimmt\s+nicht)\b", 0.5),
    ),
    Intent.CORRECTION: _cues(
        (
            r"\b(?:actually|i\s+meant|i\s+mean|sorry,?\s+i\s+mean\w*|correction|correct\s+that|my\s+mistake|typo|"
            r"make\s+it|change\s+(?:it|that|the\s+\w+)\s+to|instead|rather|not\s+\S+\s*,?\s+but)\b",
            0.7,
        ),
        (
            r"\b(?:eigentlich|ich\s+meinte|ich\s+meine|korrektur|korrigier\w*|stattdessen|statt|anstatt|sondern|"
            r"lieber|vertippt|verschrieben|tippfehler|andern\s+auf|andere\s+auf|doch\s+(?:lieber|eher)|mein\s+fehler)\b",
            0.7,
        ),
        (r"\b(?:oops|ups|sorry|entschuldigung|pardon|i\s+said|ich\s+sagte|hab\s+ich\s+doch)\b", 0.35),
        (r"\b(?:wrong|falsch|not\s+correct|stimmt\s+nicht)\b", 0.45),
    ),
    Intent.GOODBYE: _cues(
        (
            r"\b(?:bye|goodbye|good\s+bye|see\s+you|see\s+ya|have\s+a\s+(?:nice|good|great)\s+(?:day|evening|weekend)|"
            r"take\s+care|that's\s+all|that\s+is\s+all|that's\s+it|nothing\s+else|tschus\w*|tschau|auf\s+wiedersehen|"
            r"auf\s+wiederhoren|ade|adieu|bis\s+bald|bis\s+dann|bis\s+spater|(?:einen\s+)?schonen\s+(?:tag|abend)|"
            r"das\s+war'?s|das\s+ware'?s|das\s+ist\s+alles|nichts\s+mehr|sonst\s+nichts)\b",
            0.85,
        ),
    ),
}

_QUESTION_RX = re.compile(
    r"\?|^\W*(?:what|which|who|why|how|where|when|is|are|do|does|can|could|was|welche\w*|wer|warum|wieso|"
    r"weshalb|wie|wo|wann|gibt|habt|haben|seid|sind|konnt|kann|bietet|macht)\b"
)
_SOCIAL_ONLY_MAX_WORDS = 4
# Addresses carry no intent, but their words would ("info@", "example.com").
_ADDRESS_RX = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


def _noisy_or(weights: list[float]) -> float:
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 1.0 - miss


def _raw_scores(folded: str) -> dict[Intent, float]:
    out: dict[Intent, float] = {}
    for intent, cues in _CUES.items():
        out[intent] = _noisy_or([w for rx, w in cues if rx.search(folded)])
    return out


@lru_cache(maxsize=512)
def _classify(text: str, slots: Extraction | None) -> IntentScores:
    folded = _ADDRESS_RX.sub(" ", fold(text))
    scores = _raw_scores(folded)
    repaired = repair_typos(folded)
    if repaired != folded:
        for intent, value in _raw_scores(repaired).items():
            # A repaired word is weaker evidence than a correctly spelt one.
            scores[intent] = max(scores[intent], value * 0.9)

    if slots is not None:
        _slot_evidence(scores, slots)

    is_question = bool(_QUESTION_RX.search(folded))
    task_slots = slots is not None and any(
        getattr(slots, name) is not None
        for name in ("area_sqm", "project_number", "date", "time", "specialist_type", "email", "phone")
    )
    if (
        is_question
        and not task_slots
        and max(scores[t] for t in (Intent.COST, Intent.BOOKING, Intent.STATUS)) < 0.5
    ):
        # An open question without a transactional cue is most likely a general question.
        scores[Intent.INFO] = _noisy_or([scores[Intent.INFO], 0.35])

    task_strength = max(scores[t] for t in TASKS)
    if task_strength >= 0.5:
        for intent in SOCIAL:
            scores[intent] *= 0.5
    # Info is the weakest task: an explicit transactional cue outranks general-question cues.
    transactional = max(scores[t] for t in (Intent.COST, Intent.BOOKING, Intent.STATUS))
    if transactional >= 0.75 and scores[Intent.INFO] > 0:
        scores[Intent.INFO] = min(scores[Intent.INFO], transactional * 0.8)
    if scores[Intent.CORRECTION] >= 0.5:
        scores[Intent.DENY] *= 0.6
    if len(folded.split()) > _SOCIAL_ONLY_MAX_WORDS and task_strength < 0.5:
        # In a longer message "ok"/"ja" is filler, not an answer to a yes/no question.
        scores[Intent.AFFIRM] *= 0.8
    return IntentScores(**{i.value: round(min(1.0, s), 3) for i, s in scores.items()})


def _slot_evidence(scores: dict[Intent, float], slots: Extraction) -> None:
    def bump(intent: Intent, weight: float) -> None:
        scores[intent] = _noisy_or([scores[intent], weight])

    if slots.project_number or slots.project_number_raw:
        bump(Intent.STATUS, 0.6)
    if slots.area_sqm is not None or slots.area_raw_invalid is not None:
        bump(Intent.COST, 0.3)
    if slots.project_type is not None:
        bump(Intent.COST, 0.2)
    if slots.construction_type is not None:
        bump(Intent.COST, 0.1)
    if slots.specialist_type is not None:
        bump(Intent.BOOKING, 0.3)
    if slots.date is not None:
        bump(Intent.BOOKING, 0.25)
    if slots.time is not None:
        bump(Intent.BOOKING, 0.25)
    if slots.email or slots.phone or slots.person_name:
        bump(Intent.BOOKING, 0.2)
    if slots.rejected or (slots.area_sqm is not None and scores[Intent.DENY] >= 0.8):
        # "nein, 200 m2": a rejected value plus a new one is a correction.
        bump(Intent.CORRECTION, 0.6)
    elif scores[Intent.DENY] >= 0.8 and (slots.filled().keys() - {"daypart", "bare_word"}):
        bump(Intent.CORRECTION, 0.6)


def classify_intents(
    text: str, lang: Language | str = Language.EN, *, slots: Extraction | None = None
) -> IntentScores:
    """Scores for every intent. Values found in the message count as evidence too (a project
    number points to status, an area to cost, a date to booking); pass ``slots`` if the message
    was already extracted, otherwise it is extracted here (cached, so calling both is cheap)."""
    if slots is None:
        slots = extract(text, today=dt.date.today(), lang=lang)
    return _classify(text.strip(), slots)


__all__ = ["SOCIAL", "TASKS", "Intent", "IntentScores", "classify_intents"]
