"""Grouped cross-validation: the stand-in for "wording the training authors never wrote".

The held-out split may only be looked at in aggregate, and the dev split was written by the same
authors as the training data, so neither can tell whether a change generalises. Here rows are
grouped by where they came from (one hand-written batch, one template kind, one public data set);
each fold trains on the other groups and scores the held-back ones, so a test row never shares
its author batch or template with the rows the model learned from.

Reported per head: the detection rate at fixed false-positive rates on the fold's own benign rows.
That ranks models independently of the dev-calibrated threshold, which is what a modelling change
(features, regularisation, data) should be judged on before the one aggregate held-out run.

Leave-one-author-out (``leave_one_author_out``) is the second stand-in: for each separately
briefed author, the full artifact is built without that author, thresholds included, and judges
all of the author's rows as the product would.
"""

from __future__ import annotations

import re
import tempfile
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from erni_agents.guardrails import features, train
from erni_agents.guardrails.dataset import Row
from erni_agents.guardrails.evaluation import Rate, Report, evaluate

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
    # As in train.build_artifact: each head on the rows train.head_rows gives it, one idf over all
    # training rows, relevance scored with the final-request rule. C is read at call time, so an
    # experiment can set train.C_* first.
    heads = {"relevance": train.C_RELEVANCE, "jailbreak": train.C_JAILBREAK}
    feats = [features.extract(r.text) for r in rows]
    texts = [r.text for r in rows]
    meaning = train.WordMeaning.load()
    meaning_block = meaning.block(texts)
    labels = np.array([r.label for r in rows])
    fold = np.array([fold_of(source_group(r.source), folds) for r in rows])
    per_fold: dict[str, list[list[float]]] = {head: [] for head in heads}
    for k in range(folds):
        train_idx, test_idx = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        # The same features, weighting and learner as the shipped artifact.
        idf = train.compute_idf([feats[i] for i in train_idx])
        x_train = train._vectorize([feats[i] for i in train_idx], idf)
        x_test = train._vectorize([feats[i] for i in test_idx], idf)
        test_texts = [texts[int(i)] for i in test_idx]
        for head, c in heads.items():
            fit_rows, y = train.head_rows(labels[train_idx], head)
            if y.all() or not y.any():
                continue
            if head == "relevance":
                # The relevance head also sees the word-meaning block (semantic.py).
                x_fit = meaning.relevance_rows(x_train, meaning_block[train_idx])
                clf = train._fit(x_fit[fit_rows], y, c)
                x_rel = meaning.relevance_rows(x_test, meaning_block[test_idx])
                scores = train.relevance_scores(clf, x_rel, test_texts, meaning.vectorizer(idf))
            else:
                clf = train._fit(x_train[fit_rows], y, c)
                scores = train.decision(clf, x_test)
            benign = scores[labels[test_idx] == "benign"]
            attacks = scores[labels[test_idx] == train.HEADS[head][0]]
            if len(benign) and len(attacks):
                per_fold[head].append([detection_at_fp(benign, attacks, fp) for fp in FP_LEVELS])
    detection: dict[str, dict[float, float]] = {}
    for head, results in per_fold.items():
        means = np.mean(results, axis=0) if results else np.full(len(FP_LEVELS), np.nan)
        detection[head] = {fp: float(v) for fp, v in zip(FP_LEVELS, means, strict=True)}
    return CrossvalResult(detection, folds)


# Rows written by the separately briefed authors of rounds 6 and 7 carry their author in the
# source: "own:hand9-<style>" (training) and "own:dev4-<style>" (dev), and so on per wave.
_AUTHOR = re.compile(r"^own:(?:hand(?:9|1[0-9])|dev[4-9])-(?P<author>[a-z0-9-]+)$")


def author_of(source: str) -> str | None:
    """The separately briefed author of a row, or None for rows without one."""
    match = _AUTHOR.match(source)
    return match["author"] if match else None


@dataclass(frozen=True)
class AuthorOutcome:
    author: str
    report: Report


def _leave_out(author: str, rows: Sequence[Row], dev: Sequence[Row], work_dir: Path) -> AuthorOutcome:
    keep = [r for r in rows if author_of(r.source) != author]
    keep_dev = [r for r in dev if author_of(r.source) != author]
    scored = [r for r in (*rows, *dev) if author_of(r.source) == author]
    model_dir = work_dir / author
    train.build_artifact(keep, model_dir, keep_dev)
    return AuthorOutcome(author, evaluate(model_dir=model_dir, rows=scored))


def leave_one_author_out(
    rows: Sequence[Row], dev: Sequence[Row], authors: Sequence[str], workers: int = 2
) -> list[AuthorOutcome]:
    """For each author: build the full artifact (thresholds calibrated on dev) without any of
    that author's rows, then judge all of them (training and dev rows) with both guardrails,
    rules included. The closest offline measure of "a customer the model never learned from"."""
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(_leave_out, a, rows, dev, Path(tmp)) for a in authors]
        return [f.result() for f in futures]


# Short name -> the evaluation metric it pools.
_POOLED = {
    "false positives": "false positives on benign (any guardrail)",
    "off-topic detected": "off-topic detected (Relevance Guardrail)",
    "jailbreak detected": "jailbreak detected (Jailbreak Guardrail)",
}


def summarise(outcomes: Sequence[AuthorOutcome]) -> dict[str, Rate]:
    """Pooled rates over all left-out authors: benign false positives, off-topic detection
    (Relevance) and jailbreak detection (Jailbreak Guardrail), summed from each report."""
    pooled = {name: Rate() for name in _POOLED}
    for outcome in outcomes:
        for name, metric in _POOLED.items():
            rate = outcome.report.metrics.get(metric, {}).get("all", Rate())
            pooled[name].hits += rate.hits
            pooled[name].total += rate.total
    return pooled
