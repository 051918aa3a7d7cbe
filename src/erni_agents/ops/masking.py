"""Masking of personal data and secrets in everything the process writes out (logs, Sentry events).

Personal data (e-mail addresses, phone numbers, AHV numbers, IBANs, card numbers) is found by the
same detector as the output guardrail (`guardrails.pii`), so both agree on what is personal.
Secrets are the values of the settings' secret fields, passwords inside URLs, `Bearer …` tokens,
`password=…`-style assignments and the values of keys such as "password" or "authorization".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from erni_agents.config import Settings
from erni_agents.guardrails.pii import redact_pii

MASK = "[redacted]"
# Shorter values would mask ordinary words and numbers all over the logs.
_MIN_SECRET_LENGTH = 8
_SECRET_FIELD = re.compile(r"(key|secret|password|token|dsn)$")
_SECRET_KEY_NAME = re.compile(r"pass(word|wd)?|secret|token|authorization|api[_-]?key|cookie|dsn", re.I)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.I)
_ASSIGNMENT = re.compile(
    r"""(?P<key>\b(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key)["']?\s*[=:]\s*["']?)(?P<value>[^\s&,;"']+)""",
    re.I,
)
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/\s@]*:)[^@\s/]+@", re.I)
_DIGITS_FOR_PHONE = 7


def _looks_personal(text: str) -> bool:
    """Cheap pre-check so most log strings skip the full detector."""
    return "@" in text or sum(ch.isdigit() for ch in text) >= _DIGITS_FOR_PHONE


class Masker:
    """Replaces personal data and secrets with "[redacted]" in strings and nested containers."""

    def __init__(self, secrets: Iterable[str] = (), skip_keys: Iterable[str] = ()) -> None:
        values = {s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}
        # Longest first, so a secret that contains another is replaced as a whole.
        self._secrets = sorted(values, key=len, reverse=True)
        self._skip = frozenset(skip_keys)

    @classmethod
    def from_settings(cls, settings: Settings, skip_keys: Iterable[str] = ()) -> Masker:
        return cls(_secret_values(settings), skip_keys)

    def text(self, value: str) -> str:
        for secret in self._secrets:
            if secret in value:
                value = value.replace(secret, MASK)
        value = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", value)
        value = _ASSIGNMENT.sub(lambda m: m.group("key") + MASK, value)
        value = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK + "@", value)
        if _looks_personal(value):
            value = redact_pii(value, allowed=()).text
        return value

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return self.mapping(value)
        if isinstance(value, list | tuple | set):
            return type(value)(self.value(item) for item in value)
        return value

    def mapping(self, data: Mapping[Any, Any]) -> dict[Any, Any]:
        masked: dict[Any, Any] = {}
        for key, item in data.items():
            if key in self._skip:
                masked[key] = item
            elif isinstance(key, str) and _SECRET_KEY_NAME.search(key) and isinstance(item, str | bytes):
                masked[key] = MASK
            else:
                masked[key] = self.value(item)
        return masked

    def __call__(self, _logger: Any, _method: str, event_dict: Any) -> Any:
        """structlog processor."""
        return self.mapping(event_dict)


def _secret_values(settings: Settings) -> list[str]:
    values: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if not isinstance(value, str) or not value:
            continue
        if _SECRET_FIELD.search(name):
            values.append(value)
        if "://" in value:
            password = urlsplit(value).password
            if password:
                values.append(password)
    return values
