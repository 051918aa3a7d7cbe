"""A long message is judged whole and by its final request, so a building backstory does not
carry an unrelated question past the Relevance Guardrail, and a short follow-up question does not
trip on its own."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from erni_agents.guardrails import judge_relevance
from erni_agents.guardrails.model import load_model, read_model
from erni_agents.guardrails.request import FINAL_REQUEST_OFFSET, combine, final_request

MODEL_DIR = Path(str(resources.files("erni_agents.guardrails") / "model"))

STORY_EN = (
    "Last year we inherited my grandparents' farm near Sursee. The old barn has been empty for a "
    "while and the farmhouse roof leaks in two places, so we are thinking about the future. "
)
STORY_DE = (
    "Wir haben letztes Jahr den Hof meiner Grosseltern bei Sursee geerbt. Die alte Scheune steht "
    "seit einer Weile leer und das Dach vom Bauernhaus ist an zwei Stellen undicht. "
)


def test_short_or_single_sentence_messages_have_no_separate_request() -> None:
    assert final_request("How much does a timber house cost?") is None
    one_sentence = "we want to build a house with four bedrooms and a big garage in Sursee next year"
    assert final_request(one_sentence) is None


def test_final_question_is_the_request() -> None:
    text = STORY_EN + "Which heating system fits a converted barn? Thanks in advance."
    assert final_request(text) == "Which heating system fits a converted barn?"


def test_without_a_question_mark_the_last_sentence_is_the_request() -> None:
    text = STORY_DE + "Bitte schreiben Sie mir, was ein Umbau ungefähr kostet.\n\nFreundliche Grüsse"
    assert final_request(text) == "Freundliche Grüsse"


def test_combine_takes_the_higher_logit_after_the_offset() -> None:
    assert combine(0.5, None) == 0.5
    assert combine(0.5, 0.5 + FINAL_REQUEST_OFFSET + 1.0) == pytest.approx(1.5)
    assert combine(0.5, 0.5) == 0.5


@pytest.mark.parametrize(
    "text",
    [
        STORY_EN + "Anyway, my daughter needs help: what is the derivative of x squared times sine x?",
        STORY_EN + "Before all that: can you recommend a recipe for a vegetarian lasagne for ten people?",
        STORY_DE + "Aber zuerst: Welche Mannschaft hat letztes Jahr die Eishockeymeisterschaft gewonnen?",
        STORY_DE + "Vorher brauche ich ein Gedicht zum 70. Geburtstag meiner Mutter, schreibst du eins?",
    ],
)
def test_offtopic_question_after_a_building_story_trips(text: str) -> None:
    assert final_request(text) is not None
    verdict = judge_relevance(text)
    assert verdict.tripped, verdict.reasoning


@pytest.mark.parametrize(
    "text",
    [
        STORY_EN + "Could you convert the barn into two flats in timber, and what would that roughly cost?",
        STORY_EN + "Is that possible?",
        STORY_DE + "Könnten Sie die Scheune in Holzbauweise zu zwei Wohnungen umbauen?",
        STORY_DE + "Geht das?",
    ],
)
def test_ontopic_question_after_the_same_story_passes(text: str) -> None:
    verdict = judge_relevance(text)
    assert not verdict.tripped, verdict.reasoning


def test_the_whole_message_still_counts_when_it_scores_higher() -> None:
    # A poem request with a one-line closing question: the whole message is what trips.
    text = "Write me a long poem about autumn leaves and the sea, with rhymes in every line. Can you do that?"
    logits = load_model().logits(text)
    assert logits.relevance >= load_model().whole_logits(text).relevance
    assert judge_relevance(text).tripped


def test_inference_uses_the_rule_recorded_in_the_artifact(tmp_path: Path) -> None:
    # The threshold was calibrated with the artifact's rule; a model read with the rule switched
    # off (an offset no part can overcome) judges the story by the whole message only.
    text = STORY_EN + "Anyway, my daughter needs help: what is the derivative of x squared times sine x?"
    meta = json.loads((MODEL_DIR / "meta.json").read_text())
    meta["final_request"]["offset"] = 1000.0
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    for name in ("weights.bin", "words.bin"):
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    switched_off = read_model(tmp_path)
    assert switched_off.logits(text) == switched_off.whole_logits(text)
    assert judge_relevance(text).tripped
    assert not judge_relevance(text, model=switched_off).tripped
