"""Offline bilingual (German/English) search over the knowledge base.

Design notes
------------
* One BM25 index over both languages. Customers mix languages ("Habt ihr Minergie certification?")
  and the UI language the caller passes need not be the language of the question, so ranking is
  language-independent; `lang` only selects the answer text.
* The tokenizer is deliberately small and predictable instead of a full morphological analyser:
  lowercase, umlaut folding (both "ä"->"ae" and "ä"->"a"), conservative suffix stripping that works
  for German and English, a hand-written family map for irregular word families
  (offen/geöffnet/Öffnung), and corpus-driven compound splitting (Holzfassade -> holz + fassad).
* "Nothing relevant" is decided by how much of the question's information (IDF mass) the best
  entry explains, not by the raw BM25 score alone: raw scores grow with query length, so a long
  unrelated question with one incidental word would otherwise pass a fixed score threshold.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from erni_agents.knowledge.models import KnowledgeEntry, normalize_lang

__all__ = ["Answer", "BilingualTokenizer", "Hit", "KnowledgeBase", "WordTerms"]

# --------------------------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W_]+")
_AE_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PLAIN_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})

# Stored in "ae"-folded form because that is the form we look words up in. The Swiss German
# forms are what people type in chat ("Wänn händ ihr offä?"). Question words listed here are
# taken out again below (see _FALLBACK_WORDS).
_STOPWORDS_DE = """
aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim bin bis
bist bitte da dabei damit dann darf das dass dem den denen denn der des dessen dich die dies
diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines
einige er es etwa etwas euch euer eure eurem euren fuer gegen gerne gern gibt gibts habe haben
habt hast hat hatte hatten hier ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in ist ja jede
jeder jedes jetzt kann kannst kein keine keinen koennen koennt koennte koenntet man mal manche
mehr mein meine meinem meinen meiner mich mir mit moechte moechten muss muessen nach nein nicht
nichts noch nur ob oder ohne schon sehr sein seid seine sich sie sind so soll sollen sollte
sonst ueber um und uns unser unsere unserem unseren unter viel viele vom von vor war waren
warum was weil welche welchem welchen welcher welches wenn wer werde werden weshalb wie wieso
wir wird wo wollen wurde wuerde zu zum zur zwar
bitteschoen danke dankeschoen merci hallo hoi sali gruezi gruessech guten tag morgen abend
haend hend hesch het haet isch gits git chan cha choend chasch mer mir oeich eu ned noed
nid si de d s es wa waenn wenn wie wo wer waer wele wela welli
erni gruppe ag gmbh
"""
_STOPWORDS_EN = """
a about above after again all am an and any are as at be because been being below between both
but by can could did do does doing done down during each few for from further had has have
having he her here hers him his how i if in into is it its itself just me might more most must
my no nor not now of off on once only or other our ours out over own please same shall she
should so some such than that the their theirs them then there these they this those through
to too under until up us very was we were what when where which while who whom whose why will
with would you your yours
hello hi hey thanks thank dear ok okay tell know want like could would
group ltd inc mean means meaning explain looking look actually really already help helps need needs
get gets got handle handles deal
btw guys folks anyway happen happens happening
"""
# Words that only say "I want to know something": never a topic of their own.
_FILLER_DE = """
bedeutet bedeutung erklaeren erklaere erklaert suche suchen sucht eigentlich genau gebt geben gebe
helft helfen hilft helfe haette haetten wuerden brauche brauchen braucht au oeppis bi gsi han hani
bekomme bekommen bekommt kriege kriegen erhalte dafuer dazu davon darauf daran damit kuemmert kuemmern
passiert passieren geschieht
"""
# Question words and generic verbs carry intent only when nothing else is asked: "Wo seid ihr?"
# means the address, but the "wo" in "Wo finde ich Referenzen?" must not pull towards it.
# They are indexed, but a query only uses them when it has no other content word.
_FALLBACK_TEXT = """
wo where wann when wer who macht machen mached mache tut tun do does did
bietet bieten anbieten offer offers provide
"""


def _word_set(*texts: str) -> frozenset[str]:
    return frozenset(word for text in texts for word in text.split())


_FALLBACK_WORDS = _word_set(_FALLBACK_TEXT)
_STOPWORDS = _word_set(_STOPWORDS_DE, _STOPWORDS_EN, _FILLER_DE) - _FALLBACK_WORDS

# (suffix, replacement, minimum length of what remains). Longest suffix wins. Kept conservative
# because the same rules run over both languages: "-er" needs 4 letters left so English "offer"
# never becomes "off", and bare "-s" is handled separately so "Haus"/"plus" stay intact.
_SuffixRule = tuple[str, str, int]
_SUFFIX_RULES: tuple[_SuffixRule, ...] = tuple(
    sorted(
        (
            ("ierungen", "", 4),
            ("ierung", "", 4),
            ("ationen", "", 4),
            ("ations", "", 4),
            ("ation", "", 4),
            ("ungen", "", 3),
            ("heiten", "", 3),
            ("keiten", "", 3),
            ("erei", "", 4),
            ("ieren", "", 4),
            ("iert", "", 4),
            ("ung", "", 3),
            ("heit", "", 3),
            ("keit", "", 3),
            ("lich", "", 4),
            ("isch", "", 4),
            ("ings", "", 3),
            ("ing", "", 4),
            ("ies", "y", 3),
            ("ied", "y", 3),
            ("ern", "", 4),
            ("em", "", 4),
            ("en", "", 3),
            ("er", "", 4),
            ("es", "", 3),
            ("et", "", 4),
            ("ed", "", 3),
            ("e", "", 4),
        ),
        key=lambda rule: -len(rule[0]),
    )
)
# Only derivational endings may be stripped in a second pass ("Öffnungs" -> "Öffnung" -> "öffn");
# letting "-e"/"-en" run twice would eat real stems.
_SECOND_PASS = frozenset({"ung", "heit", "keit", "lich", "isch", "ier", "erei"})
_SUFFIX_RULES_BY_END: dict[str, _SuffixRule] = {rule[0]: rule for rule in _SUFFIX_RULES}
_SECOND_PASS_RULES: dict[str, _SuffixRule] = {
    rule[0]: rule for rule in _SUFFIX_RULES if rule[0] in _SECOND_PASS
} | {"ier": ("ier", "", 4)}
_AFTER_PLURAL_RULES: dict[str, _SuffixRule] = _SECOND_PASS_RULES | {"er": ("er", "", 4)}
_MAX_SUFFIX_LEN = max(len(rule[0]) for rule in _SUFFIX_RULES)
_DOUBLE_CONSONANTS = frozenset("bdgmnprt")

# Irregular families that no suffix rule can join. Exact folded words first (before stemming),
# then stem prefixes. Values are the shared root the index stores.
_FAMILY_WORDS: dict[str, str] = {
    "offen": "oeffn",
    "offene": "oeffn",
    "offenen": "oeffn",
    "offener": "oeffn",
    "offa": "oeffn",
    "offae": "oeffn",
    "firma": "firm",
    "geoeffnet": "oeffn",
    "oeffnen": "oeffn",
    "hauser": "haus",
    "haeuser": "haus",
    "haeusern": "haus",
    "hausern": "haus",
    "daecher": "dach",
    "dacher": "dach",
    "baut": "bau",
    "bauten": "bau",
    "gebaut": "bau",
}
_FAMILY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("zertifi", "zertifi"),
    ("certif", "certifi"),
    ("geoeffn", "oeffn"),
    ("garant", "garant"),
    ("guarant", "guarant"),
    ("sustainab", "sustain"),
    ("oekolog", "oekolog"),
    ("ecolog", "ecolog"),
    ("apprentic", "apprentic"),
    ("renov", "renov"),
    ("nachhaltig", "nachhaltig"),
)

# Compound heads and tails that customers use but the corpus might only contain inside longer
# compounds. The corpus vocabulary is added on top of these at index time.
_SEED_PARTS = """
holz bau haus dach fassade zeit stelle lehre familie mehr ein zwei wohnung fenster tuer treppe oeffnung
planung leitung arbeit kosten geld foerder programm partner gebaeude huelle service unterhalt
pflege referenz projekt beton system element fach schutz blitz stall lager halle land wirtschaft
energie nummer telefon termin beratung garantie offerte preis flaeche meter quadrat zimmer
"""

_MIN_COMPOUND_LEN = 7
_MIN_PART_LEN = 3


def _strip_accents(text: str) -> str:
    if text.isascii():  # the common case after umlaut folding; NFKD is the slow part
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _dialect_variants(word: str) -> list[str]:
    """Standard-German spellings of common Swiss German chat spellings.

    Only adds variants; the original stays, so standard words are never lost.
    """
    variants: list[str] = []
    if len(word) >= 4 and word.endswith("ä"):  # offä -> offen, machä -> machen
        variants.append(word[:-1] + "en")
    if "ii" in word:  # Ziit -> Zeit, wiis -> weis
        variants.append(word.replace("ii", "ei"))
    if "uu" in word:  # Huus -> Haus
        variants.append(word.replace("uu", "au"))
    return variants


def _longest_rule(word: str, rules: dict[str, _SuffixRule]) -> _SuffixRule | None:
    # Dict lookup per candidate length instead of scanning every rule: stem() runs ~60k times
    # while the index is built.
    for n in range(min(_MAX_SUFFIX_LEN, len(word) - 1), 0, -1):
        rule = rules.get(word[-n:])
        if rule is not None and len(word) - n >= rule[2]:
            return rule
    return None


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Light bilingual stemmer for a lowercase, already folded word.

    Cached: compound splitting stems every substring of every long word, and the same substrings
    recur across documents and queries.
    """
    if word in _FAMILY_WORDS:
        return _FAMILY_WORDS[word]
    if len(word) <= 3 or word.isdigit():
        return word
    w = word
    # German participles: ge-öffn-et, ge-plan-t. Length guard keeps "gebaeude", "gesamt" whole.
    if w.startswith("ge") and len(w) >= 7 and (w.endswith("t") or w.endswith("en")):
        w = w[2:]
    stripped = ""
    rule = _longest_rule(w, _SUFFIX_RULES_BY_END)
    if rule is not None:
        suffix, replacement, _ = rule
        w = w[: -len(suffix)] + replacement
        stripped = suffix
    if not stripped and w.endswith("s") and len(w) >= 4 and w[-2] not in "suiy'":
        w = w[:-1]
        stripped = "s"
    if stripped == "s" or stripped in _SECOND_PASS:
        # After a plural "-s" the agent-noun "-er" may go too: farmers -> farmer -> farm.
        rule = _longest_rule(w, _AFTER_PLURAL_RULES if stripped == "s" else _SECOND_PASS_RULES)
        if rule is not None:
            w = w[: -len(rule[0])] + rule[1]
    # planning -> plann -> plan, Treppe -> trepp -> trep: one spelling for both.
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] in _DOUBLE_CONSONANTS:
        w = w[:-1]
    for prefix, root in _FAMILY_PREFIXES:
        if w.startswith(prefix):
            return root
    return w


