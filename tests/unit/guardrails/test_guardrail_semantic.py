"""The word-meaning block (semantic.py): word selection, compound splitting, per-word scores, and
that the shipped scores carry meaning to words no training or dev row contains."""

from __future__ import annotations

import re

import numpy as np
import pytest

from erni_agents.guardrails import dataset, semantic, train, wordvec
from erni_agents.guardrails.model import load_model

INDEX = {"blatt": 0, "laeuse": 1, "läuse": 2, "mond": 3, "finsternis": 4, "haus": 5, "aphids": 6}


def test_content_words_are_lower_case_letters_without_function_words() -> None:
    assert semantic.content_words("Wie bekämpfe ich die Läuse im Garten? 3x!") == [
        "wie",
        "bekämpfe",
        "läuse",
        "garten",
        "x",
    ]
    assert semantic.content_words("The house and the barn") == ["house", "barn"]


def test_resolve_takes_the_word_else_the_longest_dictionary_head_and_tail() -> None:
    assert semantic.resolve("haus", INDEX) == (5,)
    assert semantic.resolve("mondfinsternis", INDEX) == (3, 4)
    assert semantic.resolve("blattläuse", INDEX) == (0, 2)
    # Too short to be a compound, or no split into two dictionary words.
    assert semantic.resolve("hausx", INDEX) is None
    assert semantic.resolve("mondxfinsternis", INDEX) is None


def test_a_message_scores_the_mean_of_its_words() -> None:
    scores = semantic.WordScores(INDEX, [1.0, 3.0, 5.0, 2.0, 4.0, -6.0, 0.5])
    assert scores.score("Haus") == -6.0
    # A split compound counts once, as the mean of its parts.
    assert scores.score("Mondfinsternis") == 3.0
    assert scores.score("Haus und Mondfinsternis") == pytest.approx((-6.0 + 3.0) / 2)
    assert scores.score("xyz 123") == 0.0


def test_training_block_is_the_mean_word_vector_the_scores_stand_for() -> None:
    # The head is linear in the block, so mean(per-word scores) == weights · mean(vectors).
    vecs = np.random.default_rng(1).normal(size=(len(INDEX), 4))
    weights = np.array([0.5, -1.0, 2.0, 0.25])
    texts = ["Haus und Mondfinsternis", "aphids", "nothing known here"]
    block = wordvec.mean_vectors(texts, INDEX, vecs)
    scores = semantic.WordScores(INDEX, (vecs @ weights).tolist())
    assert np.allclose(block @ weights, [scores.score(t) for t in texts])
    assert not block[2].any()


def test_the_artifact_matches_the_code_and_holds_the_dictionary() -> None:
    words = load_model().words
    assert len(words.index) == len(words.scores) > 100_000
    assert {"haus", "house", "holz", "timber"} <= set(words.index)
    assert train.BLOCK_SEMANTIC > 0


# Words no training or dev row contains: whatever the head says about them comes from the encoder's
# vectors, i.e. from what it learned about words of similar meaning.
UNSEEN_OFFTOPIC = (
    "quarterback",
    "didgeridoo",
    "mozzarella",
    "badminton",
    "marmelade",
    "ballett",
    "lacrosse",
    "rodeo",
)
UNSEEN_ONTOPIC = ("dachsparren", "lattung", "kehlbalken", "dachlatten", "fensterbank", "ständerwand")


def test_unseen_words_get_the_score_of_their_meaning() -> None:
    seen: set[str] = set()
    for row in dataset.load_training_rows() + dataset.load_dev():
        seen.update(re.findall(r"[^\W\d_]+", row.text.lower()))
    assert not seen & {*UNSEEN_OFFTOPIC, *UNSEEN_ONTOPIC}, "pick words the data does not contain"
    words = load_model().words
    off = [words.score(w) for w in UNSEEN_OFFTOPIC]
    on = [words.score(w) for w in UNSEEN_ONTOPIC]
    assert min(off) > 0 > max(on), (off, on)
