"""Password hashing and access tokens of the staff API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from argon2 import PasswordHasher

from erni_agents.staff.security import (
    ALGORITHM,
    InvalidToken,
    create_access_token,
    decode_access_token,
    hash_password,
    needs_rehash,
    verify_password,
)

SECRET = "unit-test-jwt-secret-0123456789abcdef"
OTHER_SECRET = "another-jwt-secret-0123456789abcdefgh"
PASSWORD = "correct horse battery"
# Cheaper than the defaults, like a hash written before the parameters were raised.
OLD_PARAMETERS = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def test_hash_verifies_only_the_right_password() -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD + "!")
    assert not verify_password(stored, "")


def test_same_password_hashes_differently() -> None:
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # random salt


def test_garbage_hash_is_a_failed_verification_not_an_error() -> None:
    assert not verify_password("not-a-hash", PASSWORD)


def test_rehash_needed_when_parameters_changed() -> None:
    old = hash_password(PASSWORD, OLD_PARAMETERS)
    assert verify_password(old, PASSWORD)  # old hashes still log in ...
    assert needs_rehash(old)  # ... and are upgraded on that login
    assert not needs_rehash(hash_password(PASSWORD))


def test_token_roundtrip_carries_the_claims() -> None:
    now = datetime.now(UTC)
    token, claims = create_access_token("anna", "staff", SECRET, 30, now=now)
    decoded = decode_access_token(token, SECRET)
    assert decoded == claims
    assert decoded.subject == "anna"
    assert decoded.role == "staff"
    assert decoded.expires_at - decoded.issued_at == timedelta(minutes=30)
    raw = jwt.decode(token, SECRET, algorithms=[ALGORITHM])
    assert set(raw) == {"sub", "role", "exp", "iat", "jti"}
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_every_token_has_its_own_id() -> None:
    first = create_access_token("anna", "staff", SECRET, 30)[1]
    second = create_access_token("anna", "staff", SECRET, 30)[1]
    assert first.token_id != second.token_id
    assert len(first.token_id) == 32


def test_expired_token_is_rejected() -> None:
    issued = datetime.now(UTC) - timedelta(minutes=61)
    token, _ = create_access_token("anna", "staff", SECRET, 60, now=issued)
    with pytest.raises(InvalidToken):
        decode_access_token(token, SECRET)


def test_token_is_valid_until_it_expires() -> None:
    issued = datetime.now(UTC) - timedelta(minutes=59)
    token, _ = create_access_token("anna", "staff", SECRET, 60, now=issued)
    assert decode_access_token(token, SECRET).subject == "anna"


def test_wrong_signature_is_rejected() -> None:
    token, _ = create_access_token("anna", "admin", OTHER_SECRET, 30)
    with pytest.raises(InvalidToken):
        decode_access_token(token, SECRET)


def test_unsigned_token_is_rejected() -> None:
    now = datetime.now(UTC)
    payload = {"sub": "anna", "role": "admin", "exp": now + timedelta(hours=1), "iat": now, "jti": "x"}
    token = jwt.encode(payload, None, algorithm="none")
    with pytest.raises(InvalidToken):
        decode_access_token(token, SECRET)


def test_token_without_required_claim_is_rejected() -> None:
    now = datetime.now(UTC)
    payload = {"sub": "anna", "role": "admin", "exp": now + timedelta(hours=1), "iat": now}
    token = jwt.encode(payload, SECRET, algorithm=ALGORITHM)
    with pytest.raises(InvalidToken):
        decode_access_token(token, SECRET)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "Bearer x"])
def test_malformed_token_is_rejected(token: str) -> None:
    with pytest.raises(InvalidToken):
        decode_access_token(token, SECRET)
