"""Rebuild the guardrail classifier artifact: ``python -m erni_agents.guardrails.train``.

Deterministic: fixed seeds, single-threaded liblinear, sorted JSON and a hand-written binary
layout (no zip timestamps), so the same data gives a byte-identical artifact.

``--crossval`` prints the grouped cross-validation (``crossval.py``) of the training data instead
of building, ``--loao`` the leave-one-author-out; judge data and modelling changes on them before
the one aggregate held-out run.

``--import-shared DIR`` refreshes ``data/shared_train.jsonl`` from the shared corpora, keeping
only rows whose licence allows shipping and that fall outside the fixed held-out split.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from erni_agents.guardrails import features, request, semantic, wordvec
from erni_agents.guardrails.dataset import (
    Row,
    data_dir,
    default_shared_dir,
    load_dev,
    load_training_rows,
    shared_split,
    write_rows,
)

ARTIFACT_VERSION = 1
SEED = 20240611
C_JAILBREAK = 16.0
C_RELEVANCE = 16.0
# Thresholds are calibrated on the own dev set: at most this share of its on-topic messages may
# trip each head, judged by models that were not trained on them; all remaining margin goes to
# detection.
DEV_FP = 0.01
# The dev set is trained on as well; its calibration scores are cross-fitted over this many folds.
DEV_FOLDS = 2
# Logit distance around the threshold that counts as "uncertain" (LLM cascade candidates).
UNCERTAIN_BAND = 1.0
WEIGHT_SCALE = 2**-10  # int16 quantisation step for the shipped weights
IDF_SCALE = 256
# Block scales: each block is L2-normalised, then scaled (see features.py for the blocks).
BLOCK_CHARS = 0.75
BLOCK_WORDS = 0.75
BLOCK_META = 0.5
# Scale of the word-meaning block (semantic.py), which only the relevance head sees: the mean of
# the message's centred unit word vectors, not normalised again (its length says how much the
# words agree). Chosen on the grouped cross-validation (docs/GUARDRAILS.md, round 9).
BLOCK_SEMANTIC = 1.0

MODEL_DIR_DEFAULT = Path(__file__).resolve().parent / "model"


@dataclass(frozen=True)
class TrainedHead:
    weights: np.ndarray  # float64[DIM] coefficients over idf-weighted, L2-normalised features
    bias: float
    threshold: float  # on the logit scale


# Texts -> the relevance head's input rows (hashed features plus the word-meaning block).
Vectorizer = Callable[[Sequence[str]], sparse.csr_matrix]


@dataclass(frozen=True)
class WordMeaning:
    """The dictionary and its encoder vectors (wordvec.py), loaded once per build."""

    words: list[str]
    index: dict[str, int]
    vectors: np.ndarray

    @classmethod
    @functools.cache
    def load(cls) -> WordMeaning:
        """Once per process: the dictionary and its vectors take seconds to load (read-only)."""
        words = wordvec.dictionary()
        return cls(words, {w: i for i, w in enumerate(words)}, wordvec.vectors(words))

    def block(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(BLOCK_SEMANTIC * wordvec.mean_vectors(texts, self.index, self.vectors))

    @staticmethod
    def relevance_rows(x: sparse.csr_matrix, block: sparse.csr_matrix) -> sparse.csr_matrix:
        """Hashed rows `x` with the same texts' word-meaning `block` (see `block`) appended."""
        return sparse.hstack([x, block], format="csr")

    def vectorizer(self, idf: np.ndarray) -> Vectorizer:
        def rows(texts: Sequence[str]) -> sparse.csr_matrix:
            x = _vectorize([features.extract(t) for t in texts], idf)
            return self.relevance_rows(x, self.block(texts))

        return rows

    def word_scores(self, clf: LogisticRegression) -> np.ndarray:
        """Each dictionary word's contribution to the relevance logit (semantic.WordScores): the
        head is linear in the mean word vector, so the mean of these equals the block's term."""
        return BLOCK_SEMANTIC * (self.vectors @ clf.coef_[0][features.DIM :])


def _vectorize(feature_sets: Sequence[features.FeatureSet], idf: np.ndarray) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for fs in feature_sets:
        for block, scale in ((fs.chars, BLOCK_CHARS), (fs.words, BLOCK_WORDS)):
            vals = idf[list(block)]
            norm = math.sqrt(float(np.dot(vals, vals))) or 1.0
            indices.extend(block)
            data.extend((vals * (scale / norm)).tolist())
        indices.extend(fs.meta)
        data.extend([BLOCK_META] * len(fs.meta))
        indptr.append(len(indices))
    x = sparse.csr_matrix(
        (np.asarray(data), np.asarray(indices), np.asarray(indptr)), shape=(len(feature_sets), features.DIM)
    )
    x.sum_duplicates()
    return x


