"""HTTP load test: N simulated customers against `erni-agents serve`.

Each customer starts a conversation and plays the turns of the shared dialogues
(tests/data/shared_dialogues.json, user texts only) with a think time between requests, until the
duration is over. Prints throughput, latency percentiles and errors of `POST /chat`, and beside
them the throughput of `GET /health` on the same server (the ceiling of this stack).

    .venv/bin/python bench/http_load.py                      # own server: temp SQLite, 2 workers
    .venv/bin/python bench/http_load.py --users 100 --duration 60 --workers 2
    .venv/bin/python bench/http_load.py --base-url http://127.0.0.1:8000   # an existing server

Without --base-url the server runs on a fresh SQLite database in a temporary directory
(migrate + seed-demo) with the rate limits raised, so the load is not throttled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = ROOT / "tests" / "data" / "shared_dialogues.json"
CLI = Path(sys.executable).parent / "erni-agents"


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def load_dialogues() -> list[list[str]]:
    data = json.loads(DIALOGUES.read_text(encoding="utf-8"))
    return [[turn["user"] for turn in dialogue["turns"]] for dialogue in data]


async def timed_post(
    client: httpx.AsyncClient, body: dict[str, object], stats: Stats
) -> dict[str, object] | None:
    started = time.perf_counter()
    try:
        response = await client.post("/chat", json=body)
    except httpx.HTTPError as exc:
        stats.error(type(exc).__name__)
        return None
    stats.latencies.append(time.perf_counter() - started)
    if response.status_code != 200:
        stats.error(f"HTTP {response.status_code}")
        return None
    result: dict[str, object] = response.json()
    return result


async def customer(
    client: httpx.AsyncClient,
    dialogues: list[list[str]],
    deadline: float,
    think: float,
    stats: Stats,
    seed: int,
) -> None:
    rng = random.Random(seed)
    # Customers do not arrive all in the same millisecond.
    await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < deadline:
        started = await timed_post(client, {"message": ""}, stats)
        if started is None:
            await asyncio.sleep(think)
            continue
        for text in rng.choice(dialogues):
            await asyncio.sleep(think)
            if time.monotonic() >= deadline:
                return
            if (
                await timed_post(
                    client, {"conversation_id": started["conversation_id"], "message": text}, stats
                )
                is None
            ):
                break
        await asyncio.sleep(think)


async def health_ceiling(base_url: str, concurrency: int, seconds: float) -> float:
    """Requests per second of GET /health with `concurrency` clients and no think time."""
    count = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal count
            while time.monotonic() < deadline:
                response = await client.get("/health")
                if response.status_code == 200:
                    count += 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.monotonic() - started)


async def run_load(base_url: str, users: int, duration: float, think: float) -> tuple[Stats, float]:
    dialogues = load_dialogues()
    stats = Stats()
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(*(customer(client, dialogues, deadline, think, stats, n) for n in range(users)))
        elapsed = time.monotonic() - started
    return stats, elapsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def own_server(workers: int) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="erni-bench-") as tmp:
        env = {
            **os.environ,
            "ENVIRONMENT": "development",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
            "RATE_LIMIT_PER_MINUTE": "1000000",
            "RATE_LIMIT_PER_HOUR": "100000000",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
            "PROMETHEUS_MULTIPROC_DIR": f"{tmp}/metrics",
        }
        env.pop("REDIS_URL", None)
        for command in (["migrate"], ["seed-demo"]):
            subprocess.run([str(CLI), *command], env=env, check=True, capture_output=True, cwd=tmp)
        port = free_port()
        with Path(tmp, "server.log").open("wb") as log:
            server = subprocess.Popen(
                [str(CLI), "serve", "--port", str(port), "--workers", str(workers)],
                env=env,
                cwd=tmp,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            base_url = f"http://127.0.0.1:{port}"
            try:
                wait_ready(base_url, server)
                yield base_url
            finally:
                server.terminate()
                server.wait(timeout=60)


def wait_ready(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited with {server.returncode}")
        try:
            if httpx.get(f"{base_url}/readiness", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not become ready within 60 s")


def report(users: int, think: float, stats: Stats, elapsed: float, ceiling: float) -> None:
    ms = sorted(value * 1000 for value in stats.latencies)
    throughput = len(ms) / elapsed
    print(f"POST /chat  {users} users, think {think:g} s, {elapsed:.0f} s")
    print(f"  requests     {len(ms)}")
    print(f"  throughput   {throughput:.1f} req/s      (GET /health ceiling: {ceiling:.0f} req/s)")
    print(
        f"  latency ms   p50 {percentile(ms, 50):.1f}   p95 {percentile(ms, 95):.1f}   "
        f"p99 {percentile(ms, 99):.1f}   max {ms[-1] if ms else float('nan'):.1f}"
    )
    print(f"  errors       {stats.error_count} {stats.errors or ''}")
    summary = {
        "users": users,
        "requests": len(ms),
        "throughput_rps": round(throughput, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "errors": stats.error_count,
        "health_rps": round(ceiling),
    }
    print(json.dumps(summary))


async def measure(args: argparse.Namespace, base_url: str) -> None:
    stats, elapsed = await run_load(base_url, args.users, args.duration, args.think)
    ceiling = await health_ceiling(base_url, args.ceiling_concurrency, args.ceiling_seconds)
    report(args.users, args.think, stats, elapsed, ceiling)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="target an existing server instead of starting one")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a customer's requests")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the own server")
    parser.add_argument("--ceiling-seconds", type=float, default=10.0, help="seconds of GET /health load")
    parser.add_argument(
        "--ceiling-concurrency",
        type=int,
        default=10,
        help="concurrent GET /health clients (more make this Python client, not the server, the limit)",
    )
    args = parser.parse_args()
    if args.base_url:
        asyncio.run(measure(args, args.base_url))
        return
    with own_server(args.workers) as base_url:
        asyncio.run(measure(args, base_url))


if __name__ == "__main__":
    main()
