"""Text normalisation and hashed n-gram features shared by training and inference.

Training (`train.py`) and inference (`model.py`) must see exactly the same features, so both go
through `extract`. Hashing (CRC-32, stable across processes, unlike `hash()`) keeps the artifact
a fixed-size weight vector instead of a vocabulary.

Features come in three blocks that are normalised separately, so that a long message's
hundreds of character n-grams cannot drown the few word-level and meta signals:

* ``chars``: padded character 3-5-grams of every token (robust to typos, inflection, compounds);
* ``words``: word unigrams and bigrams, punctuation-context pairs, the first word;
* ``meta``: message length bucket and whether any ERNI domain vocabulary occurs at all.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

HASH_BITS = 18
DIM = 1 << HASH_BITS
_MASK = DIM - 1

CHAR_NGRAMS = (3, 4, 5)
# Per-message feature extraction is pure Python; very long inputs (DAN prompts run to 4,000
# characters) are capped so latency stays bounded. Head and tail are kept because injected
# instructions tend to sit at the start or the end of a long message.
MAX_CHARS = 2400
_HEAD = 1600

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[^\W\d_]+|0+|[^\w\s]+")

# German umlauts are folded to their ASCII transliteration so "Müller", "Mueller" and a
# keyboard without umlauts all hash the same.
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "’": "'", "‘": "'", "´": "'", "`": "'"})

# ERNI's domain vocabulary in normalised spelling. Off-topic requests are an open-ended set, so
# the classifier also gets an explicit "how much domain vocabulary is there" signal instead of
# having to learn the absence of thousands of n-grams; the learned weight decides what it means.
# German stems match inside compounds ("Einfamilienhaus"), English ones only at word starts.
_DOMAIN_DE = (
    "holz",
    "bau",
    "haus",
    "haeus",
    "dach",
    "stall",
    "staell",
    "scheune",
    "remise",
    "fassade",
    "fenster",
    "treppe",
    "parkett",
    "daemm",
    "heizung",
    "waermepumpe",
    "minergie",
    "offerte",
    "kosten",
    "preis",
    "quadratmeter",
    "termin",
    "beratung",
    "architekt",
    "ingenieur",
    "projekt",
    "montage",
    "zimmer",
    "spengl",
    "schreiner",
    "lehrstelle",
    "lehrjahr",
    "bewerb",
    "schongau",
    "sanier",
    "renovation",
    "aufstock",
    "garage",
    "carport",
    "pergola",
    "balkon",
    "terrass",
    "keller",
    "grundstueck",
    "parzelle",
    "bewillig",
    "planung",
    "oeffnungszeit",
    "garantie",
    "rechnung",
    "anzahlung",
    "laerche",
    "fichte",
    "brettschicht",
    "brettsperr",
    "photovolt",
    "wohnung",
    "agrar",
    "landwirt",
    "offert",
    "lernende",
    "lehrling",
    "geruest",
    "maengel",
    "bauabnahme",
    "baukran",
    "fundament",
    "aushub",
    "heulager",
    "stroh",
    "huehner",
    "melkstand",
    "unterstand",
    "akustik",
    "sauna",
    "stoeckli",
    "einsprache",
    "zahlung",
    "frist",
    "vertrag",
    "vorgehen",
    "sanitaer",
    "elektroinstallation",
    "elektriker",
    "aufricht",
    "handwerker",
    "gewerk",
    "geschoss",
    "badezimmer",
    "wohnzimmer",
    "schlafzimmer",
    "stockwerk",
    "gebaeude",
    "waende",
    "aussenwand",
    "innenwand",
    "holzdecke",
    "kaelber",
    "kuehe",
    "rinder",
    "schweine",
    "pferde",
    "bauernhof",
    "baeuer",
    "statik",
    "zimmerei",
    "werkvertrag",
    "bauherr",
    "wartung",
    "schnupper",
)
# Stems that are also substrings of unrelated words ("Installation", "Nobelpreis"), German and
# English ("headache" holds "dach", "exhausted" holds "haus").
_DOMAIN_DE_EXCLUDE = (
    "install",
    "nobelpreis",
    "preisgeld",
    "kostenlos",
    "bauch",
    "hausaufgabe",
    "krankenhaus",
    "hausarzt",
    "hausmittel",
    "haustier",
    "stammbaum",
    "muskelaufbau",
    "dachverband",
    "dachschaden",
    "gaumendach",
    "obdach",
    "handyvertrag",
    "headach",
    "exhaust",
)
_DOMAIN_EN = (
    "timber",
    "wood",
    "build",
    "built",
    "house",
    "roof",
    "barn",
    "stable",
    "shed",
    "facade",
    "window",
    "stair",
    "parquet",
    "insulat",
    "heat pump",
    "heating",
    "minergie",
    "quote",
    "cost",
    "price",
    "square met",
    "sqm",
    "appointment",
    "consultation",
    "architect",
    "engineer",
    "project",
    "assembl",
    "carpent",
    "roofer",
    "gutter",
    "apprentic",
    "erni",
    "schongau",
    "renovat",
    "refurb",
    "extension",
    "storey",
    "attic",
    "garage",
    "carport",
    "pergola",
    "balcon",
    "basement",
    "permit",
    "opening hours",
    "warrant",
    "invoice",
    "deposit",
    "larch",
    "spruce",
    "glulam",
    "prefab",
    "apartment",
    "farm",
    "construct",
    "cowshed",
    "scaffold",
    "snag",
    "inspection",
    "crane",
    "foundation",
    "excavat",
    "hay barn",
    "straw",
    "henhouse",
    "milking",
    "shelter",
    "acoustic",
    "sauna",
    "annexe",
    "handover",
    "payment",
    "deadline",
    "contract",
    "next step",
    "plumb",
    "electrician",
    "erection",
    "tradespe",
    "trades",
    "ground floor",
    "upper floor",
    "bathroom",
    "living room",
    "bedroom",
    "floor",
    "walls",
    "ceiling",
    "calves",
    "cows",
    "cattle",
    "pigs",
    "horses",
    "farmer",
    "structural",
    "loft",
    "subcontract",
    "stories",
    "maintenance",
    "site visit",
    "on-site",
)
_DOMAIN_PHRASES = re.compile(
    "|".join(rf"\b{s}" for s in _DOMAIN_EN if " " in s) + r"|\bnaechste[nr]? schritt"
)
_DOMAIN_EN_WORDS = tuple(s for s in _DOMAIN_EN if " " not in s)

# Domain words that also live in everyday language ("build a website", "house music", "the cost of
# living", "a school project"). They count as domain hits, but only the strong ones below say
# "this is about building with ERNI"; the model gets both counts and learns how much each means.
_WEAK_STEMS = (
    "build",
    "built",
    "house",
    "cost",
    "price",
    "project",
    "floor",
    "walls",
    "ceiling",
    "payment",
    "deadline",
    "contract",
    "window",
    "stair",
    "engineer",
    "construct",
    "apartment",
    "maintenance",
    "inspection",
    "structural",
    "shelter",
    "stories",
    "storey",
    "extension",
    "crane",
    "assembl",
    "trades",
    "deposit",
    "invoice",
    "appointment",
    "consultation",
    "quote",
    "farm",
    "straw",
    "cows",
    "pigs",
    "horses",
    "cattle",
    "calves",
    "stable",
    "shed",
    "acoustic",
    "sauna",
    "warrant",
    "loft",
    "erection",
    "architect",
    "bau",
    "haus",
    "kosten",
    "preis",
    "projekt",
    "termin",
    "beratung",
    "zimmer",
    "frist",
    "vertrag",
    "vorgehen",
    "zahlung",
    "rechnung",
    "wohnung",
    "planung",
    "garantie",
    "fenster",
    "treppe",
    "ingenieur",
    "montage",
    "stroh",
    "pferde",
    "schweine",
    "kuehe",
    "rinder",
    "akustik",
    "wartung",
    "gebaeude",
    "waende",
    "stockwerk",
    "geschoss",
)
# Compounds that contain a weak stem but are unambiguous building words.
_STRONG_COMPOUNDS = (
    "holz",
    "familienhaus",
    "neubau",
    "umbau",
    "anbau",
    "rohbau",
    "systembau",
    "innenausbau",
    "baugesuch",
    "baubewillig",
    "baustelle",
    "bauplatz",
    "bauland",
    "zimmerei",
    "zimmermann",
    "zimmerleute",
    "bauernhaus",
    "ferienhaus",
    "gartenhaus",
    "treppenhaus",
    "dachgeschoss",
    "erdgeschoss",
    "obergeschoss",
    "farmhouse",
    "farm building",
    "timber",
)


@dataclass(frozen=True, slots=True)
class FeatureSet:
    chars: tuple[int, ...]
    words: tuple[int, ...]
    meta: tuple[int, ...]


def clip(text: str) -> str:
    """A very long message's head and tail, at most MAX_CHARS characters in all."""
    if len(text) > MAX_CHARS:
        return text[:_HEAD] + " … " + text[-(MAX_CHARS - _HEAD) :]
    return text