def compute_idf(feature_sets: Sequence[features.FeatureSet]) -> np.ndarray:
    df = np.zeros(features.DIM, dtype=np.float64)
    for fs in feature_sets:
        df[list(set(fs.chars) | set(fs.words))] += 1.0
    n = len(feature_sets)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    # Train on exactly the values the artifact will hold, so inference reproduces training.
    return np.round(idf * IDF_SCALE) / IDF_SCALE


def _fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    clf = LogisticRegression(
        C=c, solver="liblinear", class_weight="balanced", random_state=SEED, max_iter=2000, tol=1e-6
    )
    clf.fit(x, y)
    return clf


def benign_quantile(benign_scores: np.ndarray, fp: float) -> float:
    """The score that at most `fp` of the benign scores exceed (0 <= fp < 1, scores non-empty)."""
    ordered = np.sort(benign_scores)[::-1]
    return float(ordered[min(len(ordered) - 1, math.floor(len(ordered) * fp))])


def _pick_threshold(dev_benign_logits: np.ndarray) -> float:
    """Lowest threshold at which at most DEV_FP of the dev set's on-topic messages trip."""
    if len(dev_benign_logits) == 0:
        return 0.0
    threshold = benign_quantile(dev_benign_logits, DEV_FP) + 1e-6
    # Never below 0 (the 50 % point of the class-balanced model): a lower threshold would buy
    # recall with false positives on phrasing the dev set does not contain.
    return max(threshold, 0.0)


def decision(clf: LogisticRegression, x: sparse.csr_matrix) -> np.ndarray:
    """Raw logits of the rows of `x` under one trained head (empty for no rows)."""
    return np.asarray(clf.decision_function(x)) if x.shape[0] else np.zeros(0)


def relevance_scores(
    clf: LogisticRegression, x: sparse.csr_matrix, texts: Sequence[str], vectorize: Vectorizer
) -> np.ndarray:
    """Off-topic logits as the shipped model computes them: the whole message (`x`, the relevance
    rows of `texts`), and a long message's final request (request.py), so that calibration sees
    what inference does."""
    scores = decision(clf, x)
    parts = [(i, part) for i, text in enumerate(texts) if (part := request.final_request(text))]
    part_scores = decision(clf, vectorize([part for _, part in parts]))
    for (i, _), part_score in zip(parts, part_scores, strict=True):
        scores[i] = request.combine(float(scores[i]), float(part_score))
    return scores


def _head(clf: LogisticRegression, dev_benign_scores: np.ndarray) -> TrainedHead:
    return TrainedHead(
        clf.coef_[0][: features.DIM].astype(np.float64),
        float(clf.intercept_[0]),
        _pick_threshold(dev_benign_scores),
    )


def _quantize(w: np.ndarray) -> np.ndarray:
    return np.clip(np.round(w / WEIGHT_SCALE), -32767, 32767).astype("<i2")


def _pack(arrays: list[np.ndarray]) -> bytes:
    payload = b"".join(a.tobytes() for a in arrays)
    # zlib output depends only on input and level, unlike zip containers with timestamps.
    return zlib.compress(payload, 9)


def _pack_words(words: Sequence[str], scores: np.ndarray) -> bytes:
    """words.bin: the dictionary as UTF-8 lines, then one int16 score per word (WEIGHT_SCALE)."""
    vocab = "\n".join(words).encode("utf-8")
    header = np.array([len(words), len(vocab)], dtype="<u4").tobytes()
    return zlib.compress(header + vocab + _quantize(scores).tobytes(), 9)


