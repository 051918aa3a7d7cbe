"""The in-process transcript cache: what it returns, what it evicts."""

from __future__ import annotations

from erni_agents.conversation.history import HistoryCache


def test_returns_the_turn_and_items_last_put() -> None:
    cache = HistoryCache(10)
    cache.put("a", 1, [{"role": "assistant", "content": "Hallo"}])
    cache.put("a", 2, [{"role": "assistant", "content": "Hallo"}, {"role": "user", "content": "Hi"}])

    held = cache.get("a")

    assert held is not None and held[0] == 2 and len(held[1]) == 2
    assert cache.get("b") is None


def test_evicts_the_least_recently_used_conversation() -> None:
    cache = HistoryCache(2)
    cache.put("a", 1, [])
    cache.put("b", 1, [])
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.put("c", 1, [])

    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    assert len(cache) == 2


def test_size_zero_keeps_nothing() -> None:
    cache = HistoryCache(0)
    cache.put("a", 1, [])
    assert cache.get("a") is None and len(cache) == 0
