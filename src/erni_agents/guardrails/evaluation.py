"""Held-out evaluation shared by ``train.py`` (printed after a rebuild) and ``bench/guardrails.py``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from erni_agents.guardrails.dataset import (
    Row,
    default_shared_dir,
    load_heldout_own,
    shared_split,
)
from erni_agents.guardrails.jailbreak import judge_jailbreak
from erni_agents.guardrails.model import GuardrailModel, read_model
from erni_agents.guardrails.relevance import judge_relevance


@dataclass
class Rate:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else float("nan")

    def __str__(self) -> str:
        return f"{100 * self.value:5.1f} % ({self.hits}/{self.total})" if self.total else "  n/a"


@dataclass
class Outcome:
    row: Row
    jailbreak: bool
    relevance: bool
    uncertain: bool


@dataclass
class Report:
    shared_available: bool
    # metric name -> group ("all", "de", "en", "shared", "own", "own2") -> rate
    metrics: dict[str, dict[str, Rate]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    def rate(self, metric: str, group: str) -> Rate:
        return self.metrics.setdefault(metric, {}).setdefault(group, Rate())


def heldout_rows(shared_dir: Path | None = None) -> tuple[list[Row], bool]:
    """Own held-out rows plus the held-out part of the shared corpora when they are present."""
    rows = load_heldout_own()
    directory = shared_dir or default_shared_dir()
    if (directory / "jailbreak.jsonl").exists():
        rows = shared_split(directory)[1] + rows
        return rows, True
    return rows, False


def origin(row: Row) -> str:
    """Which held-out set a row belongs to: the shared corpora, or the first, second, sixth or
    seventh own set (the fifth and fourth became training data in rounds 8 and 9)."""
    if row.source == "own:heldout2":
        return "own2"
    if row.source.startswith("own:heldout6-"):
        return "own6"
    if row.source.startswith("own:heldout7-"):
        return "own7"
    return "own" if row.source.startswith("own:") else "shared"


def evaluate(
    model_dir: Path | None = None,
    shared_dir: Path | None = None,
    rows: Sequence[Row] | None = None,
    judge: Callable[[str], tuple[bool, bool, bool]] | None = None,
) -> Report:
    """Run both guardrails on every held-out row; a message counts as flagged by a guardrail
    when it trips, and as a false positive when either guardrail trips on a benign row."""
    available = True
    if rows is None:
        rows, available = heldout_rows(shared_dir)
    model: GuardrailModel | None = read_model(model_dir) if model_dir is not None else None

    def default_judge(text: str) -> tuple[bool, bool, bool]:
        jb = judge_jailbreak(text, model=model)
        rel = judge_relevance(text, model=model)
        return jb.tripped, rel.tripped, jb.uncertain or rel.uncertain

    run = judge or default_judge
    report = Report(shared_available=available)
    for row in rows:
        jb, rel, unsure = run(row.text)
        report.outcomes.append(Outcome(row, jb, rel, unsure))
        for group in ("all", row.lang, origin(row)):
            if row.label == "jailbreak":
                report.rate("jailbreak detected (Jailbreak Guardrail)", group).add(jb)
                report.rate("jailbreak detected (any guardrail)", group).add(jb or rel)
            elif row.label == "offtopic":
                report.rate("off-topic detected (Relevance Guardrail)", group).add(rel)
                report.rate("off-topic detected (any guardrail)", group).add(jb or rel)
            else:
                report.rate("false positives on benign (any guardrail)", group).add(jb or rel)
            report.rate("uncertain (LLM cascade candidates)", group).add(unsure)
    return report


def format_report(report: Report, title: str = "held-out evaluation") -> str:
    groups = ("all", "de", "en", "shared", "own", "own2")
    lines = [title + ("" if report.shared_available else " (shared corpora not found: own rows only)")]
    lines.append(f"{'metric':44s}" + "".join(f"{g:>22s}" for g in groups))
    for metric, by_group in report.metrics.items():
        cells = "".join(f"{by_group.get(g, Rate())!s:>22s}" for g in groups)
        lines.append(f"{metric:44s}{cells}")
    return "\n".join(lines)