@dataclass(frozen=True, slots=True)
class WordTerms:
    """Index terms of one surface word: its stems (spelling variants) and its compound parts."""

    stems: tuple[str, ...]
    parts: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.stems + self.parts


_NO_TERMS = WordTerms((), ())


class BilingualTokenizer:
    """Turns German/English text into index terms, grouped per surface word.

    `lexicon` is the set of stems compound splitting may produce; parts outside it are never
    emitted, which is what keeps "Spenglerei" from being split into nonsense.
    """

    def __init__(self, lexicon: Iterable[str] = ()) -> None:
        seed = {stem(w) for w in _SEED_PARTS.split()}
        self._lexicon: frozenset[str] = frozenset(
            s for s in (*seed, *lexicon) if len(s) >= _MIN_PART_LEN and s not in _STOPWORDS
        ) | frozenset({"mehr", "ein", "zwei"})
        self._word_cache: dict[str, WordTerms] = {}
        self._split_cache: dict[str, tuple[str, ...] | None] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        return _WORD_RE.findall(unicodedata.normalize("NFC", text).lower())

    @staticmethod
    def base_stems(text: str) -> set[str]:
        """Stems without compound splitting: the raw material for a corpus lexicon."""
        out: set[str] = set()
        for word in set(BilingualTokenizer.words(text)):
            folded = _strip_accents(word.translate(_AE_FOLD))
            if folded not in _STOPWORDS and not folded.isdigit():
                out.add(stem(folded))
        return out

    def groups(self, text: str, *, fallback_words: bool = True) -> list[WordTerms]:
        """Index terms per content word; stop words produce no entry.

        `fallback_words=False` also drops question words and generic verbs (see _FALLBACK_WORDS).
        """
        result = []
        for word in self.words(text):
            if not fallback_words and _strip_accents(word.translate(_AE_FOLD)) in _FALLBACK_WORDS:
                continue
            terms = self.analyze_word(word)
            if terms.stems:
                result.append(terms)
        return result

    def tokens(self, text: str) -> list[str]:
        return [term for group in self.groups(text) for term in group.all]

    def analyze_word(self, word: str) -> WordTerms:
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        terms = self._analyze(word)
        if len(self._word_cache) > 20_000:  # bounded: query words are unbounded in a server
            self._word_cache.clear()
        self._word_cache[word] = terms
        return terms

    def _analyze(self, word: str) -> WordTerms:
        ae = _strip_accents(word.translate(_AE_FOLD))
        if ae in _STOPWORDS or len(ae) < 2:
            return _NO_TERMS
        if ae.isdigit():
            return WordTerms((ae,), ())
        # Keep the "a" fold as a second form: it is how people type without umlaut keys and it
        # merges umlaut plurals with their singular (Häuser -> hauser -> haus).
        forms = [ae, _strip_accents(word.translate(_PLAIN_FOLD))]
        forms += [_strip_accents(v.translate(_AE_FOLD)) for v in _dialect_variants(word)]
        stems: list[str] = []
        parts: list[str] = []
        for form in dict.fromkeys(forms):
            stems.append(stem(form))
            if len(form) >= _MIN_COMPOUND_LEN:
                parts.extend(p for p in self._split(form) or () if p not in _STOPWORDS)
        unique_stems = tuple(dict.fromkeys(stems))
        return WordTerms(unique_stems, tuple(p for p in dict.fromkeys(parts) if p not in unique_stems))

    def _split(self, word: str) -> tuple[str, ...] | None:
        """Split a compound into known stems, recursively; None when it is no known compound."""
        if word in self._split_cache:
            return self._split_cache[word]
        best: tuple[str, ...] | None = None
        best_balance = -1
        for i in range(_MIN_PART_LEN, len(word) - _MIN_PART_LEN + 1):
            head, tail = word[:i], word[i:]
            head_parts = self._part(head)
            if head_parts is None:
                continue
            tail_parts = self._part(tail)
            if tail_parts is None:
                continue
            # Prefer balanced splits: lopsided ones ("hol" + "zfassade") are where false
            # positives come from.
            balance = min(len(head), len(tail))
            if balance > best_balance:
                best, best_balance = (*head_parts, *tail_parts), balance
        self._split_cache[word] = best
        return best

    def _part(self, piece: str) -> tuple[str, ...] | None:
        stemmed = stem(piece)
        if stemmed in self._lexicon:
            # A known part may itself be a compound (holzbau in holzbauarbeiten): emit both.
            sub = self._split(piece) if len(piece) >= _MIN_COMPOUND_LEN else None
            return (stemmed, *(sub or ()))
        if len(piece) >= _MIN_COMPOUND_LEN:
            return self._split(piece)
        return None