def normalize(text: str) -> str:
    """Lower-cased, umlaut-folded, accent-stripped text with digits collapsed to 0."""
    text = unicodedata.normalize("NFKC", clip(text)).casefold().translate(_FOLD)
    text = _EMAIL.sub(" xemailx ", text)
    text = _URL.sub(" xurlx ", text)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DIGIT.sub("0", text)


def _h(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & _MASK


# CRC-32 of the "c:" prefix, continued over each n-gram's bytes: the same value as
# `_h("c:" + ngram)` without building and encoding a string per n-gram.
_CHAR_PREFIX_CRC = zlib.crc32(b"c:")


@lru_cache(maxsize=65536)
def _char_features(token: str) -> tuple[int, ...]:
    """Padded character n-grams of one token (cached: tokens repeat across messages)."""
    padded = f" {token} "
    n_chars = len(padded)
    feats: list[int] = []
    # For ASCII a character slice is a byte slice, so the n-grams can be hashed from one encoding.
    raw = padded.encode("ascii") if padded.isascii() else None
    for n in CHAR_NGRAMS:
        if n_chars < n:
            break
        starts = range(n_chars - n + 1)
        if raw is not None:
            feats.extend(zlib.crc32(raw[i : i + n], _CHAR_PREFIX_CRC) & _MASK for i in starts)
        else:
            feats.extend(_h("c:" + padded[i : i + n]) for i in starts)
    return tuple(feats)


def _length_bucket(n_tokens: int) -> str:
    for limit in (1, 2, 3, 5, 8, 13, 25, 50):
        if n_tokens <= limit:
            return str(limit)
    return "many"


def _count_bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2+"


def tokens(normalized: str) -> list[str]:
    return _TOKEN.findall(normalized)


def _substring_pattern(stems: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation: `pattern.search(token)` is `any(stem in token for stem in stems)`
    without a Python-level loop over the stems, the largest cost of a cold-cache message."""
    return re.compile("|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True)))


_DOMAIN_DE_RE = _substring_pattern(_DOMAIN_DE)
_DOMAIN_DE_EXCLUDE_RE = _substring_pattern(_DOMAIN_DE_EXCLUDE)
_STRONG_COMPOUNDS_RE = _substring_pattern(_STRONG_COMPOUNDS)
_WEAK_INFIX_RE = _substring_pattern(tuple(stem for stem in _WEAK_STEMS if len(stem) > 3))


@lru_cache(maxsize=65536)
def _is_domain_token(token: str) -> bool:
    if token.startswith(_DOMAIN_EN_WORDS):
        return True
    return _DOMAIN_DE_RE.search(token) is not None and _DOMAIN_DE_EXCLUDE_RE.search(token) is None


@lru_cache(maxsize=65536)
def _is_strong_domain_token(token: str) -> bool:
    if not _is_domain_token(token):
        return False
    if _STRONG_COMPOUNDS_RE.search(token):
        return True
    weak = token.startswith(_WEAK_STEMS) or _WEAK_INFIX_RE.search(token) is not None
    return not weak


def strong_domain_hits(toks: list[str]) -> int:
    """Tokens from the unambiguous part of the domain vocabulary (timber, Minergie, barn, roof …)."""
    return sum(1 for t in toks if _is_strong_domain_token(t))


def domain_hits(normalized: str, toks: list[str] | None = None) -> int:
    """Number of tokens (plus multi-word phrases) from ERNI's domain vocabulary."""
    toks = tokens(normalized) if toks is None else toks
    hits = sum(1 for t in toks if _is_domain_token(t))
    # Areas such as "150 m2" become "000 m0" after normalisation.
    hits += sum(1 for a, b in itertools.pairwise(toks) if b == "m" and a[0] == "0") if "m" in toks else 0
    return hits + len(_DOMAIN_PHRASES.findall(normalized))


def extract(text: str) -> FeatureSet:
    """Hashed feature indices of a raw message, per block (binary bag of features)."""
    return _extract_normalized(normalize(text))


@lru_cache(maxsize=4096)
def _extract_normalized(normalized: str) -> FeatureSet:
    toks = tokens(normalized)
    chars: set[int] = set()
    word_feats: set[int] = set()
    for tok in set(toks):
        chars.update(_char_features(tok))
        word_feats.add(_h("w:" + tok))
    words = [t for t in toks if t[0].isalpha() or t[0] == "0"]
    word_feats.update(_h(f"b:{a} {b}") for a, b in itertools.pairwise(words))
    # Punctuation next to words carries injection shape ("'; drop", "-- ", "{{").
    word_feats.update(_h(f"p:{a} {b}") for a, b in itertools.pairwise(toks) if not a[0].isalnum())
    if words:
        word_feats.add(_h("first:" + words[0]))
    hits = domain_hits(normalized, toks)
    strong = strong_domain_hits(toks)
    meta = (
        _h("len:" + _length_bucket(len(words))),
        _h("domain:" + _count_bucket(hits)),
        _h("strong:" + _count_bucket(strong)),
        # A long message without a single unambiguous building word is rarely a customer's.
        _h(f"len-strong:{_length_bucket(len(words))}:{_count_bucket(strong)}"),
    )
    return FeatureSet(tuple(sorted(chars)), tuple(sorted(word_feats)), meta)
