"""The SDK identity memo returns exactly what the SDK computes, once per agent object."""

from __future__ import annotations

import gc

import agents._run_state_agent_identity as identity

from erni_agents.agents.graph import build_graph
from erni_agents.llm.sdk_tuning import _memoised, apply_sdk_tuning


def _original() -> object:
    return getattr(identity._agent_identity_signature, "__wrapped__", identity._agent_identity_signature)


def test_memo_matches_the_sdk_for_every_agent_of_our_graph() -> None:
    original = _original()
    calls: list[object] = []

    def counting(agent: object) -> str:
        calls.append(agent)
        return original(agent)  # type: ignore[operator]

    memo = _memoised(counting)
    graph = build_graph()
    for agent in graph.agents.values():
        assert memo(agent) == original(agent)  # type: ignore[operator]
        assert memo(agent) == original(agent)  # type: ignore[operator]
    assert len(calls) == len(graph.agents)  # computed once per agent


def test_a_new_agent_object_gets_its_own_identity() -> None:
    memo = _memoised(_original())  # type: ignore[arg-type]
    first = build_graph()
    name = next(iter(first.agents))
    before = memo(first.agents[name])
    del first
    gc.collect()
    second = build_graph("some-llm-model")  # a different model changes the identity
    after = memo(second.agents[name])
    assert after == _original()(second.agents[name])  # type: ignore[operator]
    assert after != before


def test_apply_is_idempotent_on_the_pinned_sdk() -> None:
    assert apply_sdk_tuning() is True
    installed = identity._agent_identity_signature
    assert apply_sdk_tuning() is True
    assert identity._agent_identity_signature is installed
    assert hasattr(installed, "__wrapped__")