# --------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------

# Field weights by repetition (BM25 has no fields): titles and customer keywords say what an
# entry is about, the running text only supports it.
_TITLE_WEIGHT = 2
_KEYWORD_WEIGHT = 2
_TEXT_WEIGHT = 1

# An answer must explain at least half of the question's information (IDF mass of its content
# words, unknown words counting as maximally rare). Measured on ~100 phrasings: real questions
# score >= 0.55, off-topic questions that share one incidental word with us ("capital of France"
# vs "francs", "buy a car" vs "buy a property") stay <= 0.44.
MIN_COVERAGE = 0.5
# ...and a minimal BM25 score: a floor against matches made only of near-ubiquitous terms.
# BM25 scores scale with IDF and thus with collection size, so the floor is a share of the
# IDF of a word no document contains (about 0.8 for the ~100 bundled documents; real one-word
# questions such as "How can I contact you?" score about 1.6 there).
MIN_SCORE_SHARE = 0.15
# A second entry is only quoted when it is nearly as good and answers a part of the question
# the first entry does not cover.
SECOND_ENTRY_RATIO = 0.5
# ...and only when the part it answers carries at least this share of the question's weight,
# so a generic leftover word ("house") does not drag in a second topic.
SECOND_ENTRY_MIN_GAIN = 0.25
PAGE_LINK_RATIO = 0.5
MAX_LINKS = 3
_FUZZY_MIN_LEN = 5
_FUZZY_CUTOFF = 85.0

