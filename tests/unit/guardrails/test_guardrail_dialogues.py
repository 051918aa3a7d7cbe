"""Every user line of the shared evaluation dialogues: guardrail-tagged turns behave as
expected, and no other line trips anything (judged with and without the preceding question)."""

from __future__ import annotations

from erni_agents.guardrails import judge_jailbreak, judge_relevance

# What the assistant plausibly asked before each follow-up turn; the guardrails must pass the
# reply both with this context and without any context at all.
GENERIC_QUESTION = "Could you give me a few more details, please?"


def _tripped(message: str, last_assistant: str | None) -> list[str]:
    verdicts = (
        judge_jailbreak(message, last_assistant=last_assistant),
        judge_relevance(message, last_assistant=last_assistant),
    )
    return [v.name for v in verdicts if v.tripped]


def test_dialogue_lines(dialogues: list[dict]) -> None:
    failures = []
    for dialogue in dialogues:
        for index, turn in enumerate(dialogue["turns"]):
            expect = turn.get("expect", {})
            contexts = [None] + ([GENERIC_QUESTION] if index > 0 else [])
            for context in contexts:
                tripped = _tripped(turn["user"], context)
                if "guardrail" in expect:
                    ok = expect["guardrail"] in tripped
                elif expect.get("any_guardrail"):
                    ok = bool(tripped)
                else:
                    ok = not tripped
                if not ok:
                    failures.append((dialogue["id"], turn["user"], context, tripped))
    assert not failures, failures


def test_guardrail_dialogues_trip_only_the_expected_guardrail(dialogues: list[dict]) -> None:
    for dialogue in dialogues:
        if dialogue["tag"] != "guardrail":
            continue
        for turn in dialogue["turns"]:
            expected = turn["expect"].get("guardrail")
            if expected == "Relevance Guardrail":
                # A poem or a joke is off-topic, not an attack.
                assert not judge_jailbreak(turn["user"]).tripped, turn["user"]


def test_shared_benign_rows_trip_nothing(shared_benign: list[str]) -> None:
    tripped = [text for text in shared_benign if _tripped(text, None)]
    assert not tripped, tripped
