"""`erni-agents` command line: serve, chat, migrate, seed-demo."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import typer

from erni_agents.config import get_settings

app = typer.Typer(help="ERNI Building Agents", no_args_is_help=True, add_completion=False)


@app.command()
def migrate(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Apply the database migrations (Alembic) up to REVISION."""
    from erni_agents.store.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    typer.echo(f"database migrated to {revision}")


@app.command("seed-demo")
def seed_demo() -> None:
    """Load specialists, the knowledge base and the demo projects (idempotent)."""
    from erni_agents.store.db import create_engine, create_session_factory
    from erni_agents.store.seed import seed_demo_projects, seed_reference_data

    settings = get_settings()

    async def run() -> int:
        engine = create_engine(settings.database_url)
        try:
            factory = create_session_factory(engine)
            await seed_reference_data(factory)
            return await seed_demo_projects(factory, datetime.now(ZoneInfo(settings.timezone)).date())
        finally:
            await engine.dispose()

    count = asyncio.run(run())
    typer.echo(f"reference data and {count} demo projects loaded")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind"),
    port: int = typer.Option(8000, help="Port"),
    workers: int = typer.Option(0, help="Worker processes (0: one per CPU core)"),
) -> None:
    """Serve the HTTP API with uvicorn."""
    import uvicorn

    count = workers or (os.cpu_count() or 1)
    uvicorn.run(
        "erni_agents.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=count,
        proxy_headers=True,
        log_level=get_settings().log_level.lower(),
        timeout_graceful_shutdown=30,
    )


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


if __name__ == "__main__":
    app()