_LEADING_YES = re.compile(r"^(?:Ja|Yes)(?:, absolut| absolutely)?[,!]\s+")
# Sentence end = punctuation + space + capital, except after a short ordinal ("13. Jahrhundert").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\s\d\.)(?<!\s\d\d\.)\s+(?=[«\"A-ZÄÖÜ])")


@dataclass(frozen=True, slots=True)
class Hit:
    entry: KnowledgeEntry
    score: float
    # Share of the question's information the entry explains (0..1); see MIN_COVERAGE.
    coverage: float = 0.0


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    links: tuple[str, ...]
    entry_ids: tuple[str, ...]
    score: float


@dataclass(frozen=True, slots=True)
class _QueryWord:
    stems: tuple[str, ...]  # stems of the whole word that exist in the index
    parts: tuple[str, ...]  # compound parts (all of them, known or not)
    weight: float

    @property
    def terms(self) -> tuple[str, ...]:
        return self.stems + self.parts

    def credit(self, doc_terms: frozenset[str]) -> float:
        """How much of this word a document explains (0..1)."""
        if any(t in doc_terms for t in self.stems):
            return 1.0
        if not self.parts:
            return 0.0
        share = sum(t in doc_terms for t in self.parts) / len(self.parts)
        # "Baustelle" must not count as an answer to "Lehrstelle": when the whole word is in
        # the index but the document only shares a part, the part earns half credit at most.
        return share * (0.5 if self.stems else 1.0)


