"""The operations scripts against the local PostgreSQL: scripts/backup.sh + scripts/restore-check.sh
(dump, encryption, retention, restore into a scratch database, migrate, row counts) and the
least-privilege roles of deploy/postgres/least-privilege.sql with the real service on top."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from erni_agents.api.state import build_state
from erni_agents.store.migrate import head_revision
from tests.conftest import FIXED_NOW, PG_ADMIN, PG_HOST, _postgres_available, _settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOOLS = ("pg_dump", "pg_restore", "psql", "gpg", "sha256sum")

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _needs_postgres_and_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    problem = f"tools missing: {missing}" if missing else None
    if problem is None and not _postgres_available():
        problem = f"PostgreSQL unreachable at {PG_ADMIN}"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture
def scratch_names() -> Iterator[Callable[[str], str]]:
    """Database names for this test; every database created under them is dropped afterwards."""
    names: list[str] = []

    def name(prefix: str) -> str:
        names.append(f"erni_{prefix}_{secrets.token_hex(4)}")
        return names[-1]

    yield name
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for db in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _create_db(name: str) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_HOST}/{name}"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BACKUP_", "RESTORE_", "DATABASE_URL"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        pytest.fail(
            f"{args[0]} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def _populated_database(url: str) -> None:
    """Migrated with the CLI, seeded, a staff user and a conversation with a booking."""
    env = _env(DATABASE_URL=url, STAFF_PASSWORD=secrets.token_hex(16))
    _run([str(BIN / "erni-agents"), "migrate"], env)
    _run([str(BIN / "erni-agents"), "seed-demo"], env)
    _run([str(BIN / "erni-agents"), "create-staff-user", "ops-admin", "--role", "admin"], env)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO conversations (id, current_agent, language, context, turn_count, created_at, "
            "updated_at) VALUES ('c0ffee', 'Triage Agent', 'de', '{}', 1, now(), now())"
        )
        conn.execute(
            "INSERT INTO conversation_items (conversation_id, item, created_at) "
            """VALUES ('c0ffee', '{"role": "user", "content": "Hallo"}', now())"""
        )
        conn.execute(
            "INSERT INTO bookings (reference, specialist_id, specialist_type, slot_start, slot_end, status, "
            "customer_name, customer_email, customer_phone, conversation_id, created_at) "
            "SELECT 'AB12CD34', id, specialist_type, '2026-12-01 08:00+00', '2026-12-01 09:00+00', 'active', "
            "'Anna Muster', 'anna@example.com', '+41791234567', 'c0ffee', now() FROM specialists LIMIT 1"
        )


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {t: conn.execute(f'SELECT count(*) FROM public."{t}"').fetchone()[0] for t in tables}  # type: ignore[index]


@pytest.fixture
def gnupg_home(tmp_path: Path) -> tuple[Path, str]:
    """A throw-away GnuPG home with one encryption key (no passphrase) and its recipient."""
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    recipient = "backup-test@example.invalid"
    _run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            f"ERNI backup test <{recipient}>",
            "default",
            "default",
            "never",
        ],
        _env(GNUPGHOME=str(home)),
    )
    return home, recipient


def test_encrypted_backup_restores_migrates_and_keeps_every_row(
    tmp_path: Path, scratch_names: Callable[[str], str], gnupg_home: tuple[Path, str]
) -> None:
    source = _create_db(scratch_names("backup_src"))
    _populated_database(source)
    restored_name = scratch_names("backup_dst")
    backups = tmp_path / "backups"
    backups.mkdir()
    old, recent = backups / "erni-20000101T000000Z.dump.gpg", backups / "erni-20000102T000000Z.dump.gpg"
    for path, age_days in ((old, 40), (recent, 10)):
        path.write_bytes(b"stale")
        stamp = time.time() - age_days * 86400
        os.utime(path, (stamp, stamp))
    home, recipient = gnupg_home
    metrics = tmp_path / "erni_backup.prom"

    out = _run(
        ["bash", "scripts/backup.sh"],
        _env(
            DATABASE_URL=source.replace("postgresql://", "postgresql+asyncpg://"),
            BACKUP_DIR=str(backups),
            BACKUP_GPG_RECIPIENT=recipient,
            BACKUP_METRICS_FILE=str(metrics),
            GNUPGHOME=str(home),
        ),
    )
    backup = Path(out.stdout.strip().splitlines()[-1])
    assert backup.name.endswith(".dump.gpg") and backup.exists()
    assert not list(backups.glob("*.dump")), "the unencrypted dump must not stay on disk"
    assert not old.exists() and recent.exists(), "retention: older than 30 days pruned, younger kept"
    assert b"Wermelinger" not in backup.read_bytes() and b"anna@example.com" not in backup.read_bytes()
    assert re.search(r"^erni_backup_last_success_timestamp_seconds \d+$", metrics.read_text(), re.M)

    check = _run(
        ["bash", "scripts/restore-check.sh", str(backup)],
        _env(
            RESTORE_ADMIN_URL=PG_ADMIN,
            RESTORE_DB_NAME=restored_name,
            RESTORE_KEEP="1",
            GNUPGHOME=str(home),
            ERNI_AGENTS=str(BIN / "erni-agents"),
        ),
    )
    assert "OK:" in check.stderr
    source_counts = _counts(source)
    assert source_counts["bookings"] == 1 and source_counts["staff_users"] == 1
    assert source_counts["specialists"] > 0 and source_counts["alembic_version"] == 1
    assert _counts(f"{PG_HOST}/{restored_name}") == source_counts


def test_restore_check_fails_when_rows_are_missing(
    tmp_path: Path, scratch_names: Callable[[str], str]
) -> None:
    source = _create_db(scratch_names("backup_src"))
    _populated_database(source)
    backups = tmp_path / "backups"
    out = _run(["bash", "scripts/backup.sh"], _env(DATABASE_URL=source, BACKUP_DIR=str(backups)))
    backup = Path(out.stdout.strip().splitlines()[-1])
    assert backup.suffix == ".dump" and "NOT encrypted" in out.stderr
    manifest = backup.with_suffix(".counts")
    lines = manifest.read_text().splitlines()
    manifest.write_text(
        "\n".join(f"{row.split()[0]} 999" if row.startswith("bookings ") else row for row in lines) + "\n"
    )

    check = _run(
        ["bash", "scripts/restore-check.sh"],  # the newest backup in BACKUP_DIR
        _env(
            RESTORE_ADMIN_URL=PG_ADMIN,
            RESTORE_DB_NAME=scratch_names("backup_dst"),
            BACKUP_DIR=str(backups),
            ERNI_AGENTS=str(BIN / "erni-agents"),
        ),
        check=False,
    )
    assert check.returncode != 0
    assert "bookings: 1 rows, the manifest says at least 999" in check.stderr


async def test_least_privilege_roles_run_the_service_and_nothing_more(
    scratch_names: Callable[[str], str],
) -> None:
    name = scratch_names("roles")
    _create_db(name)
    suffix = secrets.token_hex(3)
    owner, app = f"erni_owner_{suffix}", f"erni_app_{suffix}"
    owner_pw, app_pw = secrets.token_hex(16), secrets.token_hex(16)
    host = PG_HOST.split("://", 1)[1].split("@")[-1]
    try:
        _run(
            [
                "psql",
                PG_ADMIN,
                "-XAtq",
                "-v",
                "ON_ERROR_STOP=1",
                "-v",
                f"db_name={name}",
                "-v",
                f"owner_role={owner}",
                "-v",
                f"app_role={app}",
                "-v",
                f"owner_password={owner_pw}",
                "-v",
                f"app_password={app_pw}",
                "-f",
                "deploy/postgres/least-privilege.sql",
            ],
            _env(),
        )
        owner_url = f"postgresql://{owner}:{owner_pw}@{host}/{name}"
        app_url = f"postgresql://{app}:{app_pw}@{host}/{name}"
        env = _env(DATABASE_URL=owner_url)
        _run([str(BIN / "erni-agents"), "migrate"], env)
        _run([str(BIN / "erni-agents"), "seed-demo"], env)

        state = await build_state(_settings(app_url))
        state.service.clock = lambda: FIXED_NOW
        try:
            started = await state.service.start("en")
            result = await state.service.turn(
                started.conversation_id, "What does a single-family house of 150 m2 in timber cost?"
            )
            assert result.current_agent == "Cost Estimation Agent"
            assert "450" in " ".join(m["content"] for m in result.messages)
        finally:
            await state.close()

        with psycopg.connect(app_url, autocommit=True) as conn:
            assert conn.execute("SHOW timezone").fetchone() == ("UTC",)
            assert conn.execute("SELECT count(*) FROM inquiries").fetchone() == (1,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM conversations")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("CREATE TABLE sneaky (id int)")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DROP TABLE bookings")
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{app}"')
            conn.execute(f'DROP ROLE IF EXISTS "{owner}"')


def test_migration_rollback_with_the_operators_alembic_config(scratch_names: Callable[[str], str]) -> None:
    url = _create_db(scratch_names("rollback"))
    _populated_database(url)  # at head, with data
    env = _env(DATABASE_URL=url)
    alembic = [str(BIN / "alembic"), "-c", "deploy/alembic.ini"]
    assert f"{head_revision(url)} (head)" in _run([*alembic, "current"], env).stdout

    _run([*alembic, "downgrade", "0001"], env)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        tables = {
            row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        assert "staff_users" not in tables and "guardrail_trips" not in tables
        # Rolling back keeps the data of the tables that stay.
        assert conn.execute("SELECT count(*) FROM bookings").fetchone() == (1,)

    _run([str(BIN / "erni-agents"), "migrate"], env)
    _run([*alembic, "downgrade", "base"], env)
    with psycopg.connect(url) as conn:
        left = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert left == {"alembic_version"}
    _run([str(BIN / "erni-agents"), "migrate"], env)
    assert f"{head_revision(url)} (head)" in _run([*alembic, "current"], env).stdout
