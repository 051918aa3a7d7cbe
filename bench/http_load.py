"""HTTP load test: N simulated customers against `erni-agents serve`.

Each customer starts a conversation and plays the turns of the shared dialogues
(tests/data/shared_dialogues.json, user texts only) with a think time between requests, until the
duration is over. Prints throughput, latency percentiles and errors (any non-2xx answer or transport
error) of `POST /chat`, and beside them the throughput of `GET /health` on the same server (the
ceiling of this stack).

    .venv/bin/python bench/http_load.py                      # own server: temp SQLite, 2 workers
    .venv/bin/python bench/http_load.py --users 100 --duration 60 --workers 2
    .venv/bin/python bench/http_load.py --database-url postgresql://postgres@127.0.0.1:5432/bench \\
        --redis-url redis://127.0.0.1:6379/15                # own server on PostgreSQL + Redis
    .venv/bin/python bench/http_load.py --base-url http://127.0.0.1:8000   # an existing server

Without --base-url the server runs with the rate limits raised, so the load is not throttled: on a
fresh SQLite database in a temporary directory, or on --database-url (migrated and seeded with the
demo data first; use a database of its own, the conversations stay there) and --redis-url.

The client shares the machine with the server, so it is kept cheap: one keep-alive HTTP/1.1
connection per customer (as a browser tab has), responses parsed by httptools (uvicorn's C parser)
on uvloop, bodies decoded only where the customer needs them (the conversation id of a new
conversation). It asks for compressed answers like a browser (`Accept-Encoding: br, gzip`).

CPU report: `client CPU` is the user + system time of this process (`resource.getrusage`) during
each phase (the chat load, then the /health ceiling), in seconds, in cores (seconds / wall time)
and as a share of all cores of the machine, and divided by the requests of the phase. With its
own server, `server CPU` is the same for the server's process tree (uvicorn supervisor and workers,
read from /proc on Linux), `by process` splits it per process. `rest` is the CPU of everything else
on the machine during the load (database, Redis, other programs; /proc/stat), so a run that shared
the cores with other work can be told apart. `by interval` gives the p95 latency of each sixth of
the load.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import resource
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
from urllib.parse import urlsplit

import brotli
import httptools
import uvloop

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = ROOT / "tests" / "data" / "shared_dialogues.json"
CLI = Path(sys.executable).parent / "erni-agents"
REQUEST_TIMEOUT = 60.0


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[bytes, bytes]
    body: bytes

    def json(self) -> object:
        encoding = self.headers.get(b"content-encoding", b"").lower()
        body = self.body
        if encoding == b"br":
            body = brotli.decompress(body)
        elif encoding == b"gzip":
            body = gzip.decompress(body)
        return json.loads(body)


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 keep-alive connection: one request at a time, the response parsed by httptools."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Response] | None = None
        self.closed = False
        self._headers: dict[bytes, bytes] = {}
        self._body: list[bytes] = []

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(exc or ConnectionResetError("connection closed by the server"))

    # httptools callbacks
    def on_message_begin(self) -> None:
        self._headers = {}
        self._body = []

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers[name.lower()] = value

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        response = Response(self.parser.get_status_code(), self._headers, b"".join(self._body))
        if not self.parser.should_keep_alive():
            self.close()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(response)

    def _fail(self, exc: BaseException) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def exchange(self, request: bytes) -> Response:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


class Client:
    """A customer's browser tab: one connection, reopened when the server has closed it."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None:
            raise SystemExit(f"only http:// base URLs are supported, not {base_url}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.host_header = parts.netloc.encode()
        self.connection: _Connection | None = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> Response:
        head = [
            f"{method} {path} HTTP/1.1".encode(),
            b"Host: " + self.host_header,
            b"Accept: application/json",
            b"Accept-Encoding: br, gzip",
        ]
        if body is not None:
            head += [b"Content-Type: application/json", b"Content-Length: " + str(len(body)).encode()]
        request = b"\r\n".join(head) + b"\r\n\r\n" + (body or b"")
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                if self.connection is None or self.connection.closed:
                    _, self.connection = await asyncio.get_running_loop().create_connection(
                        _Connection, self.host, self.port
                    )
                return await self.connection.exchange(request)
        except BaseException:
            # A late or partial answer must not be taken for the answer to the next request.
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


TRANSPORT_ERRORS = (OSError, TimeoutError, httptools.HttpParserError)


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    finished: list[float] = field(default_factory=list)  # time.monotonic() of each latency
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def load_dialogues() -> list[list[str]]:
    data = json.loads(DIALOGUES.read_text(encoding="utf-8"))
    return [[turn["user"] for turn in dialogue["turns"]] for dialogue in data]


async def timed_post(client: Client, body: dict[str, object], stats: Stats) -> Response | None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    started = time.perf_counter()
    try:
        response = await client.request("POST", "/chat", payload)
    except TRANSPORT_ERRORS as exc:
        stats.error(type(exc).__name__)
        return None
    stats.latencies.append(time.perf_counter() - started)
    stats.finished.append(time.monotonic())
    if not 200 <= response.status < 300:
        stats.error(f"HTTP {response.status}")
        return None
    return response


async def customer(
    base_url: str, dialogues: list[list[str]], deadline: float, think: float, stats: Stats, seed: int
) -> None:
    rng = random.Random(seed)
    client = Client(base_url)
    # Customers do not arrive all in the same millisecond.
    await asyncio.sleep(rng.uniform(0, think))
    try:
        while time.monotonic() < deadline:
            started = await timed_post(client, {"message": ""}, stats)
            if started is None:
                await asyncio.sleep(think)
                continue
            conversation_id = started.json()["conversation_id"]  # type: ignore[index]
            for text in rng.choice(dialogues):
                await asyncio.sleep(think)
                if time.monotonic() >= deadline:
                    return
                sent = await timed_post(client, {"conversation_id": conversation_id, "message": text}, stats)
                if sent is None:
                    break
            await asyncio.sleep(think)
    finally:
        client.close()


async def health_ceiling(base_url: str, concurrency: int, seconds: float) -> tuple[float, int]:
    """Requests per second of GET /health with `concurrency` clients and no think time, and the
    number of failed requests."""
    count = failed = 0
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal count, failed
        client = Client(base_url)
        try:
            while time.monotonic() < deadline:
                try:
                    response = await client.request("GET", "/health")
                except TRANSPORT_ERRORS:
                    failed += 1
                    continue
                if response.status == 200:
                    count += 1
                else:
                    failed += 1
        finally:
            client.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.monotonic() - started), failed


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores of the machine spent busy since boot (Linux /proc/stat); None elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(value) for value in fields]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int) -> dict[int, float] | None:
    """User + system CPU of `root` and of each of its descendants by pid (Linux /proc); None elsewhere."""
    proc = Path("/proc")
    if not (proc / str(root)).exists():
        return None
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        # The command name is in parentheses and may contain spaces: split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    tree: dict[int, float] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        tree[pid] = times.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return tree


