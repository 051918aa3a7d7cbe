"""When a consultation can take place, and which slots are still free.

All wall-clock times are Europe/Zurich: customers and specialists think in local time, and the
fixed slot times must stay at 09:00/14:00/16:00 across daylight-saving changes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from erni_agents.domain.errors import DateNotBookable, InvalidSlotTime
from erni_agents.domain.specialists import read_specialists_data

TIMEZONE = ZoneInfo("Europe/Zurich")
BOOKING_HORIZON_DAYS = 180

# "14:00", "9", "09.00", "16 Uhr", "14:00 Uhr" — deliberately no am/pm: customers write 24 h times.
_SLOT_TEXT = re.compile(r"^\s*(\d{1,2})(?:\s*[:.]\s*(\d{2}))?\s*(?:uhr)?\s*$", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class FreeSlot:
    time: time
    start: datetime
    specialists_free: tuple[str, ...]


@dataclass(frozen=True)
class SchedulePolicy:
    slot_times: tuple[time, ...]
    slot_minutes: int = 60
    location: str = ""
    horizon_days: int = BOOKING_HORIZON_DAYS
    timezone: ZoneInfo = TIMEZONE

    @classmethod
    def load(cls) -> SchedulePolicy:
        """The policy from the packaged specialists.json; parsed once per process."""
        return _load_packaged()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SchedulePolicy:
        slot_times = tuple(sorted(time.fromisoformat(text) for text in data["slot_times"]))
        if not slot_times:
            raise ValueError("specialists data defines no slot times")
        return cls(
            slot_times=slot_times,
            slot_minutes=int(data.get("slot_minutes", 60)),
            location=str(data.get("location", "")),
            timezone=ZoneInfo(str(data.get("timezone", "Europe/Zurich"))),
        )

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    @property
    def slot_labels(self) -> tuple[str, ...]:
        return tuple(t.strftime("%H:%M") for t in self.slot_times)

    def last_bookable_day(self, today: date) -> date:
        return today + timedelta(days=self.horizon_days)

    def check_bookable_date(self, day: date, today: date) -> None:
        if day < today:
            raise DateNotBookable(day, "past")
        if day > self.last_bookable_day(today):
            raise DateNotBookable(day, "too_far", last_bookable=self.last_bookable_day(today))
        # Holiday before weekend: naming "National Day" is more useful than "it is a Sunday".
        holiday_name = national_holiday(day)
        if holiday_name is not None:
            raise DateNotBookable(day, "holiday", holiday_name=holiday_name)
        if day.weekday() >= 5:
            raise DateNotBookable(day, "weekend")

    def is_bookable(self, day: date, today: date) -> bool:
        try:
            self.check_bookable_date(day, today)
        except DateNotBookable:
            return False
        return True

    def parse_slot_time(self, text: str) -> time:
        match = _SLOT_TEXT.match(text)
        if match is not None:
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if hour < 24 and minute < 60 and time(hour, minute) in self.slot_times:
                return time(hour, minute)
        raise InvalidSlotTime(text, self.slot_labels)

    def slot_start(self, day: date, slot_time: time) -> datetime:
        if slot_time not in self.slot_times:
            raise InvalidSlotTime(slot_time.isoformat(timespec="minutes"), self.slot_labels)
        return datetime.combine(day, slot_time, tzinfo=self.timezone)

    def slot_end(self, day: date, slot_time: time) -> datetime:
        # Wall-clock addition is right here: slots never straddle a DST switch (which happens at night).
        return self.slot_start(day, slot_time) + self.slot_length

    def free_slots(
        self,
        day: date,
        specialists: Sequence[str],
        taken: Collection[tuple[str, datetime]],
        now: datetime,
    ) -> list[FreeSlot]:
        """Slots on ``day`` with at least one of ``specialists`` still available.

        ``specialists`` are the names of one type in preference order; ``taken`` holds existing
        bookings as (specialist name, start). A booking blocks every slot it overlaps, not only the
        one starting at the same instant, so a manually entered 14:30 booking cannot be doubled.
        Non-bookable days (past, weekend, holiday, beyond the horizon) have no free slots.
        """
        _require_aware(now, "now")
        if not self.is_bookable(day, now.astimezone(self.timezone).date()):
            return []
        busy: dict[str, list[datetime]] = {}
        for name, start in taken:
            _require_aware(start, "taken booking start")
            busy.setdefault(name, []).append(start.astimezone(UTC))
        ordered = tuple(dict.fromkeys(specialists))
        result: list[FreeSlot] = []
        for slot_time in self.slot_times:
            start = self.slot_start(day, slot_time)
            if start <= now:
                continue
            free = tuple(name for name in ordered if not self._overlaps(start, busy.get(name, ())))
            if free:
                result.append(FreeSlot(time=slot_time, start=start, specialists_free=free))
        return result

    def _overlaps(self, slot_start: datetime, booked_starts: Sequence[datetime]) -> bool:
        slot_end = slot_start + self.slot_length
        return any(b < slot_end and slot_start < b + self.slot_length for b in booked_starts)

    def next_bookable_days(self, from_day: date, today: date, n: int) -> list[date]:
        """Up to ``n`` bookable days from ``from_day`` (inclusive); fewer if the horizon ends first."""
        days: list[date] = []
        day = max(from_day, today)
        last = self.last_bookable_day(today)
        while len(days) < n and day <= last:
            if self.is_bookable(day, today):
                days.append(day)
            day += timedelta(days=1)
        return days


def choose_specialist(slot: FreeSlot) -> str:
    """First free specialist in preference order, so the same request always books the same person."""
    if not slot.specialists_free:
        raise ValueError("slot has no free specialist")
    return slot.specialists_free[0]


def national_holiday(day: date, language: str = "en") -> str | None:
    """Name of the Swiss national public holiday on ``day`` ("de" or "en"), or None.

    Without a subdivision the library returns only the holidays observed in every canton; the
    Lucerne ones (e.g. Good Friday) are intentionally not blocked here.
    """
    return _national_holidays(day.year, "de" if language == "de" else "en_US").get(day)


def preload_holidays(today: date) -> None:
    """Build this year's and next year's holiday tables now: the first lookup costs ~0.5 s, which
    would otherwise fall on the first booking turn of each process."""
    for year in (today.year, today.year + 1):
        for language in ("de", "en_US"):
            _national_holidays(year, language)


@lru_cache(maxsize=16)
def _national_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("CH", years=year, language=language)


@lru_cache(maxsize=1)
def _load_packaged() -> SchedulePolicy:
    return SchedulePolicy.from_dict(read_specialists_data())


def _require_aware(value: datetime, what: str) -> None:
    # A naive datetime is ambiguous (UTC from the DB? local?); guessing would shift bookings by hours.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {value!r}")


def check_bookable_date(day: date, today: date) -> None:
    SchedulePolicy.load().check_bookable_date(day, today)


def is_bookable(day: date, today: date) -> bool:
    return SchedulePolicy.load().is_bookable(day, today)


def parse_slot_time(text: str) -> time:
    return SchedulePolicy.load().parse_slot_time(text)


def slot_start(day: date, slot_time: time) -> datetime:
    return SchedulePolicy.load().slot_start(day, slot_time)


def slot_end(day: date, slot_time: time) -> datetime:
    return SchedulePolicy.load().slot_end(day, slot_time)


def free_slots(
    day: date,
    specialists: Sequence[str],
    taken: Collection[tuple[str, datetime]],
    now: datetime,
) -> list[FreeSlot]:
    return SchedulePolicy.load().free_slots(day, specialists, taken, now)


def next_bookable_days(from_day: date, today: date, n: int) -> list[date]:
    return SchedulePolicy.load().next_bookable_days(from_day, today, n)
