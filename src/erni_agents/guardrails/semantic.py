"""Word meaning for the Relevance Guardrail: a learned off-topic score per dictionary word.

Character and word n-grams only know words the training authors used. "Blattläuse" or "Trinkgeld"
in a new message carries no signal unless someone wrote it before. The relevance head therefore
also sees the mean of multilingual sentence-encoder vectors of the message's words
(``wordvec.py`` computes them at build time from multilingual-e5-small, one vector per word of a
fixed German and English dictionary). Words with similar meaning, in either language, get similar
vectors, so what the head learns about "aphids" carries over to "Blattläuse".

The head's weight on that block is linear in the mean vector, so the artifact does not need the
vectors: its contribution is the mean of one precomputed number per word (``WordScores``), the
dot product of the word's vector with the learned weights. At run time this is a dictionary
lookup per word; no model, no download.

Training (``train.py``) and inference select and resolve words the same way, through
``content_words`` and ``resolve``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from erni_agents.guardrails import features

_WORD = re.compile(r"[^\W\d_]+")
# Function words carry no topic; leaving them out keeps the mean about what the message is about.
STOPWORDS = frozenset(
    (
        *("der", "die", "das", "und", "oder", "ein", "eine", "ist", "in", "im", "zu", "mit", "von"),
        *("für", "auf", "ich", "sie", "wir", "es", "mir"),
        *("the", "a", "an", "and", "or", "is", "are", "to", "of", "on", "for", "with", "it", "i"),
        *("you", "we", "my", "me"),
    )
)
# German compounds missing from the dictionary are split into two dictionary words, each at least
# this long ("Mondfinsternis" -> "mond" + "finsternis").
MIN_PART = 3
MIN_COMPOUND = 7

# A resolved word: one dictionary index, or two for a split compound.
Resolved = tuple[int] | tuple[int, int]


def content_words(text: str) -> list[str]:
    """Lower-cased words of a message (letters only), without function words."""
    return [w for w in _WORD.findall(features.clip(text).lower()) if w not in STOPWORDS]


def resolve(word: str, index: Mapping[str, int]) -> Resolved | None:
    """The dictionary entries standing for `word`: itself, else the split of a compound into a
    dictionary head and tail with the longest head, else None."""
    hit = index.get(word)
    if hit is not None:
        return (hit,)
    if len(word) < MIN_COMPOUND:
        return None
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = index.get(word[:cut]), index.get(word[cut:])
        if head is not None and tail is not None:
            return (head, tail)
    return None


def resolve_all(text: str, index: Mapping[str, int]) -> list[Resolved]:
    return [r for w in content_words(text) if (r := resolve(w, index)) is not None]


@dataclass(frozen=True, eq=False)
class WordScores:
    """The relevance head's contribution per dictionary word (already multiplied by the block
    scale); a message gets the mean over its resolved words, 0 when none resolves."""

    index: Mapping[str, int]
    scores: Sequence[float]

    def score(self, text: str) -> float:
        resolved = resolve_all(text, self.index)
        if not resolved:
            return 0.0
        s = self.scores
        total = sum(s[r[0]] if len(r) == 1 else (s[r[0]] + s[r[1]]) / 2 for r in resolved)
        return total / len(resolved)
