"""When periodic tasks are due: pure functions of the last run and now, DST included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indgang.common.tasks import EPOCH, DailyAt, Every, is_due, latest_slot, next_slot

CPH = ZoneInfo("Europe/Copenhagen")
UTC = dt.UTC
FIVE_MINUTES = Every(dt.timedelta(minutes=5))
SEVEN_O_CLOCK = DailyAt(dt.time(7, 0))


def cph(
    year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0, *, fold: int = 0
) -> dt.datetime:
    """A Copenhagen wall-clock time; `fold=1` is the second of a repeated autumn hour."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=CPH, fold=fold)


def utc(
    year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def test_interval_slots_are_whole_multiples_of_the_interval() -> None:
    assert latest_slot(FIVE_MINUTES, now=utc(2026, 5, 4, 10, 7, 30)) == utc(2026, 5, 4, 10, 5)
    assert latest_slot(FIVE_MINUTES, now=utc(2026, 5, 4, 10, 10)) == utc(2026, 5, 4, 10, 10)
    assert latest_slot(FIVE_MINUTES, now=cph(2026, 5, 4, 12, 9, 59)) == utc(2026, 5, 4, 10, 5)


def test_interval_task_is_due_again_at_its_next_slot() -> None:
    last_run = utc(2026, 5, 4, 10, 5)

    assert not is_due(FIVE_MINUTES, last_run=last_run, now=utc(2026, 5, 4, 10, 9, 59, 999999))
    assert is_due(FIVE_MINUTES, last_run=last_run, now=utc(2026, 5, 4, 10, 10))


def test_a_task_that_never_ran_is_due() -> None:
    assert is_due(FIVE_MINUTES, last_run=None, now=utc(2026, 5, 4, 10, 7))
    assert is_due(SEVEN_O_CLOCK, last_run=None, now=utc(2026, 5, 4, 3, 0))


def test_missed_slots_run_once_not_once_each() -> None:
    now = cph(2026, 5, 4, 9, 0)
    assert is_due(SEVEN_O_CLOCK, last_run=cph(2026, 5, 1, 7, 0), now=now)

    ran = latest_slot(SEVEN_O_CLOCK, now=now)

    assert ran == cph(2026, 5, 4, 7, 0)
    assert not is_due(SEVEN_O_CLOCK, last_run=ran, now=now)


def test_hourly_task_runs_every_real_hour_across_both_clock_changes() -> None:
    hourly = Every(dt.timedelta(hours=1))
    # 29 March 2026: 02:00 CET becomes 03:00 CEST. 25 October: 03:00 CEST becomes 02:00 CET.
    spring = [latest_slot(hourly, now=cph(2026, 3, 29, h, 30)) for h in (0, 1, 3, 4)]
    autumn = [
        latest_slot(hourly, now=cph(2026, 10, 25, 1, 30)),
        latest_slot(hourly, now=cph(2026, 10, 25, 2, 30, fold=0)),
        latest_slot(hourly, now=cph(2026, 10, 25, 2, 30, fold=1)),
        latest_slot(hourly, now=cph(2026, 10, 25, 3, 30)),
    ]

    assert spring == [
        utc(2026, 3, 28, 23),
        utc(2026, 3, 29, 0),
        utc(2026, 3, 29, 1),
        utc(2026, 3, 29, 2),
    ]
    assert autumn == [
        utc(2026, 10, 24, 23),
        utc(2026, 10, 25, 0),
        utc(2026, 10, 25, 1),
        utc(2026, 10, 25, 2),
    ]


def test_daily_task_runs_at_the_same_wall_clock_time_in_winter_and_summer() -> None:
    assert latest_slot(SEVEN_O_CLOCK, now=cph(2026, 1, 15, 6, 59, 59)) == utc(2026, 1, 14, 6)
    assert latest_slot(SEVEN_O_CLOCK, now=cph(2026, 1, 15, 7, 0)) == utc(2026, 1, 15, 6)
    assert latest_slot(SEVEN_O_CLOCK, now=cph(2026, 7, 1, 7, 0)) == utc(2026, 7, 1, 5)


def test_daily_task_keeps_its_wall_clock_time_over_the_spring_change() -> None:
    saturday = latest_slot(SEVEN_O_CLOCK, now=cph(2026, 3, 28, 12, 0))
    sunday = latest_slot(SEVEN_O_CLOCK, now=cph(2026, 3, 29, 12, 0))

    assert (saturday, sunday) == (utc(2026, 3, 28, 6), utc(2026, 3, 29, 5))
    assert sunday - saturday == dt.timedelta(hours=23)
    assert not is_due(SEVEN_O_CLOCK, last_run=saturday, now=cph(2026, 3, 29, 6, 59, 59))
    assert is_due(SEVEN_O_CLOCK, last_run=saturday, now=cph(2026, 3, 29, 7, 0))


def test_daily_time_skipped_by_the_spring_change_runs_an_hour_later_by_the_clock() -> None:
    half_past_two = DailyAt(dt.time(2, 30))  # 02:30 does not exist on 29 March 2026
    saturday = utc(2026, 3, 28, 1, 30)

    assert latest_slot(half_past_two, now=cph(2026, 3, 29, 3, 29, 59)) == saturday
    assert latest_slot(half_past_two, now=cph(2026, 3, 29, 3, 30)) == utc(2026, 3, 29, 1, 30)
    assert is_due(half_past_two, last_run=saturday, now=cph(2026, 3, 29, 3, 30))


def test_daily_time_repeated_by_the_autumn_change_runs_once() -> None:
    half_past_two = DailyAt(dt.time(2, 30))  # 02:30 occurs twice on 25 October 2026
    first = cph(2026, 10, 25, 2, 30, fold=0)
    second = cph(2026, 10, 25, 2, 30, fold=1)

    assert latest_slot(half_past_two, now=first) == utc(2026, 10, 25, 0, 30)
    assert latest_slot(half_past_two, now=second) == utc(2026, 10, 25, 0, 30)
    assert not is_due(half_past_two, last_run=utc(2026, 10, 25, 0, 30), now=second)
    assert latest_slot(half_past_two, now=cph(2026, 10, 26, 2, 30)) == utc(2026, 10, 26, 1, 30)


def test_daily_time_follows_the_given_zone() -> None:
    assert latest_slot(SEVEN_O_CLOCK, now=utc(2026, 1, 15, 7), zone=ZoneInfo("UTC")) == utc(
        2026, 1, 15, 7
    )


def test_schedules_refuse_naive_times_and_too_short_intervals() -> None:
    with pytest.raises(ValueError, match="now must be an aware datetime."):
        latest_slot(FIVE_MINUTES, now=dt.datetime(2026, 5, 4, 10, 7))  # noqa: DTZ001
    for interval in (dt.timedelta(seconds=59), dt.timedelta(seconds=90)):
        with pytest.raises(ValueError, match="An interval is a whole number of minutes, at least"):
            Every(interval)
    with pytest.raises(ValueError, match="DailyAt takes a wall-clock time without a time zone."):
        DailyAt(dt.time(7, 0, tzinfo=CPH))


instants = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2035, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(now=instants, minutes=st.integers(min_value=1, max_value=7 * 24 * 60))
def test_interval_slot_is_the_last_multiple_at_or_before_now(
    now: dt.datetime, minutes: int
) -> None:
    interval = dt.timedelta(minutes=minutes)

    slot = latest_slot(Every(interval), now=now)

    assert dt.timedelta(0) <= now - slot < interval
    assert (slot - EPOCH) % interval == dt.timedelta(0)


@given(now=instants, at=st.times())
def test_daily_slot_is_within_a_day_before_now_at_the_wall_clock_time(
    now: dt.datetime, at: dt.time
) -> None:
    slot = latest_slot(DailyAt(at), now=now)
    local = slot.astimezone(CPH)
    next_day = latest_slot(DailyAt(at), now=slot + dt.timedelta(hours=25))

    assert slot <= now < slot + dt.timedelta(hours=25)
    # The wall time itself, or an hour later on the one spring night that skips it.
    skipped_by_spring_change = (
        local.month == 3 and (local.replace(tzinfo=None) - dt.timedelta(hours=1)).time() == at
    )
    assert local.time() == at or skipped_by_spring_change
    assert next_day - slot in {dt.timedelta(hours=h) for h in (23, 24, 25)}
    assert next_day.astimezone(CPH).date() == local.date() + dt.timedelta(days=1)


@given(
    last_run=instants,
    later=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)),
)
def test_a_daily_run_is_due_again_from_the_next_day_at_its_time(
    last_run: dt.datetime, later: dt.timedelta
) -> None:
    ran = latest_slot(SEVEN_O_CLOCK, now=last_run)
    now = (last_run + later).astimezone(CPH)
    days_since = (now.date() - ran.astimezone(CPH).date()).days

    expected = days_since >= 2 or (days_since == 1 and now.time() >= dt.time(7, 0))
    assert is_due(SEVEN_O_CLOCK, last_run=ran, now=now) == expected