def _data_fingerprint(rows: Sequence[Row]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(row.to_json().encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


# Head -> (the label it detects, the label it does not learn from). Off-topic rows are blocked by
# the Relevance Guardrail anyway, so they are not the jailbreak head's negatives: instruction-shaped
# off-topic tasks ("Summarise this text: …") would teach it that an instruction plus input is
# harmless, which is what injections look like.
HEADS = {"jailbreak": ("jailbreak", "offtopic"), "relevance": ("offtopic", "jailbreak")}


def head_rows(labels: np.ndarray, head: str) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the rows `head` learns from, and its 0/1 targets for them."""
    positive, left_out = HEADS[head]
    idx = np.flatnonzero(labels != left_out)
    return idx, (labels[idx] == positive).astype(np.int64)


def _fit_heads(
    x: sparse.csr_matrix, x_rel: sparse.csr_matrix, labels: np.ndarray
) -> tuple[LogisticRegression, LogisticRegression]:
    """The jailbreak head on the hashed rows `x`, the relevance head on `x_rel` (the same rows with
    the word-meaning block), each on the rows it learns from."""
    jb_idx, jb_y = head_rows(labels, "jailbreak")
    rel_idx, rel_y = head_rows(labels, "relevance")
    return _fit(x[jb_idx], jb_y, C_JAILBREAK), _fit(x_rel[rel_idx], rel_y, C_RELEVANCE)


def dev_fold(text: str) -> int:
    """The cross-fitting fold of a dev row: fixed by its text, independent of file order."""
    return zlib.crc32(text.encode("utf-8")) % DEV_FOLDS


def _cross_fitted_benign_scores(
    x: sparse.csr_matrix,
    x_rel: sparse.csr_matrix,
    labels: np.ndarray,
    n_train: int,
    dev: Sequence[Row],
    vectorize: Vectorizer,
) -> tuple[np.ndarray, np.ndarray]:
    """Jailbreak and off-topic logits of every benign dev row, each scored by heads trained on the
    training rows plus the other folds' dev rows: scores of rows the scoring model never saw."""
    folds = np.array([dev_fold(r.text) for r in dev], dtype=np.int64)
    jb_scores: list[np.ndarray] = []
    rel_scores: list[np.ndarray] = []
    for k in range(DEV_FOLDS):
        fit = np.concatenate([np.arange(n_train), n_train + np.flatnonzero(folds != k)])
        jb_clf, rel_clf = _fit_heads(x[fit], x_rel[fit], labels[fit])
        benign = [n_train + i for i, r in enumerate(dev) if folds[i] == k and r.label == "benign"]
        jb_scores.append(decision(jb_clf, x[benign]))
        texts = [dev[i - n_train].text for i in benign]
        rel_scores.append(relevance_scores(rel_clf, x_rel[benign], texts, vectorize))
    return np.concatenate(jb_scores), np.concatenate(rel_scores)


def build_artifact(rows: Sequence[Row], out_dir: Path, dev: Sequence[Row] = ()) -> dict[str, object]:
    """Train both heads on `rows` and `dev`; calibrate their thresholds on cross-fitted dev scores.

    The dev rows are the newest and hardest authors' wording, so the shipped heads learn from
    them too; the threshold still comes only from scores of dev rows the scoring model had not
    been trained on (DEV_FOLDS models, each without one fold of dev)."""
    fitted = [*rows, *dev]
    # Feature extraction is the slow part; do it once per text and reuse it for every fit.
    feats = [features.extract(r.text) for r in fitted]
    idf = compute_idf(feats)
    x_all = _vectorize(feats, idf)
    meaning = WordMeaning.load()
    x_rel = meaning.relevance_rows(x_all, meaning.block([r.text for r in fitted]))
    labels = np.array([r.label for r in fitted])
    if dev:
        vectorize = meaning.vectorizer(idf)
        jb_dev, rel_dev = _cross_fitted_benign_scores(x_all, x_rel, labels, len(rows), dev, vectorize)
    else:
        jb_dev = rel_dev = np.zeros(0)
    jb_clf, rel_clf = _fit_heads(x_all, x_rel, labels)
    jb = _head(jb_clf, jb_dev)
    rel = _head(rel_clf, rel_dev)
    words_blob = _pack_words(meaning.words, meaning.word_scores(rel_clf))

    idf_q = np.round(idf * IDF_SCALE).astype("<u2")
    arrays = [idf_q, _quantize(jb.weights), _quantize(rel.weights)]
    blob = _pack(arrays)

    meta: dict[str, object] = {
        "version": ARTIFACT_VERSION,
        "hash_bits": features.HASH_BITS,
        "char_ngrams": list(features.CHAR_NGRAMS),
        "weight_scale": WEIGHT_SCALE,
        "idf_scale": IDF_SCALE,
        "layout": ["idf:u2", "jailbreak:i2", "relevance:i2"],
        "jailbreak": {"bias": round(jb.bias, 6), "threshold": round(jb.threshold, 6)},
        "relevance": {"bias": round(rel.bias, 6), "threshold": round(rel.threshold, 6)},
        "uncertain_band": UNCERTAIN_BAND,
        "final_request": {"min_words": request.MIN_WORDS, "offset": request.FINAL_REQUEST_OFFSET},
        "blocks": {"chars": BLOCK_CHARS, "words": BLOCK_WORDS, "meta": BLOCK_META},
        "training_rows": len(rows),
        "training_counts": {
            lab: sum(r.label == lab for r in rows) for lab in ("benign", "offtopic", "jailbreak")
        },
        "training_data_sha256": _data_fingerprint(rows),
        "dev_rows": len(dev),
        "dev_folds": DEV_FOLDS if dev else 0,
        "dev_data_sha256": _data_fingerprint(dev),
        "weights_sha256": hashlib.sha256(blob).hexdigest(),
        "semantic": {
            "scale": BLOCK_SEMANTIC,
            "words": len(meaning.words),
            "layout": ["counts:u4x2", "vocab:utf8-lines", "scores:i2"],
            "stopwords": sorted(semantic.STOPWORDS),
            "compound_parts": {"min_part": semantic.MIN_PART, "min_compound": semantic.MIN_COMPOUND},
            **wordvec.provenance(),
            "words_sha256": hashlib.sha256(words_blob).hexdigest(),
        },
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "weights.bin").write_bytes(blob)
    (out_dir / "words.bin").write_bytes(words_blob)
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def import_shared(shared: Path, directory: Path | None = None) -> int:
    train_rows, _ = shared_split(shared)
    write_rows((directory or data_dir()) / "shared_train.jsonl", train_rows)
    return len(train_rows)


def _print_heldout(model_dir: Path) -> None:
    # Imported lazily: the evaluation helpers load the artifact that was just written.
    from erni_agents.guardrails.evaluation import evaluate, format_report

    print(format_report(evaluate(model_dir=model_dir)))


def _print_loao(prefix: str, data: Path | None) -> int:
    # Imported lazily: crossval imports this module for the learner and the feature weighting.
    from erni_agents.guardrails.crossval import author_of, leave_one_author_out, summarise

    rows = load_training_rows(data)
    authors = sorted({a for r in rows if r.source.startswith(prefix) and (a := author_of(r.source))})
    if not authors:
        print(f"no authors with training rows under {prefix!r}")
        return 1
    outcomes = leave_one_author_out(rows, load_dev(data), authors)
    for outcome in outcomes:
        print(
            f"{outcome.author:24s} "
            + "  ".join(f"{name} {rate}" for name, rate in summarise([outcome]).items() if rate.total)
        )
    print(f"leave-one-author-out over {len(authors)} authors ({prefix}*):")
    for name, rate in summarise(outcomes).items():
        print(f"  {name:20s} {rate}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR_DEFAULT, help="artifact directory")
    parser.add_argument("--data", type=Path, default=None, help="training data directory")
    parser.add_argument("--import-shared", type=Path, nargs="?", const=default_shared_dir(), default=None)
    parser.add_argument("--no-eval", action="store_true", help="skip the held-out report")
    parser.add_argument(
        "--crossval", action="store_true", help="print the grouped cross-validation instead of building"
    )
    parser.add_argument(
        "--loao",
        metavar="PREFIX",
        nargs="?",
        const="own:hand9-",
        default=None,
        help="print leave-one-author-out over the authors whose training rows' source starts with "
        "PREFIX (default: the 32 round-6 authors) instead of building",
    )
    args = parser.parse_args(argv)

    if args.loao is not None:
        return _print_loao(args.loao, args.data)

    if args.crossval:
        # Imported lazily: crossval imports this module for the learner and the feature weighting.
        from erni_agents.guardrails.crossval import crossval

        print(crossval(load_training_rows(args.data)).format())
        return 0

    if args.import_shared is not None:
        n = import_shared(args.import_shared, args.data)
        print(f"imported {n} shippable training rows from {args.import_shared}")

    rows = load_training_rows(args.data)
    meta = build_artifact(rows, args.out, load_dev(args.data))
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"artifact: {args.out} ({size / 1024:.0f} KiB), {meta['training_rows']} training rows")
    print(f"thresholds (logit): jailbreak {meta['jailbreak']}, relevance {meta['relevance']}")
    if not args.no_eval:
        _print_heldout(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
