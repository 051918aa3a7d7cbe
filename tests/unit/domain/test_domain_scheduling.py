from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from erni_agents.domain.errors import DateNotBookable, InvalidSlotTime
from erni_agents.domain.scheduling import (
    BOOKING_HORIZON_DAYS,
    FreeSlot,
    SchedulePolicy,
    check_bookable_date,
    choose_specialist,
    free_slots,
    is_bookable,
    national_holiday,
    next_bookable_days,
    parse_slot_time,
    slot_end,
    slot_start,
)

ZURICH = ZoneInfo("Europe/Zurich")
TODAY = date(2026, 12, 1)  # Tuesday
WEDNESDAY = date(2026, 12, 2)
ARCHITECTS = ("André Arnold", "Stefan Gisler")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZURICH)


def morning_before(day: date) -> datetime:
    return at(day - timedelta(days=1), 8)


# --- policy data -----------------------------------------------------------------------------


def test_policy_comes_from_specialists_json() -> None:
    policy = SchedulePolicy.load()
    assert policy.slot_times == (time(9), time(14), time(16))
    assert policy.slot_minutes == 60
    assert policy.location == "Guggibadstrasse 8, 6288 Schongau"
    assert policy.horizon_days == BOOKING_HORIZON_DAYS == 180
    assert policy.timezone == ZURICH
    assert policy.slot_labels == ("09:00", "14:00", "16:00")


# --- bookable dates --------------------------------------------------------------------------


def test_weekday_today_and_future_are_bookable() -> None:
    check_bookable_date(TODAY, TODAY)
    check_bookable_date(WEDNESDAY, TODAY)
    assert is_bookable(WEDNESDAY, TODAY)


def test_past_day_is_rejected() -> None:
    with pytest.raises(DateNotBookable) as info:
        check_bookable_date(TODAY - timedelta(days=1), TODAY)
    assert info.value.reason == "past"
    assert info.value.code == "date_not_bookable"


@pytest.mark.parametrize("day", [date(2026, 12, 5), date(2026, 12, 6)])
def test_weekend_is_rejected(day: date) -> None:
    with pytest.raises(DateNotBookable) as info:
        check_bookable_date(day, TODAY)
    assert info.value.reason == "weekend"
    assert info.value.holiday_name is None


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2026, 5, 14), "Ascension Day"),
        # A Sunday: the holiday is reported because it is the more specific reason.
        (date(2027, 8, 1), "National Day"),
    ],
)
def test_national_holiday_is_rejected_with_its_name(day: date, name: str) -> None:
    today = day - timedelta(days=30)
    with pytest.raises(DateNotBookable) as info:
        check_bookable_date(day, today)
    assert info.value.reason == "holiday"
    assert info.value.holiday_name == name
    assert name in info.value.detail


def test_cantonal_only_holiday_is_not_blocked() -> None:
    # Good Friday 2026 is a holiday in Lucerne, not a national one.
    assert national_holiday(date(2026, 4, 3)) is None
    check_bookable_date(date(2026, 4, 3), date(2026, 3, 1))


def test_day_before_a_holiday_is_bookable() -> None:
    check_bookable_date(date(2026, 12, 24), TODAY)


def test_horizon_is_inclusive_at_180_days() -> None:
    today = date(2026, 6, 3)
    last = today + timedelta(days=180)
    assert last.weekday() < 5
    check_bookable_date(last, today)
    with pytest.raises(DateNotBookable) as info:
        check_bookable_date(last + timedelta(days=1), today)
    assert info.value.reason == "too_far"
    assert info.value.last_bookable == last


def test_reason_must_be_known() -> None:
    with pytest.raises(ValueError):
        DateNotBookable(TODAY, "closed")  # type: ignore[arg-type]


# --- slot times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00", time(14)),
        ("14", time(14)),
        ("9", time(9)),
        ("09", time(9)),
        ("09:00", time(9)),
        ("9:00", time(9)),
        ("16.00", time(16)),
        ("16 Uhr", time(16)),
        ("16uhr", time(16)),
        (" 14:00 Uhr ", time(14)),
    ],
)
def test_slot_time_forms_are_parsed(text: str, expected: time) -> None:
    assert parse_slot_time(text) == expected


@pytest.mark.parametrize(
    "text", ["10:00", "14:30", "15", "25", "24:00", "4pm", "", "vierzehn", "14:0", "9:60"]
)
def test_non_slot_times_are_rejected(text: str) -> None:
    with pytest.raises(InvalidSlotTime) as info:
        parse_slot_time(text)
    assert info.value.allowed == ("09:00", "14:00", "16:00")
    assert "09:00, 14:00, 16:00" in info.value.detail


def test_slot_start_and_end_are_aware_zurich_times() -> None:
    start = slot_start(WEDNESDAY, time(14))
    assert start == datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # CET = UTC+1
    assert start.tzinfo == ZURICH
    assert slot_end(WEDNESDAY, time(14)) - start == timedelta(hours=1)


def test_slot_start_follows_daylight_saving() -> None:
    assert slot_start(date(2026, 7, 15), time(9)) == datetime(2026, 7, 15, 7, 0, tzinfo=UTC)


def test_slot_start_rejects_non_slot_time() -> None:
    with pytest.raises(InvalidSlotTime):
        slot_start(WEDNESDAY, time(10))


# --- free slots ------------------------------------------------------------------------------


def test_all_slots_free_without_bookings() -> None:
    slots = free_slots(WEDNESDAY, ARCHITECTS, [], morning_before(WEDNESDAY))
    assert [s.time for s in slots] == [time(9), time(14), time(16)]
    assert all(s.specialists_free == ARCHITECTS for s in slots)
    assert slots[0].start == at(WEDNESDAY, 9)