@dataclass
class Phase:
    """CPU used while one phase ran (client always; server only for an own server)."""

    started: float
    wall: float
    client_cpu: float
    server_processes: dict[int, float] | None  # CPU seconds by pid: supervisor and workers
    machine_cpu: float | None  # all cores, everything

    @property
    def server_cpu(self) -> float | None:
        return sum(self.server_processes.values()) if self.server_processes is not None else None


@contextmanager
def phase(server_pid: int | None, out: list[Phase]) -> Iterator[None]:
    def server() -> dict[int, float] | None:
        return tree_cpu_seconds(server_pid) if server_pid is not None else None

    machine_before = machine_busy_seconds()
    server_before, client_before, started = server(), cpu_seconds(), time.monotonic()
    yield
    wall, client = time.monotonic() - started, cpu_seconds() - client_before
    server_after = server()
    machine_after = machine_busy_seconds()
    machine = None
    if machine_after is not None and machine_before is not None:
        machine = machine_after - machine_before
    processes = None
    if server_after is not None and server_before is not None:
        processes = {pid: cpu - server_before.get(pid, 0.0) for pid, cpu in server_after.items()}
    out.append(Phase(started, wall, client, processes, machine))


async def run_load(base_url: str, users: int, duration: float, think: float) -> tuple[Stats, float]:
    dialogues = load_dialogues()
    stats = Stats()
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(*(customer(base_url, dialogues, deadline, think, stats, n) for n in range(users)))
    return stats, time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def own_server(workers: int, database_url: str | None, redis_url: str | None) -> Iterator[tuple[str, int]]:
    with tempfile.TemporaryDirectory(prefix="erni-bench-") as tmp:
        env = {
            **os.environ,
            "ENVIRONMENT": "development",
            "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp}/bench.db",
            "RATE_LIMIT_PER_MINUTE": "1000000",
            "RATE_LIMIT_PER_HOUR": "100000000",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
            "PROMETHEUS_MULTIPROC_DIR": f"{tmp}/metrics",
        }
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
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
                asyncio.run(wait_ready(base_url, server))
                yield base_url, server.pid
            finally:
                server.terminate()
                server.wait(timeout=60)


async def wait_ready(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    client = Client(base_url)
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"server exited with {server.returncode}")
            try:
                if (await client.request("GET", "/readiness")).status == 200:
                    return
            except TRANSPORT_ERRORS:
                client.close()
            await asyncio.sleep(0.3)
    finally:
        client.close()
    raise SystemExit("server did not become ready within 60 s")


def _cpu_line(name: str, seconds: float | None, wall: float, requests: int) -> str:
    if seconds is None:
        return f"  {name:<12} n/a"
    cores = seconds / wall
    per_request = f", {seconds / requests * 1000:.2f} ms/request" if requests else ""
    return (
        f"  {name:<12} {seconds:.1f} s = {cores:.2f} cores "
        f"({cores / (os.cpu_count() or 1):.0%} of {os.cpu_count()}){per_request}"
    )


