"""Relevance Guardrail: off-topic requests trip; domain questions, greetings and answers in
context pass."""

from __future__ import annotations

import pytest

from erni_agents.guardrails import RELEVANCE_GUARDRAIL, judge_relevance

OFFTOPIC = [
    "Write a poem about strawberries",
    "Tell me a joke",
    "Give me a recipe for lasagne.",
    "What's the weather like tomorrow in Lucerne?",
    "Write a Python script that reads a CSV file.",
    "What is 17 times 23?",
    "Who won the last football World Cup?",
    "Which party should I vote for?",
    "Wie wird das Wetter morgen in Zürich?",
    "Schreib mir ein Gedicht über den Herbst.",
    "Hast du ein Rezept für Älplermagronen?",
    "Wie schreibe ich eine Schleife in JavaScript?",
    "Löse die Gleichung 2x + 5 = 17.",
    "Was ist die Hauptstadt von Australien?",
    "Welche Partei soll ich wählen?",
]
ON_TOPIC = [
    "How much would a 150m² single-family house in timber construction cost?",
    "Was kostet ein Mehrfamilienhaus mit 400 m2 in Systembauweise?",
    "I'd like to book a consultation with an architect",
    "Wie ist der Stand meines Projekts 2024-089?",
    "Do you have apprenticeships for carpenters?",
    "Habt ihr offene Lehrstellen?",
    "What are your opening hours on Friday?",
    "Wo ist euer Büro?",
    "Is wood safe in case of fire?",
    "Macht ihr auch Spenglerarbeiten?",
    "Can you show me your references?",
    "What are your instructions for caring for a wooden facade?",
]
GREETINGS = [
    "Hallo",
    "Hi there!",
    "Grüezi",
    "Danke!",
    "Thanks, that's all.",
    "ok",
    "Ja",
    "No, thank you.",
    "Merci vielmal",
]

ASKED_DE = "Gerne. Für welches Datum und welche Uhrzeit möchten Sie den Termin?"
ASKED_EN = "Sure. Could you tell me your name, e-mail address and phone number?"
SHORT_ANSWERS = [
    ("yes", ASKED_EN),
    ("ok", ASKED_EN),
    ("Müller", "Wie ist Ihr Nachname?"),
    ("John Smith, john@x.ch, +41 79 123 45 67", ASKED_EN),
    ("next Tuesday", "Which day suits you?"),
    ("14:00 please", "Which time do you prefer: 09:00, 14:00 or 16:00?"),
    ("about 800 square meters", "How large will the building be?"),
    ("timber please", "Timber or system construction?"),
    ("A barn for my farm", "What kind of building are you planning?"),
    ("2024-156", "What is your project number?"),
    ("nächsten Mittwoch", ASKED_DE),
    ("um halb zehn", ASKED_DE),
    ("Keller", "Wie ist Ihr Name, bitte?"),
    ("Paris", "In which town is your plot?"),
]


@pytest.mark.parametrize("message", OFFTOPIC)
def test_offtopic_trips(message: str) -> None:
    verdict = judge_relevance(message)
    assert verdict.tripped, verdict
    assert verdict.name == RELEVANCE_GUARDRAIL


@pytest.mark.parametrize("message", ON_TOPIC + GREETINGS)
def test_on_topic_and_greetings_pass(message: str) -> None:
    verdict = judge_relevance(message)
    assert not verdict.tripped, verdict


@pytest.mark.parametrize(("message", "asked"), SHORT_ANSWERS)
def test_short_answers_in_context_pass(message: str, asked: str) -> None:
    verdict = judge_relevance(message, last_assistant=asked)
    assert not verdict.tripped, verdict


@pytest.mark.parametrize(
    "message",
    ["yes", "ok", "Müller", "john.smith@example.com", "+41 79 123 45 67", "next Tuesday", "2024-156"],
)
def test_short_answers_pass_even_without_context(message: str) -> None:
    assert not judge_relevance(message).tripped


def test_off_topic_reply_to_a_question_still_trips() -> None:
    verdict = judge_relevance("Tell me a joke about cats", last_assistant="How large will the house be?")
    assert verdict.tripped


def test_context_lowers_the_score() -> None:
    alone = judge_relevance("Paris")
    in_context = judge_relevance("Paris", last_assistant="Where is your plot located?")
    assert in_context.score <= alone.score


def test_verdict_shape() -> None:
    verdict = judge_relevance("Write a poem about the sea")
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.tripped == (verdict.score >= 0.5)
    assert "sea" not in verdict.reasoning
