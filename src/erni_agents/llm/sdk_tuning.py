"""One measured performance fix for the pinned openai-agents SDK.

Every `Runner.run` of openai-agents 0.24.0 builds a "stable identity" for each agent of the
graph (for sandbox resume, which we do not use) by serialising the agent's settings, tools,
guardrails and handoffs to JSON. For our six-agent graph that is about 5 ms of a ~12 ms SDK
overhead per turn (bench/turns.py; measured in-process, median over 250 runs). Our agents are
built once at start-up and never changed, so the identity of an agent object is computed once
and reused. The fix is applied only to the exact SDK version it was written and tested for.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

import agents
import agents._run_state_agent_identity as identity

log = logging.getLogger(__name__)

TUNED_SDK_VERSION = "0.24.0"


def _memoised(original: Callable[[Any], str]) -> Callable[[Any], str]:
    cache: dict[int, tuple[weakref.ref[Any], str]] = {}

    def signature(agent: Any) -> str:
        key = id(agent)
        hit = cache.get(key)
        # The weak reference guards against a new object reusing a dead agent's id.
        if hit is not None and hit[0]() is agent:
            return hit[1]
        value = original(agent)
        cache[key] = (weakref.ref(agent, lambda _ref: cache.pop(key, None)), value)
        return value

    signature.__wrapped__ = original  # type: ignore[attr-defined]
    return signature


def apply_sdk_tuning() -> bool:
    """Install the memoised agent identity; idempotent. False when the SDK is not the tuned one."""
    if agents.__version__ != TUNED_SDK_VERSION:
        log.warning(
            "openai-agents %s is not %s: per-turn agent identity is not memoised (slower, still correct)",
            agents.__version__,
            TUNED_SDK_VERSION,
        )
        return False
    current = identity._agent_identity_signature
    if not hasattr(current, "__wrapped__"):
        identity._agent_identity_signature = _memoised(current)  # type: ignore[assignment]
    return True
