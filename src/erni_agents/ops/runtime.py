"""Garbage-collector housekeeping for a long-running process.

What start-up builds (knowledge index, guardrail classifier, agent graph, SDK and library
internals: ~300,000 objects) lives as long as the process. Left in the collector's oldest
generation, every full collection walks all of it: measured in bench/turns.py, one such pause took
~250 ms in the middle of a turn. Frozen, those objects are skipped by every collection; objects
created later are collected as usual.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Call once start-up is complete."""
    gc.collect()
    gc.freeze()


def release_startup_heap() -> None:
    """Call at shutdown, so what start-up built can be collected once it is dropped."""
    gc.unfreeze()
