"""Creating and updating staff accounts (used by `erni-agents create-staff-user`)."""

from __future__ import annotations

import asyncio
import re
from typing import Literal

from erni_agents.staff.repository import StaffRepository
from erni_agents.staff.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Role, hash_password
from erni_agents.staff.service import normalise_username

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,79}$")


class AccountError(ValueError):
    """A request the operator must correct; the message says how."""


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise AccountError(
            "username: 3 to 80 characters of a-z, 0-9 and . _ @ -, starting with a letter or digit"
        )
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")


async def save_account(
    staff: StaffRepository, username: str, password: str, role: Role | None, *, update: bool
) -> Literal["created", "updated"]:
    """Create the account, or with `update` set a new password (and the role when given) on an
    existing one. Without `update` an existing account is an error, so a typo cannot overwrite it."""
    name = check_username(username)
    check_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
    existing = await staff.user(name)
    if existing is not None:
        if not update:
            raise AccountError(f"user {name!r} already exists (--update changes its password)")
        await staff.update_user(name, password_hash=password_hash, role=role.value if role else None)
        return "updated"
    if role is None:
        raise AccountError("a new account needs --role admin|staff|viewer")
    if await staff.create_user(name, password_hash, role.value) is None:
        raise AccountError(f"user {name!r} was created concurrently; retry with --update")
    return "created"