def test_slot_still_free_when_one_of_two_specialists_is_taken() -> None:
    taken = [("André Arnold", at(WEDNESDAY, 14))]
    slots = free_slots(WEDNESDAY, ARCHITECTS, taken, morning_before(WEDNESDAY))
    by_time = {s.time: s for s in slots}
    assert by_time[time(14)].specialists_free == ("Stefan Gisler",)
    assert by_time[time(9)].specialists_free == ARCHITECTS


def test_slot_not_free_when_all_specialists_are_taken() -> None:
    taken = [("André Arnold", at(WEDNESDAY, 14)), ("Stefan Gisler", at(WEDNESDAY, 14))]
    slots = free_slots(WEDNESDAY, ARCHITECTS, taken, morning_before(WEDNESDAY))
    assert [s.time for s in slots] == [time(9), time(16)]


def test_bookings_of_other_specialists_do_not_block() -> None:
    taken = [("Tobias Wili", at(WEDNESDAY, 9)), ("Andreas Wermelinger", at(WEDNESDAY, 9))]
    slots = free_slots(WEDNESDAY, ARCHITECTS, taken, morning_before(WEDNESDAY))
    assert slots[0].time == time(9) and slots[0].specialists_free == ARCHITECTS


def test_taken_bookings_match_by_instant_not_by_timezone() -> None:
    taken = [(name, datetime(2026, 12, 2, 8, 0, tzinfo=UTC)) for name in ARCHITECTS]  # 09:00 Zurich
    slots = free_slots(WEDNESDAY, ARCHITECTS, taken, morning_before(WEDNESDAY))
    assert time(9) not in [s.time for s in slots]


def test_overlapping_off_grid_booking_blocks_the_slot() -> None:
    taken = [(name, at(WEDNESDAY, 14, 30)) for name in ARCHITECTS]
    slots = free_slots(WEDNESDAY, ARCHITECTS, taken, morning_before(WEDNESDAY))
    assert [s.time for s in slots] == [time(9), time(16)]


def test_booking_on_another_day_does_not_block() -> None:
    taken = [(name, at(WEDNESDAY + timedelta(days=1), 9)) for name in ARCHITECTS]
    slots = free_slots(WEDNESDAY, ARCHITECTS, taken, morning_before(WEDNESDAY))
    assert len(slots) == 3


def test_past_slots_today_are_not_free() -> None:
    slots = free_slots(WEDNESDAY, ARCHITECTS, [], at(WEDNESDAY, 10, 15))
    assert [s.time for s in slots] == [time(14), time(16)]


def test_slot_starting_right_now_is_not_free() -> None:
    slots = free_slots(WEDNESDAY, ARCHITECTS, [], at(WEDNESDAY, 14))
    assert [s.time for s in slots] == [time(16)]


def test_now_in_utc_is_compared_as_an_instant() -> None:
    # 13:30 UTC is 14:30 in Zurich (CET): the 14:00 slot has passed.
    slots = free_slots(WEDNESDAY, ARCHITECTS, [], datetime(2026, 12, 2, 13, 30, tzinfo=UTC))
    assert [s.time for s in slots] == [time(16)]


def test_late_evening_leaves_no_slot_today() -> None:
    assert free_slots(WEDNESDAY, ARCHITECTS, [], at(WEDNESDAY, 17)) == []


@pytest.mark.parametrize("day", [date(2026, 12, 5), date(2026, 12, 25), date(2026, 11, 30)])
def test_non_bookable_days_have_no_free_slots(day: date) -> None:
    assert free_slots(day, ARCHITECTS, [], at(TODAY, 8)) == []


def test_no_specialists_means_no_free_slots() -> None:
    assert free_slots(WEDNESDAY, [], [], morning_before(WEDNESDAY)) == []


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        free_slots(WEDNESDAY, ARCHITECTS, [], datetime(2026, 12, 1, 8))
    with pytest.raises(ValueError, match="aware"):
        free_slots(WEDNESDAY, ARCHITECTS, [("André Arnold", datetime(2026, 12, 2, 9))], at(TODAY, 8))


def test_choose_specialist_is_first_free_in_given_order() -> None:
    slot = FreeSlot(time(9), at(WEDNESDAY, 9), ("Stefan Gisler", "André Arnold"))
    assert choose_specialist(slot) == "Stefan Gisler"
    taken = [("André Arnold", at(WEDNESDAY, 9))]
    (first, *_) = free_slots(WEDNESDAY, ARCHITECTS, taken, morning_before(WEDNESDAY))
    assert choose_specialist(first) == "Stefan Gisler"


def test_choose_specialist_needs_a_free_one() -> None:
    with pytest.raises(ValueError):
        choose_specialist(FreeSlot(time(9), at(WEDNESDAY, 9), ()))


# --- alternatives ----------------------------------------------------------------------------


def test_next_bookable_days_skip_weekends_and_holidays() -> None:
    days = next_bookable_days(date(2026, 12, 24), TODAY, 3)
    # 25th holiday (Fri), 26/27 weekend.
    assert days == [date(2026, 12, 24), date(2026, 12, 28), date(2026, 12, 29)]


def test_next_bookable_days_never_suggest_the_past() -> None:
    assert next_bookable_days(TODAY - timedelta(days=10), TODAY, 1) == [TODAY]


def test_next_bookable_days_stop_at_the_horizon() -> None:
    last = TODAY + timedelta(days=180)
    days = next_bookable_days(last - timedelta(days=3), TODAY, 10)
    assert days and all(d <= last for d in days) and len(days) < 10
    assert next_bookable_days(TODAY, TODAY, 0) == []
