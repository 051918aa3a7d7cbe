"""Double booking is impossible: concurrent requests for one slot against the real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from erni_agents.api.state import AppState
from erni_agents.store.repositories import NewBooking


async def test_concurrent_bookings_of_one_slot(state: AppState) -> None:
    start = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    architects = [s.name for s in await state.repos.specialists("Architekt")]

    async def attempt(i: int, name: str) -> bool:
        booked = await state.repos.try_book(
            NewBooking(
                specialist_name=name,
                specialist_type="Architekt",
                slot_start=start,
                slot_end=start + timedelta(hours=1),
                customer_name=f"Kunde {i}",
                customer_email=f"k{i}@example.ch",
                customer_phone="+41791234567",
                conversation_id=None,
            )
        )
        return booked is not None

    results = await asyncio.gather(*(attempt(i, architects[i % 2]) for i in range(10)))
    assert sum(results) == 2  # one per architect, never more
    rows = await state.repos.bookings(status="active")
    assert sorted(name for _, name in rows) == sorted(architects)
    # Once cancelled, the slot can be booked again.
    assert await state.repos.cancel_booking(rows[0][0].id)
    assert await attempt(99, rows[0][1])