def test_next_slot_is_the_first_one_after_the_given_instant() -> None:
    assert next_slot(FIVE_MINUTES, after=utc(2026, 5, 4, 10, 7)) == utc(2026, 5, 4, 10, 10)
    assert next_slot(FIVE_MINUTES, after=utc(2026, 5, 4, 10, 10)) == utc(2026, 5, 4, 10, 15)
    # Saturday 07:00 CET, then Sunday 07:00 CEST: 23 hours later.
    assert next_slot(SEVEN_O_CLOCK, after=cph(2026, 3, 28, 7, 0)) == utc(2026, 3, 29, 5)
    assert next_slot(SEVEN_O_CLOCK, after=cph(2026, 3, 28, 6, 59)) == utc(2026, 3, 28, 6)
    assert next_slot(DailyAt(dt.time(2, 30)), after=cph(2026, 3, 28, 3, 0)) == utc(
        2026, 3, 29, 1, 30
    )
    with pytest.raises(ValueError, match="after must be an aware datetime."):
        next_slot(SEVEN_O_CLOCK, after=dt.datetime(2026, 5, 4, 10, 7))  # noqa: DTZ001


@given(after=instants, at=st.times(), minutes=st.integers(min_value=1, max_value=7 * 24 * 60))
def test_no_slot_lies_between_an_instant_and_its_next_slot(
    after: dt.datetime, at: dt.time, minutes: int
) -> None:
    for schedule in (DailyAt(at), Every(dt.timedelta(minutes=minutes))):
        upcoming = next_slot(schedule, after=after)

        assert upcoming > after
        assert latest_slot(schedule, now=upcoming) == upcoming
        assert latest_slot(schedule, now=upcoming - dt.timedelta(microseconds=1)) == latest_slot(
            schedule, now=after
        )
