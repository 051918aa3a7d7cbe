"""`erni-agents` command line: serve, chat, migrate, seed-reference, seed-demo, create-staff-user, outbox."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from erni_agents.config import get_settings
from erni_agents.staff.security import Role

app = typer.Typer(help="ERNI Building Agents", no_args_is_help=True, add_completion=False)


@app.command()
def migrate(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Apply the database migrations (Alembic) up to REVISION. Upgrades only: a rollback is
    `alembic -c deploy/alembic.ini downgrade REVISION` (docs/DEPLOYMENT.md)."""
    from erni_agents.store.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    typer.echo(f"database upgraded to {revision} (a database already past it is left as it is)")


def _seed(with_demo_projects: bool) -> int:
    from erni_agents.store.db import create_engine, create_session_factory
    from erni_agents.store.seed import seed_demo_projects, seed_reference_data

    settings = get_settings()

    async def run() -> int:
        engine = create_engine(settings.database_url)
        try:
            factory = create_session_factory(engine)
            await seed_reference_data(factory)
            if not with_demo_projects:
                return 0
            return await seed_demo_projects(factory, datetime.now(ZoneInfo(settings.timezone)).date())
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command("seed-reference")
def seed_reference() -> None:
    """Load the specialists and the knowledge base only (idempotent): what production needs."""
    _seed(with_demo_projects=False)
    typer.echo("reference data loaded (specialists, knowledge base)")


@app.command("seed-demo")
def seed_demo() -> None:
    """Load the reference data and the five demo projects (idempotent): for demos and tests."""
    count = _seed(with_demo_projects=True)
    typer.echo(f"reference data and {count} demo projects loaded")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind"),
    port: int = typer.Option(8000, help="Port"),
    workers: int = typer.Option(0, help="Worker processes (0: one per CPU core with REDIS_URL set, else 1)"),
    graceful_timeout: int = typer.Option(
        30, help="Seconds in-flight requests (running turns) may take to finish on shutdown"
    ),
) -> None:
    """Serve the HTTP API with uvicorn (factory mode, one app per worker process)."""
    import uvicorn

    count = worker_count(workers, redis=bool(get_settings().redis_url))
    _prepare_multiprocess_metrics()
    uvicorn.run(
        "erni_agents.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=count,
        # The app resolves X-Forwarded-For itself, from TRUSTED_PROXIES only (api/middleware).
        proxy_headers=False,
        # The app configures JSON logging and writes its own request log.
        log_config=None,
        access_log=False,
        server_header=False,
        log_level=get_settings().log_level.lower(),
        timeout_graceful_shutdown=graceful_timeout,
    )


def worker_count(requested: int, *, redis: bool) -> int:
    """Without Redis the turn lock and the rate limits live in each process: several workers would
    let two turns of one conversation run at once, so the default is then one worker."""
    if requested == 0:
        return (os.cpu_count() or 1) if redis else 1
    if requested > 1 and not redis:
        typer.echo(
            f"warning: {requested} workers without REDIS_URL: turn locks and rate limits are per "
            "worker, so one conversation's turns are not serialised across workers",
            err=True,
        )
    return requested


def _prepare_multiprocess_metrics() -> None:
    """With PROMETHEUS_MULTIPROC_DIR, workers write their metrics to files there; files of a
    previous run would be summed in, so the directory starts empty."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


@app.command()
def chat() -> None:
    """A terminal conversation with the assistant (same agents, same database)."""
    from erni_agents.api.state import build_state

    async def run() -> None:
        state = await build_state(get_settings())
        try:
            result = await state.service.start()
            for message in result.messages:
                typer.echo(f"[{message['agent']}] {message['content']}")
            conversation_id = result.conversation_id
            while True:
                try:
                    line = await asyncio.to_thread(input, "> ")
                except (EOFError, KeyboardInterrupt):
                    typer.echo("")
                    return
                if not line.strip():
                    continue
                if line.strip().lower() in {"exit", "quit", "/q"}:
                    return
                result = await state.service.turn(conversation_id, line.strip())
                for message in result.messages:
                    typer.echo(f"[{message['agent']}] {message['content']}")
        finally:
            await state.close()

    asyncio.run(run())


def _staff_password(password_file: Path | None) -> str:
    # Never a command-line option: it would end up in the shell history and the process list.
    if password_file is not None:
        return password_file.read_text(encoding="utf-8").rstrip("\r\n")
    if os.environ.get("STAFF_PASSWORD"):
        return os.environ["STAFF_PASSWORD"]
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command("create-staff-user")
def create_staff_user(
    username: Annotated[str, typer.Argument(help="Login name (3-80 characters: a-z 0-9 . _ @ -)")],
    role: Annotated[
        Role | None, typer.Option("--role", help="admin, staff or viewer (required for a new user)")
    ] = None,
    password_file: Annotated[
        Path | None,
        typer.Option("--password-file", help="File with the password (else $STAFF_PASSWORD, else a prompt)"),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Set a new password (and --role) on an existing user")
    ] = False,
) -> None:
    """Create an account of the staff API (passwords: at least 12 characters, stored as argon2 hashes)."""
    from erni_agents.staff.accounts import AccountError, save_account
    from erni_agents.staff.repository import StaffRepository
    from erni_agents.store.db import create_engine, create_session_factory

    settings = get_settings()

    async def run(password: str) -> str:
        engine = create_engine(settings.database_url)
        try:
            staff = StaffRepository(create_session_factory(engine))
            return await save_account(staff, username, password, role, update=update)
        finally:
            await engine.dispose()

    try:
        outcome = asyncio.run(run(_staff_password(password_file)))
    except (AccountError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"staff user {username.strip().lower()!r} {outcome}")


@app.command()
def outbox(
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Put failed mails back in the queue (fresh attempts)")
    ] = False,
) -> None:
    """Booking confirmation mails: how many are pending, sent and failed."""
    from erni_agents.integrations.mail.store import OutboxStore
    from erni_agents.store.db import create_engine, create_session_factory
    from erni_agents.store.models import utcnow

    settings = get_settings()

    async def run() -> tuple[int, dict[str, int]]:
        engine = create_engine(settings.database_url)
        try:
            store = OutboxStore(create_session_factory(engine))
            requeued = await store.retry_failed(utcnow()) if retry_failed else 0
            return requeued, await store.counts()
        finally:
            await engine.dispose()

    requeued, counts = asyncio.run(run())
    if retry_failed:
        typer.echo(f"re-queued {requeued} failed mail(s)")
    typer.echo(" ".join(f"{status}={count}" for status, count in counts.items()))
    if not settings.smtp_host and counts["pending"]:
        typer.echo("SMTP_HOST is not set: pending mails are not being sent", err=True)


if __name__ == "__main__":
    app()