def _rest_line(load: Phase) -> str:
    """The CPU of everything else on the machine: database, Redis and other programs. On a shared
    machine it tells a run the server had to itself from one it did not."""
    if load.machine_cpu is None:
        return "  rest         n/a"
    rest = load.machine_cpu - load.client_cpu - (load.server_cpu or 0.0)
    return (
        f"  rest         {rest / load.wall:.2f} cores (machine busy {load.machine_cpu / load.wall:.2f} cores)"
    )


def _intervals(stats: Stats, started: float, wall: float, count: int = 6) -> str:
    """p95 latency (ms) of the requests finished in each sixth of the load: start-up or drift shows."""
    step = wall / count
    slices: list[list[float]] = [[] for _ in range(count)]
    for latency, finished in zip(stats.latencies, stats.finished, strict=True):
        slices[min(count - 1, max(0, int((finished - started) / step)))].append(latency * 1000)
    return "p95 " + " | ".join(f"{percentile(sorted(part), 95):.0f}" for part in slices) + " ms"


def report(
    users: int, think: float, stats: Stats, load: Phase, ceiling: float, failed: int, health: Phase
) -> None:
    ms = sorted(value * 1000 for value in stats.latencies)
    throughput = len(ms) / load.wall
    health_requests = round(ceiling * health.wall)
    print(f"POST /chat  {users} users, think {think:g} s, {load.wall:.0f} s")
    print(f"  requests     {len(ms)}")
    print(f"  throughput   {throughput:.1f} req/s      (GET /health ceiling: {ceiling:.0f} req/s)")
    print(
        f"  latency ms   p50 {percentile(ms, 50):.1f}   p95 {percentile(ms, 95):.1f}   "
        f"p99 {percentile(ms, 99):.1f}   max {ms[-1] if ms else float('nan'):.1f}"
    )
    print(f"  errors       {stats.error_count} {stats.errors or ''}")
    print(_cpu_line("client CPU", load.client_cpu, load.wall, len(ms)))
    print(_cpu_line("server CPU", load.server_cpu, load.wall, len(ms)))
    if load.server_processes:
        # Each worker is one event loop: one at 1.00 core while another idles means an uneven
        # spread of the keep-alive connections, not a lack of cores.
        shares = sorted((cpu / load.wall for cpu in load.server_processes.values()), reverse=True)
        shares = [share for share in shares if share >= 0.01]  # not the idle supervisor
        print("  by process   " + "  ".join(f"{share:.2f}" for share in shares) + " cores")
    print("  by interval  " + _intervals(stats, load.started, load.wall))
    print(_rest_line(load))
    print(f"GET /health  {ceiling:.0f} req/s, {failed} failed, {health.wall:.0f} s")
    print(_cpu_line("client CPU", health.client_cpu, health.wall, health_requests))
    print(_cpu_line("server CPU", health.server_cpu, health.wall, health_requests))
    summary = {
        "users": users,
        "requests": len(ms),
        "throughput_rps": round(throughput, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "errors": stats.error_count,
        "health_rps": round(ceiling),
        "client_cpu_cores": round(load.client_cpu / load.wall, 3),
        "server_cpu_ms_per_request": (
            round(load.server_cpu / len(ms) * 1000, 2) if load.server_cpu is not None and ms else None
        ),
        "health_client_cpu_cores": round(health.client_cpu / health.wall, 3),
        "machine_busy_cores": round(load.machine_cpu / load.wall, 2)
        if load.machine_cpu is not None
        else None,
        "server_cpu_cores": round(load.server_cpu / load.wall, 2) if load.server_cpu is not None else None,
    }
    print(json.dumps(summary))


async def measure(args: argparse.Namespace, base_url: str, server_pid: int | None) -> None:
    phases: list[Phase] = []
    with phase(server_pid, phases):
        stats, _ = await run_load(base_url, args.users, args.duration, args.think)
    with phase(server_pid, phases):
        ceiling, failed = await health_ceiling(base_url, args.ceiling_concurrency, args.ceiling_seconds)
    report(args.users, args.think, stats, phases[0], ceiling, failed, phases[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="target an existing server instead of starting one")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a customer's requests")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the own server")
    parser.add_argument("--database-url", help="own server: this database instead of a temporary SQLite")
    parser.add_argument("--redis-url", help="own server: rate limits and turn locks in this Redis")
    parser.add_argument("--ceiling-seconds", type=float, default=10.0, help="seconds of GET /health load")
    parser.add_argument("--ceiling-concurrency", type=int, default=10, help="concurrent GET /health clients")
    args = parser.parse_args()
    if args.base_url:
        uvloop.run(measure(args, args.base_url, None))
        return
    with own_server(args.workers, args.database_url, args.redis_url) as (base_url, pid):
        uvloop.run(measure(args, base_url, pid))


if __name__ == "__main__":
    main()
