"""Loads the trained artifact once and scores messages with a hand-rolled sparse dot product.

scikit-learn is only needed for training; at run time a message costs one pass of feature
hashing plus three numpy gathers, and for relevance one dictionary lookup per word
(semantic.WordScores), which keeps both guardrails well under a millisecond.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from erni_agents.guardrails import features, request, semantic

_LAYOUT = ("idf:u2", "jailbreak:i2", "relevance:i2")


@dataclass(frozen=True)
class Head:
    bias: float
    threshold: float


@dataclass(frozen=True)
class Logits:
    jailbreak: float
    relevance: float  # high = off-topic


@dataclass(frozen=True, eq=False)
class GuardrailModel:
    idf_sq: np.ndarray
    # Per head: coefficient * idf for the text blocks (a gather-and-sum gives the raw margin)
    # and the bare coefficient for the meta block, which is not idf-weighted.
    jb_idf: np.ndarray
    jb_raw: np.ndarray
    rel_idf: np.ndarray
    rel_raw: np.ndarray
    jailbreak: Head
    relevance: Head
    uncertain_band: float
    # The final-request rule (request.py) as calibrated at training time.
    final_request_min_words: int
    final_request_offset: float
    block_chars: float
    block_words: float
    block_meta: float
    # The word-meaning block of the relevance head (semantic.py).
    words: semantic.WordScores

    def logits(self, text: str) -> Logits:
        """Both heads; relevance also judges a long message's final request (see request.py)."""
        whole = self.whole_logits(text)
        part = request.final_request(text, self.final_request_min_words)
        part_logit = self.whole_logits(part).relevance if part else None
        rel = request.combine(whole.relevance, part_logit, self.final_request_offset)
        return Logits(whole.jailbreak, rel)

    def whole_logits(self, text: str) -> Logits:
        """Both heads on the whole message, without the final-request rule."""
        fs = features.extract(text)
        jb = self.jailbreak.bias
        rel = self.relevance.bias
        for block, scale in ((fs.chars, self.block_chars), (fs.words, self.block_words)):
            if not block:
                continue
            idx = np.asarray(block, dtype=np.intp)
            factor = scale / (math.sqrt(float(self.idf_sq[idx].sum())) or 1.0)
            jb += float(self.jb_idf[idx].sum()) * factor
            rel += float(self.rel_idf[idx].sum()) * factor
        meta = np.asarray(fs.meta, dtype=np.intp)
        jb += float(self.jb_raw[meta].sum()) * self.block_meta
        rel += float(self.rel_raw[meta].sum()) * self.block_meta
        rel += self.words.score(text)
        return Logits(jb, rel)


_FILES = ("meta.json", "weights.bin", "words.bin")


def _read_artifact(model_dir: Path | None) -> tuple[bytes, bytes, bytes]:
    base = model_dir if model_dir is not None else resources.files("erni_agents.guardrails") / "model"
    meta, weights, words = ((base / name).read_bytes() for name in _FILES)
    return meta, weights, words


def _word_scores(meta: dict[str, object], blob: bytes, scale: float) -> semantic.WordScores:
    raw = zlib.decompress(blob)
    n_words, n_bytes = (int(v) for v in np.frombuffer(raw, dtype="<u4", count=2))
    words = raw[8 : 8 + n_bytes].decode("utf-8").split("\n")
    scores = np.frombuffer(raw, dtype="<i2", count=n_words, offset=8 + n_bytes).astype(np.float64) * scale
    if len(words) != n_words or meta.get("words") != n_words:
        raise RuntimeError("guardrail artifact: words.bin does not match meta.json; rebuild it")
    return semantic.WordScores({w: i for i, w in enumerate(words)}, scores.tolist())


def _matches_code(meta: dict[str, object]) -> bool:
    sem = meta.get("semantic")
    return (
        meta.get("hash_bits") == features.HASH_BITS
        and tuple(meta.get("layout", ())) == _LAYOUT  # type: ignore[arg-type]
        and isinstance(sem, dict)
        and sem.get("stopwords") == sorted(semantic.STOPWORDS)
        and sem.get("compound_parts")
        == {"min_part": semantic.MIN_PART, "min_compound": semantic.MIN_COMPOUND}
    )


def _build(meta_raw: bytes, blob: bytes, words_blob: bytes) -> GuardrailModel:
    meta = json.loads(meta_raw)
    if not _matches_code(meta):
        raise RuntimeError("guardrail artifact does not match this code; rebuild it with guardrails.train")
    dim = 1 << int(meta["hash_bits"])
    raw = zlib.decompress(blob)
    idf = np.frombuffer(raw, dtype="<u2", count=dim, offset=0).astype(np.float64) / float(meta["idf_scale"])
    scale = float(meta["weight_scale"])
    w_jb = np.frombuffer(raw, dtype="<i2", count=dim, offset=2 * dim).astype(np.float64) * scale
    w_rel = np.frombuffer(raw, dtype="<i2", count=dim, offset=4 * dim).astype(np.float64) * scale
    blocks = meta["blocks"]
    return GuardrailModel(
        idf_sq=idf * idf,
        jb_idf=w_jb * idf,
        jb_raw=w_jb,
        rel_idf=w_rel * idf,
        rel_raw=w_rel,
        jailbreak=Head(float(meta["jailbreak"]["bias"]), float(meta["jailbreak"]["threshold"])),
        relevance=Head(float(meta["relevance"]["bias"]), float(meta["relevance"]["threshold"])),
        uncertain_band=float(meta["uncertain_band"]),
        final_request_min_words=int(meta["final_request"]["min_words"]),
        final_request_offset=float(meta["final_request"]["offset"]),
        block_chars=float(blocks["chars"]),
        block_words=float(blocks["words"]),
        block_meta=float(blocks["meta"]),
        words=_word_scores(meta["semantic"], words_blob, scale),
    )


def read_model(model_dir: Path | None = None) -> GuardrailModel:
    """Uncached load: the shipped artifact, or the one in `model_dir` (training-time evaluation)."""
    return _build(*_read_artifact(model_dir))


@lru_cache(maxsize=1)
def load_model() -> GuardrailModel:
    """The shipped artifact, loaded once per process."""
    return read_model()


@lru_cache(maxsize=2048)
def cached_logits(text: str) -> Logits:
    """Both heads for one message; cached because the two guardrails judge the same text."""
    return load_model().logits(text)
