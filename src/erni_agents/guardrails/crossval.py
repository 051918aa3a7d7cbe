"""Grouped cross-validation: the stand-in for "wording the training authors never wrote".

The held-out split may only be looked at in aggregate, and the dev split was written by the same
authors as the training data, so neither can tell whether a change generalises. Here rows are
grouped by where they came from (one hand-written batch, one template kind, one public data set);
each fold trains on the other groups and scores the held-back ones, so a test row never shares
its author batch or template with the rows the model learned from.

Reported per head: the detection rate at fixed false-positive rates on the fold's own benign rows.
That ranks models independently of the dev-calibrated threshold, which is what a modelling change
(features, regularisation, data) should be judged on before the one aggregate held-out run.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from erni_agents.guardrails import features, train
from erni_agents.guardrails.dataset import Row

FOLDS = 4
FP_LEVELS = (0.01, 0.02, 0.05)


def source_group(source: str) -> str:
    """The authoring unit of a row: augmented copies belong with the rows they were copied from,
    public data sets are one group each (their rows share an author and a style)."""
    if not source.startswith("own:"):
        return source.split(":", 1)[0].split("#", 1)[0]
    parts = source.split(":")
    if parts[1].startswith("augmented"):
        batch = parts[1].removeprefix("augmented")
        origin = parts[2] if len(parts) > 2 else "hand"
        return f"own:{origin}{batch}" if batch else f"own:{origin}"
    return source


def fold_of(group: str, folds: int = FOLDS) -> int:
    return zlib.crc32(group.encode("utf-8")) % folds


def detection_at_fp(benign_scores: np.ndarray, attack_scores: np.ndarray, fp: float) -> float:
    """Share of attack rows scored above the threshold that lets at most `fp` of benign rows trip."""
    if len(benign_scores) == 0 or len(attack_scores) == 0:
        return float("nan")
    ordered = np.sort(benign_scores)[::-1]
    threshold = ordered[min(len(ordered) - 1, math.floor(len(ordered) * fp))]
    return float(np.mean(attack_scores > threshold))


@dataclass(frozen=True)
class CrossvalResult:
    # head ("relevance", "jailbreak") -> FP level -> mean detection over folds that had both classes
    detection: dict[str, dict[float, float]]
    folds: int

    def format(self) -> str:
        lines = [f"grouped cross-validation ({self.folds} folds by source group): detection at benign FP"]
        header = "".join(f"{f'@{100 * fp:g} %':>10s}" for fp in FP_LEVELS)
        lines.append(f"{'head':12s}{header}")
        for head, by_fp in self.detection.items():
            lines.append(f"{head:12s}" + "".join(f"{100 * by_fp[fp]:9.1f}%" for fp in FP_LEVELS))
        return "\n".join(lines)


def _head_scores(
    train_rows: Sequence[Row], test_rows: Sequence[Row], positive: str, c: float
) -> tuple[np.ndarray, np.ndarray]:
    # The same features, weighting and learner as the shipped artifact (train.build_artifact).
    feats = [features.extract(r.text) for r in train_rows]
    idf = train.compute_idf(feats)
    y = np.array([r.label == positive for r in train_rows], dtype=np.int64)
    clf = train._fit(train._vectorize(feats, idf), y, c)
    scores = clf.decision_function(train._vectorize([features.extract(r.text) for r in test_rows], idf))
    labels = np.array([r.label for r in test_rows])
    return scores[labels == "benign"], scores[labels == positive]


def crossval(rows: Sequence[Row], folds: int = FOLDS) -> CrossvalResult:
    heads = {
        # Relevance is trained without jailbreak rows, as in build_artifact.
        "relevance": ("offtopic", train.C_RELEVANCE, ("benign", "offtopic")),
        "jailbreak": ("jailbreak", train.C_JAILBREAK, ("benign", "offtopic", "jailbreak")),
    }
    fold = [fold_of(source_group(r.source), folds) for r in rows]
    detection: dict[str, dict[float, float]] = {}
    for head, (positive, c, train_labels) in heads.items():
        per_fold: list[list[float]] = []
        test_labels = ("benign", positive)
        for k in range(folds):
            train_rows = [r for r, f in zip(rows, fold, strict=True) if f != k and r.label in train_labels]
            test_rows = [r for r, f in zip(rows, fold, strict=True) if f == k and r.label in test_labels]
            if len({r.label for r in train_rows}) < 2:
                continue
            benign, attacks = _head_scores(train_rows, test_rows, positive, c)
            if len(benign) and len(attacks):
                per_fold.append([detection_at_fp(benign, attacks, fp) for fp in FP_LEVELS])
        means = np.mean(per_fold, axis=0) if per_fold else np.full(len(FP_LEVELS), np.nan)
        detection[head] = {fp: float(v) for fp, v in zip(FP_LEVELS, means, strict=True)}
    return CrossvalResult(detection, folds)
