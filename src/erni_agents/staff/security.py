"""Password hashing (argon2) and access tokens (JWT, HS256). Pure functions, no I/O."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALGORITHM = "HS256"
MIN_PASSWORD_LENGTH = 12
# argon2 cost grows with input length; nobody types more than this.
MAX_PASSWORD_LENGTH = 1024


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    VIEWER = "viewer"


class InvalidToken(Exception):
    """Missing, malformed, expired or wrongly signed token (the reason is not told to clients)."""


@dataclass(frozen=True)
class TokenClaims:
    subject: str
    role: str
    expires_at: datetime
    issued_at: datetime
    token_id: str


@cache
def password_hasher() -> PasswordHasher:
    # argon2-cffi's defaults follow RFC 9106; raising them later makes old hashes "need rehash".
    return PasswordHasher()


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    return (hasher or password_hasher()).hash(password)


def verify_password(password_hash: str, password: str, hasher: PasswordHasher | None = None) -> bool:
    try:
        return (hasher or password_hasher()).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, hasher: PasswordHasher | None = None) -> bool:
    return (hasher or password_hasher()).check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """Verified against for unknown users, so a login takes as long whether the user exists or not."""
    return hash_password(secrets.token_urlsafe(16))


def create_access_token(
    subject: str, role: str, secret: str, expire_minutes: int, now: datetime | None = None
) -> tuple[str, TokenClaims]:
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    claims = TokenClaims(
        subject=subject,
        role=role,
        expires_at=issued + timedelta(minutes=expire_minutes),
        issued_at=issued,
        token_id=secrets.token_hex(16),
    )
    payload = {
        "sub": claims.subject,
        "role": claims.role,
        "exp": claims.expires_at,
        "iat": claims.issued_at,
        "jti": claims.token_id,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM), claims


def decode_access_token(token: str, secret: str) -> TokenClaims:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "role", "exp", "iat", "jti"]},
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidToken(type(exc).__name__) from exc
    return TokenClaims(
        subject=str(payload["sub"]),
        role=str(payload["role"]),
        expires_at=datetime.fromtimestamp(payload["exp"], UTC),
        issued_at=datetime.fromtimestamp(payload["iat"], UTC),
        token_id=str(payload["jti"]),
    )