class KnowledgeBase:
    """BM25 search over hand-written entries and website pages (any mix of both kinds)."""

    def __init__(self, entries: Iterable[KnowledgeEntry]) -> None:
        self._entries: tuple[KnowledgeEntry, ...] = tuple(entries)
        self._by_id = {e.id: e for e in self._entries}
        # Keyed by object identity: ids from a database table are not guaranteed to be unique.
        self._position = {id(e): i for i, e in enumerate(self._entries)}
        documents = [self._document_text(e) for e in self._entries]
        lexicon: set[str] = set()
        for doc in documents:
            lexicon |= BilingualTokenizer.base_stems(doc)
        self._tokenizer = BilingualTokenizer(lexicon)
        corpus = [self._tokenizer.tokens(doc) for doc in documents]

        self._doc_terms: list[frozenset[str]] = [frozenset(tokens) for tokens in corpus]
        n_docs = len(corpus)
        df = Counter(term for terms in self._doc_terms for term in terms)
        # Which documents contain each term, so that the coverage of every ranked document is
        # computed in a few array operations per query word instead of a loop over documents.
        self._term_docs: dict[str, np.ndarray] = {t: np.zeros(n_docs, dtype=bool) for t in df}
        for index, terms in enumerate(self._doc_terms):
            for term in terms:
                self._term_docs[term][index] = True
        # Same IDF formula as BM25 ("lucene" variant) so coverage and score agree on rarity.
        self._idf = {t: math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        # A word the index has never seen gets the IDF of document frequency 0: it is exactly
        # the kind of word that makes a question off-topic ("Gedicht", "quantum").
        self._unknown_idf = math.log(1 + (n_docs + 0.5) / 0.5)
        self._min_score = MIN_SCORE_SHARE * self._unknown_idf
        self._fuzzy_vocab = sorted(t for t in df if len(t) >= 4 and not t.isdigit())

        self._bm25: bm25s.BM25 | None = None
        if n_docs and any(corpus):
            self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
            self._bm25.index(corpus, show_progress=False)
        self._term_ids: dict[str, int] = dict(self._bm25.vocab_dict) if self._bm25 else {}

    @property
    def entries(self) -> tuple[KnowledgeEntry, ...]:
        return self._entries

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        return self._by_id.get(entry_id)

    @property
    def tokenizer(self) -> BilingualTokenizer:
        return self._tokenizer

    # ---- public API -----------------------------------------------------------------------

    def search(self, query: str, lang: str = "de", k: int = 3) -> list[Hit]:
        """Best `k` documents (entries and pages) for the query, best first.

        Returns every positive-scoring document up to `k`, relevant or not; use `Hit.coverage`
        (or `answer`) to decide whether a hit is good enough. `lang` does not change the
        ranking (see module docstring) and is accepted for symmetry with `answer`.
        """
        if k <= 0:
            return []
        return self._rank(query)[:k]

    def answer(self, query: str, lang: str = "de") -> Answer | None:
        """The best entry's text in `lang` with 1-3 links, or None if nothing is relevant."""
        language = normalize_lang(lang)
        words = self._query_words(query)
        ranked = self._rank_words(words)
        entry_hits = [h for h in ranked if h.entry.kind == "entry"]
        if not entry_hits or not self._is_relevant(entry_hits[0]):
            return None
        best = entry_hits[0]
        used = [best]
        text = best.entry.text(language)

        extra = self._second_entry_sentence(words, best, entry_hits[1:5], language)
        if extra is not None:
            second, sentence = extra
            text = f"{text} {sentence}"
            used.append(second)

        links: list[str] = []
        for hit in used:
            links.extend(hit.entry.urls)
        # Extra page links must match the question as fully as the answer does, nearly as
        # strongly, and live in the same site section as the answer's own links: a page that
        # merely shares a word ("open positions" for "When are you open?") changes the subject.
        sections = {_section(u) for hit in used for u in hit.entry.urls}
        links.extend(
            h.entry.urls[0]
            for h in ranked
            if h.entry.kind == "page"
            and h.entry.urls
            and _section(h.entry.urls[0]) in sections
            and self._is_relevant(h)
            and h.coverage >= best.coverage
            and h.score >= PAGE_LINK_RATIO * best.score
        )
        unique_links = tuple(dict.fromkeys(u for u in links if u))[:MAX_LINKS]
        return Answer(
            text=text,
            links=unique_links,
            entry_ids=tuple(h.entry.id for h in used),
            score=best.score,
        )

    # ---- internals ------------------------------------------------------------------------

    @staticmethod
    def _document_text(entry: KnowledgeEntry) -> str:
        titles = f"{entry.title_de}\n{entry.title_en}\n"
        keywords = "\n".join(entry.keywords) + "\n"
        texts = f"{entry.text_de}\n{entry.text_en}\n"
        return titles * _TITLE_WEIGHT + keywords * _KEYWORD_WEIGHT + texts * _TEXT_WEIGHT

    def _query_words(self, query: str) -> list[_QueryWord]:
        words: list[_QueryWord] = []
        groups = self._tokenizer.groups(query, fallback_words=False) or self._tokenizer.groups(query)
        for group in groups:
            stems = tuple(t for t in group.stems if t in self._idf)
            known_parts = [t for t in group.parts if t in self._idf]
            parts = group.parts
            if not stems and not known_parts:
                stems, parts = self._fuzzy(group.stems[0]), ()
            known = stems or tuple(known_parts)
            weight = max(self._idf[t] for t in known) if known else self._unknown_idf
            words.append(_QueryWord(stems, parts, weight))
        return words

    def _fuzzy(self, term: str) -> tuple[str, ...]:
        """Typo tolerance: map an unknown term to the closest index term, if it is close."""
        if len(term) < _FUZZY_MIN_LEN or not self._fuzzy_vocab:
            return ()
        match = process.extractOne(term, self._fuzzy_vocab, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        return (str(match[0]),) if match else ()

    def _rank(self, query: str) -> list[Hit]:
        return self._rank_words(self._query_words(query))

    def _rank_words(self, words: Sequence[_QueryWord]) -> list[Hit]:
        if self._bm25 is None:
            return []
        term_ids = [self._term_ids[t] for w in words for t in w.terms if t in self._term_ids]
        if not term_ids:
            return []
        scores: np.ndarray = self._bm25.get_scores_from_ids(term_ids)
        order = np.argsort(-scores, kind="stable")
        coverages = self._coverages(words, len(scores))
        hits: list[Hit] = []
        for idx in order:
            score = float(scores[idx])
            if score <= 0.0:
                break
            hits.append(Hit(self._entries[idx], score, float(coverages[idx])))
        return hits

    def _coverages(self, words: Sequence[_QueryWord], n_docs: int) -> np.ndarray:
        """`_QueryWord.credit` of every document, weighted and normalised (see MIN_COVERAGE)."""
        total = sum(w.weight for w in words)
        covered = np.zeros(n_docs)
        if total <= 0.0:
            return covered
        none = np.zeros(n_docs, dtype=bool)
        for word in words:
            whole = np.zeros(n_docs, dtype=bool)
            for term in word.stems:
                whole |= self._term_docs.get(term, none)
            if word.parts:
                share = sum(self._term_docs.get(t, none).astype(float) for t in word.parts) / len(word.parts)
                partial = share * (0.5 if word.stems else 1.0)
            else:
                partial = np.zeros(n_docs)
            covered += word.weight * np.where(whole, 1.0, partial)
        return covered / total

    def _is_relevant(self, hit: Hit) -> bool:
        return hit.coverage >= MIN_COVERAGE and hit.score >= self._min_score

    def _second_entry_sentence(
        self, words: Sequence[_QueryWord], best: Hit, candidates: Sequence[Hit], lang: str
    ) -> tuple[Hit, str] | None:
        """One sentence from a runner-up entry that answers a part of the question the best
        entry leaves open ("Was kostet ein Haus und gibt es Fördergelder?"), if there is one."""
        total = sum(w.weight for w in words)
        best_terms = self._doc_terms[self._position[id(best.entry)]]
        choice: tuple[float, float, Hit, list[_QueryWord]] | None = None
        for candidate in candidates:
            if not self._is_relevant(candidate) or candidate.score < SECOND_ENTRY_RATIO * best.score:
                continue
            cand_terms = self._doc_terms[self._position[id(candidate.entry)]]
            gains = [(w, w.weight * (w.credit(cand_terms) - w.credit(best_terms))) for w in words]
            open_words = [w for w, g in gains if g > 0]
            gain = sum(g for _, g in gains if g > 0)
            if gain < SECOND_ENTRY_MIN_GAIN * total:
                continue
            # The runner-up that answers most of what is still open wins, and among equals the
            # one that is most about it (BM25 on the open words alone): "subsidies" should come
            # from the subsidies entry, not from the Minergie entry that mentions them.
            focus = self._score_of(open_words, candidate.entry)
            if choice is None or (gain, focus) > (choice[0], choice[1]):
                choice = (gain, focus, candidate, open_words)
        if choice is None:
            return None
        _, _, candidate, open_words = choice
        sentence = self._best_sentence(open_words, candidate.entry.text(lang))
        if not sentence:
            return None
        # "Ja, ..." opens an answer well but reads oddly in the middle of one.
        sentence = _LEADING_YES.sub("", sentence)
        return candidate, sentence[:1].upper() + sentence[1:]

    def _score_of(self, words: Sequence[_QueryWord], entry: KnowledgeEntry) -> float:
        term_ids = [self._term_ids[t] for w in words for t in w.terms if t in self._term_ids]
        if self._bm25 is None or not term_ids:
            return 0.0
        return float(self._bm25.get_scores_from_ids(term_ids)[self._position[id(entry)]])

    def _best_sentence(self, words: Sequence[_QueryWord], text: str) -> str | None:
        best_sentence, best_value = None, 0.0
        for sentence in split_sentences(text):
            terms = frozenset(self._tokenizer.tokens(sentence))
            value = sum(w.weight * w.credit(terms) for w in words)
            if value > best_value:
                best_sentence, best_value = sentence, value
        return best_sentence


def _section(url: str) -> str:
    """First path segment of a site URL ("/holzbau/montage" -> "holzbau"; home -> "")."""
    path = urlsplit(url).path.strip("/")
    return path.split("/", 1)[0]


def split_sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if part]
