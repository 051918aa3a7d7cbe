"""Per-turn latency of the local engine in-process, over the dialogue set.

    .venv/bin/python bench/turns.py [--rounds 5] [--dialogues tests/data/shared_dialogues.json]
                                    [--database-url postgresql://postgres@127.0.0.1:5432/bench]

Each round plays every dialogue in a fresh conversation through the ConversationService
(guardrails, SDK runner, tools, persistence: everything but HTTP), against a fresh SQLite database,
or with `--database-url` against that database (migrated to head and seeded; the bench adds its
conversations and bookings to it, so give it a scratch database).
Prints p50/p95/max per turn in milliseconds: wall-clock time, and beside it the CPU time of the
process (all threads, so the SQLite driver's thread counts), which another process competing for
the two cores does not inflate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import uvloop

from erni_agents.api.state import build_state
from erni_agents.config import Settings
from erni_agents.ops.logging import configure_logging
from erni_agents.store.db import create_engine, create_session_factory
from erni_agents.store.migrate import upgrade
from erni_agents.store.seed import seed_demo_projects, seed_reference_data


async def _round(
    dialogues: list[dict], workdir: Path, index: int, database_url: str | None = None
) -> list[tuple[float, float]]:
    url = database_url or f"sqlite+aiosqlite:///{workdir}/bench-{index}.db"
    settings = Settings(_env_file=None, database_url=url, llm_provider="local")  # type: ignore[call-arg]
    await asyncio.to_thread(upgrade, settings.database_url)
    engine = create_engine(settings.database_url)
    factory = create_session_factory(engine)
    await seed_reference_data(factory)
    await seed_demo_projects(factory, date.today())
    await engine.dispose()
    state = await build_state(settings)
    timings: list[tuple[float, float]] = []
    try:
        for dialogue in dialogues:
            started = await state.service.start()
            for turn in dialogue["turns"]:
                t0, c0 = time.perf_counter(), time.process_time()
                await state.service.turn(started.conversation_id, turn["user"])
                timings.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    finally:
        await state.close()
    return timings


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="a scratch database instead of SQLite files")
    parser.add_argument(
        "--dialogues", default=str(Path(__file__).parent.parent / "tests/data/shared_dialogues.json")
    )
    args = parser.parse_args()
    # As in production at LOG_LEVEL=WARNING: per-turn log lines are not what is measured here.
    configure_logging(Settings(_env_file=None, log_level="WARNING"))  # type: ignore[call-arg]
    dialogues = json.loads(Path(args.dialogues).read_text(encoding="utf-8"))
    all_timings: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(args.rounds):
            # uvloop, as under `erni-agents serve` (uvicorn picks it when it is installed).
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                timings = runner.run(_round(dialogues, Path(tmp), index, args.database_url))
            if index > 0:  # the first round warms imports and caches
                all_timings.extend(timings)
    if not all_timings:
        raise SystemExit("need --rounds >= 2")
    print(f"turns measured: {len(all_timings)} ({args.rounds - 1} rounds after warm-up)")
    for label, values in (
        ("wall", [wall for wall, _cpu in all_timings]),
        ("cpu ", [cpu for _wall, cpu in all_timings]),
    ):
        print(
            f"{label} p50 {statistics.median(values):.1f} ms  p95 {_pct(values, 0.95):.1f} ms  "
            f"max {max(values):.1f} ms  (target p95 < 25 ms)"
        )


if __name__ == "__main__":
    main()
