""".env.example documents every setting, nothing else, and its active lines are the real defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pathspec
import pytest

from erni_agents.config import _SECRET_NAMES, Settings

ROOT = Path(__file__).resolve().parents[3]
ENV_EXAMPLE = ROOT / ".env.example"
# "NAME=value" (active) or "# NAME=example" (optional, shown commented out). Prose comments never
# start with an upper-case name followed by "=".
_ASSIGNMENT = re.compile(r"^(?P<comment>#\s)?(?P<name>[A-Z][A-Z0-9_]*)=")
# Read by the process from os.environ, not by Settings (see section 8 of .env.example).
PROCESS_ONLY = {"PROMETHEUS_MULTIPROC_DIR"}


def _documented() -> dict[str, bool]:
    """Documented names, each mapped to whether its line is active (not commented out)."""
    names: dict[str, bool] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = _ASSIGNMENT.match(line)
        if match:
            names[match["name"]] = names.get(match["name"], False) or match["comment"] is None
    return names


def _settings_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def _secret_file_names() -> set[str]:
    return {f"{name}_FILE" for name in _SECRET_NAMES if name in _settings_names()}


def test_every_setting_is_documented() -> None:
    missing = _settings_names() - set(_documented())
    assert not missing, f"Settings fields missing from .env.example: {sorted(missing)}"


def test_nothing_unknown_is_documented() -> None:
    known = _settings_names() | _secret_file_names() | PROCESS_ONLY
    unknown = set(_documented()) - known
    assert not unknown, f".env.example lists variables the code does not read: {sorted(unknown)}"


def test_every_secret_file_variable_is_documented() -> None:
    missing = _secret_file_names() - set(_documented())
    assert not missing, f"*_FILE variables missing from .env.example: {sorted(missing)}"


def test_secret_files_and_process_variables_are_never_active_lines() -> None:
    # Settings reads .env, but *_FILE and PROMETHEUS_MULTIPROC_DIR are read from os.environ: an
    # active line for them in a copied .env would silently do nothing.
    active = {name for name, is_active in _documented().items() if is_active}
    assert not active & (_secret_file_names() | PROCESS_ONLY)


def test_copying_the_example_gives_the_built_in_defaults() -> None:
    from_example = Settings(_env_file=ENV_EXAMPLE)
    defaults = Settings(_env_file=None)
    assert from_example.model_dump() == defaults.model_dump()


def test_settings_really_read_the_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RATE_LIMIT_PER_MINUTE", raising=False)
    # Guards the comparison above against a file that Settings silently fails to parse.
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert "\nRATE_LIMIT_PER_MINUTE=60\n" in text
    changed = tmp_path / "env"
    changed.write_text(text.replace("\nRATE_LIMIT_PER_MINUTE=60\n", "\nRATE_LIMIT_PER_MINUTE=61\n"))
    assert Settings(_env_file=changed).rate_limit_per_minute == 61


def test_dotenv_is_git_ignored_and_the_example_is_not() -> None:
    spec = pathspec.GitIgnoreSpec.from_lines((ROOT / ".gitignore").read_text(encoding="utf-8").splitlines())
    assert spec.match_file(".env")
    assert not spec.match_file(".env.example")
