"""The artifact is small, loads through importlib.resources, matches the data in the repo,
rebuilds byte-identically on one machine and to within BLAS noise on another."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from erni_agents.guardrails import dataset, train
from erni_agents.guardrails.model import load_model, read_model

MODEL_DIR = resources.files("erni_agents.guardrails") / "model"


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _near_duplicates(rows: list[dataset.Row], protected: list[str]) -> list[str]:
    """Texts of `rows` with rapidfuzz ratio >= 90 to a `protected` key."""
    from rapidfuzz import fuzz, process

    return [
        r.text
        for r in rows
        if process.extractOne(_key(r.text), protected, scorer=fuzz.ratio, score_cutoff=90) is not None
    ]


ARTIFACT_FILES = ("meta.json", "weights.bin", "words.bin")


def test_artifact_is_small_and_loads() -> None:
    size = sum(Path(str(MODEL_DIR / name)).stat().st_size for name in ARTIFACT_FILES)
    assert size < 2 * 1024 * 1024
    model = load_model()
    assert model.idf_sq.shape[0] == 1 << json.loads((MODEL_DIR / "meta.json").read_text())["hash_bits"]


def test_artifact_matches_training_data_in_repo() -> None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text())
    rows = dataset.load_training_rows()
    assert meta["training_data_sha256"] == train._data_fingerprint(rows), (
        "rebuild: python -m erni_agents.guardrails.train"
    )
    assert meta["dev_data_sha256"] == train._data_fingerprint(dataset.load_dev())


def test_no_heldout_or_eval_only_rows_in_training() -> None:
    rows = dataset.load_training_rows()
    train_keys = {_key(r.text) for r in rows}
    held = (
        dataset.load_heldout_own()
        + dataset.load_heldout_own6()
        + dataset.load_heldout_own7()
        + dataset.load_dev()
    )
    assert not train_keys & {_key(r.text) for r in held}
    assert not any(dataset.is_eval_only(r.source) for r in rows)
    shared = dataset.default_shared_dir()
    if (shared / "jailbreak.jsonl").exists():
        _, heldout = dataset.shared_split(shared)
        assert not train_keys & {_key(r.text) for r in heldout}


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    # Two builds of a fixed subset: determinism itself; the full build is checked below.
    rows = dataset.load_training_rows()[::6]
    dev = dataset.load_dev()[::4]
    a, b = tmp_path / "a", tmp_path / "b"
    train.build_artifact(rows, a, dev)
    train.build_artifact(rows, b, dev)
    for name in ARTIFACT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_full_rebuild_reproduces_shipped_artifact(tmp_path: Path) -> None:
    """Same data, same artifact. liblinear's solver calls OpenBLAS, whose kernels differ by CPU, so
    on another machine the last bits of a weight can move and, rarely, cross a rounding boundary of
    the int16 quantisation (seen: 1 of 786,432 values, by one step). Everything else must match."""
    train.build_artifact(dataset.load_training_rows(), tmp_path, dataset.load_dev())
    built = json.loads((tmp_path / "meta.json").read_text())
    shipped = json.loads((MODEL_DIR / "meta.json").read_text())

    def stable(meta: dict[str, object]) -> dict[str, object]:
        semantic = {k: v for k, v in meta["semantic"].items() if k != "words_sha256"}  # type: ignore[union-attr]
        return {**{k: v for k, v in meta.items() if k != "weights_sha256"}, "semantic": semantic}

    assert stable(built) == stable(shipped)
    new = np.frombuffer(zlib.decompress((tmp_path / "weights.bin").read_bytes()), dtype="<i2")
    old = np.frombuffer(zlib.decompress((MODEL_DIR / "weights.bin").read_bytes()), dtype="<i2")
    assert new.shape == old.shape
    dim = 1 << int(shipped["hash_bits"])
    assert np.array_equal(new[:dim], old[:dim]), "idf block must be identical"
    diff = np.abs(new.astype(np.int32) - old.astype(np.int32))
    assert int(diff.max()) <= 1
    assert int(np.count_nonzero(diff)) <= 8
    # The per-word scores: same dictionary in the same order, scores within one quantisation step.
    new_words, old_words = read_model(tmp_path).words, load_model().words
    assert list(new_words.index) == list(old_words.index)
    steps = np.abs(np.subtract(new_words.scores, old_words.scores)) / train.WEIGHT_SCALE
    assert len(new_words.scores) == len(old_words.scores) == shipped["semantic"]["words"]
    assert float(steps.max()) <= 1 + 1e-9


def test_second_heldout_set_is_registered_and_never_trained_on() -> None:
    own2 = [r for r in dataset.load_heldout_own() if r.source == "own:heldout2"]
    labels = {r.label for r in own2}
    assert labels == {"benign", "offtopic", "jailbreak"}
    assert {r.lang for r in own2 if r.label == "benign"} == {"de", "en"}
    names = set(dataset.TRAIN_FILES) | set(dataset.DEV_FILES)
    assert not names & set(dataset.HELDOUT_OWN2_FILES)
    assert not any(r.source == "own:heldout2" for r in dataset.load_training_rows() + dataset.load_dev())


@pytest.mark.parametrize(
    ("load", "files", "prefix"),
    [
        (dataset.load_heldout_own6, dataset.HELDOUT_OWN6_FILES, "own:heldout6-"),
        (dataset.load_heldout_own7, dataset.HELDOUT_OWN7_FILES, "own:heldout7-"),
    ],
)
def test_independent_authors_sets_are_unseen_wording(
    load: Callable[[], list[dataset.Row]], files: tuple[str, ...], prefix: str
) -> None:
    """Parts 6 (round 8) and 7 (round 9) measure wording the model never learned from: eight authors
    each, no row of them is in, or a near-duplicate (rapidfuzz ratio >= 90) of, a training or dev
    row, and they are never loaded for training or calibration."""
    rows = load()
    assert {r.label for r in rows} == {"benign", "offtopic"}
    assert {r.lang for r in rows} == {"de", "en"}
    assert all(r.source.startswith(prefix) for r in rows)
    assert len({r.source for r in rows}) == 8
    names = set(dataset.TRAIN_FILES) | set(dataset.DEV_FILES)
    assert not names & set(files)
    seen = [_key(r.text) for r in dataset.load_training_rows() + dataset.load_dev()]
    near = _near_duplicates(rows, seen)
    assert not near, near[:5]


def test_new_training_rows_are_no_near_duplicates_of_heldout_or_dev() -> None:
    """Rows added since the second data batch (own2_* to own10_*) were filtered against held-out
    and dev with rapidfuzz ratio > 90; this keeps it so when the files are edited. (Dev rows are
    trained on too, but their calibration scores must come from models that never saw them.)"""
    protected = [
        _key(r.text)
        for r in dataset.load_heldout_own()
        + dataset.load_heldout_own6()
        + dataset.load_heldout_own7()
        + dataset.load_dev()
    ]
    shared = dataset.default_shared_dir()
    if (shared / "jailbreak.jsonl").exists():
        protected += [_key(r.text) for r in dataset.shared_split(shared)[1]]
    new_rows = [
        r
        for r in dataset.load_training_rows()
        if r.source.startswith(
            (
                "own:hand2",
                "own:hand3",
                "own:hand4",
                "own:hand5",
                "own:hand6",
                "own:hand7",
                "own:template2",
                "own:template3",
                "own:template5",
                "own:template6",
                "own:augmented2",
                "own:hand8",
                "own:template8",
                "own:augmented8",
                "own:relabel4",
                "own:hand9",
                "own:hand10",
                "own:hand11",
                "own:hand12",
                "own:hand13",
                "own:hand14",
                "own:hand15",
            )
        )
    ]
    assert new_rows
    near = _near_duplicates(new_rows, protected)
    assert not near, near


def test_dev_rows_are_trained_on_and_calibrated_out_of_fold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped heads learn from training and dev rows; each threshold comes from dev scores of
    models fitted without the scored fold: DEV_FOLDS pairs of fold heads, then the final pair."""
    rows = dataset.load_training_rows()[::20]
    dev = dataset.load_dev()[::10]
    fitted_sizes: list[int] = []
    real_fit = train._fit

    def recording_fit(x: object, y: np.ndarray, c: float) -> object:
        fitted_sizes.append(len(y))
        return real_fit(x, y, c)  # type: ignore[arg-type]

    monkeypatch.setattr(train, "_fit", recording_fit)
    meta = train.build_artifact(rows, tmp_path, dev)

    def sizes(subset: list[dataset.Row]) -> list[int]:
        return [sum(r.label != "offtopic" for r in subset), sum(r.label != "jailbreak" for r in subset)]

    expected: list[int] = []
    for k in range(train.DEV_FOLDS):
        expected += sizes(rows + [r for r in dev if train.dev_fold(r.text) != k])
    expected += sizes(rows + dev)
    assert fitted_sizes == expected
    assert meta["dev_folds"] == train.DEV_FOLDS
    assert {train.dev_fold(r.text) for r in dev} == set(range(train.DEV_FOLDS))


def test_build_without_dev_keeps_the_natural_threshold(tmp_path: Path) -> None:
    meta = train.build_artifact(dataset.load_training_rows()[::20], tmp_path)
    assert meta["dev_folds"] == 0
    assert meta["relevance"]["threshold"] == meta["jailbreak"]["threshold"] == 0.0  # type: ignore[index]
