"""Error reporting to Sentry when SENTRY_DSN is set, with the log masking applied to every event."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import sentry_sdk

from erni_agents.config import Settings
from erni_agents.ops.masking import Masker

Event = dict[str, Any]


def scrubber(masker: Masker) -> Callable[[Event, Any], Event | None]:
    """A `before_send`/`before_breadcrumb` hook: the same masking as the logs, over the whole event
    (messages, exception values, stack frame variables, request data, breadcrumbs)."""

    def scrub(event: Event, _hint: Any) -> Event | None:
        return masker.mapping(event)

    return scrub


def init_sentry(settings: Settings, masker: Masker) -> bool:
    """Start the Sentry client; returns False (and does nothing) without a DSN."""
    if not settings.sentry_dsn:
        return False
    scrub = scrubber(masker)
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.environment,
        release=f"erni-agents@{version('erni-agents')}",
        send_default_pii=False,
        before_send=scrub,  # type: ignore[arg-type]
        before_send_transaction=scrub,  # type: ignore[arg-type]
        before_breadcrumb=scrub,
    )
    return True
