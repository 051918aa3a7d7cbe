"""Error reporting to Sentry when SENTRY_DSN is set, with the log masking applied to every event."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import sentry_sdk
from sentry_sdk.types import DataCollectionUserOptions

from erni_agents.config import Settings
from erni_agents.ops.masking import Masker

Event = dict[str, Any]


def scrubber(masker: Masker) -> Callable[[Event, Any], Event | None]:
    """A `before_send`/`before_breadcrumb` hook: the same masking as the logs, over the whole event
    (messages, exception values, stack frame variables, request data, breadcrumbs)."""

    def scrub(event: Event, _hint: Any) -> Event | None:
        return masker.mapping(event)

    return scrub


# What the SDK may collect on its own, beyond what our code puts into an event: no user info, no
# request bodies (chat messages), headers, cookies or query strings, no LLM inputs or outputs, no
# database query data. `data_collection` replaces the deprecated `send_default_pii`; spelled out
# because its omitted fields default to collecting. Stack frame variables stay on: the scrubber
# masks them like everything else.
_DATA_COLLECTION: DataCollectionUserOptions = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "off"}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "graphql": {"document": False, "variables": False},
    "gen_ai": {"inputs": False, "outputs": False},
    "database_query_data": False,
    "queues": False,
}


def init_sentry(settings: Settings, masker: Masker) -> bool:
    """Start the Sentry client; returns False (and does nothing) without a DSN."""
    if not settings.sentry_dsn:
        return False
    scrub = scrubber(masker)
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.environment,
        release=f"erni-agents@{version('erni-agents')}",
        data_collection=_DATA_COLLECTION,
        before_send=scrub,  # type: ignore[arg-type]
        before_send_transaction=scrub,  # type: ignore[arg-type]
        before_breadcrumb=scrub,
    )
    return True
