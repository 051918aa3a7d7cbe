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
    return float(np.mean(attack_scores > train.benign_quantile(benign_scores, fp)))


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


def crossval(rows: Sequence[Row], folds: int = FOLDS) -> CrossvalResult:
    # head -> (positive label, C, labels it trains on); as in train.build_artifact: relevance
    # without the jailbreak rows, jailbreak without the off-topic rows, one idf over all training
    # rows, relevance scored with the final-request rule. C is read at call time, so an
    # experiment can set train.C_* first.
    heads: dict[str, tuple[str, float, tuple[str, ...]]] = {
        "relevance": ("offtopic", train.C_RELEVANCE, ("benign", "offtopic")),
        "jailbreak": ("jailbreak", train.C_JAILBREAK, ("benign", "jailbreak")),
    }
    feats = [features.extract(r.text) for r in rows]
    labels = np.array([r.label for r in rows])
    fold = np.array([fold_of(source_group(r.source), folds) for r in rows])
    per_fold: dict[str, list[list[float]]] = {head: [] for head in heads}
    for k in range(folds):
        train_idx, test_idx = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        # The same features, weighting and learner as the shipped artifact.
        idf = train.compute_idf([feats[i] for i in train_idx])
        x_train = train._vectorize([feats[i] for i in train_idx], idf)
        x_test = train._vectorize([feats[i] for i in test_idx], idf)
        test_texts = [rows[int(i)].text for i in test_idx]
        for head, (positive, c, train_labels) in heads.items():
            fit_rows = np.isin(labels[train_idx], train_labels)
            y = labels[train_idx][fit_rows] == positive
            if y.all() or not y.any():
                continue
            clf = train._fit(x_train[fit_rows], y.astype(np.int64), c)
            if head == "relevance":
                scores = train.relevance_scores(clf, x_test, test_texts, idf)
            else:
                scores = train.decision(clf, x_test)
            benign = scores[labels[test_idx] == "benign"]
            attacks = scores[labels[test_idx] == positive]
            if len(benign) and len(attacks):
                per_fold[head].append([detection_at_fp(benign, attacks, fp) for fp in FP_LEVELS])
    detection: dict[str, dict[float, float]] = {}
    for head, results in per_fold.items():
        means = np.mean(results, axis=0) if results else np.full(len(FP_LEVELS), np.nan)
        detection[head] = {fp: float(v) for fp, v in zip(FP_LEVELS, means, strict=True)}
    return CrossvalResult(detection, folds)
