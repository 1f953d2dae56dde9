from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indgang.common.workdays import (
    CLOSING_DAY_DATES,
    COPENHAGEN,
    DEFAULT_CALENDAR,
    ClosingDay,
    NaiveDatetimeError,
    WorkCalendar,
    add_working_days,
    count_working_days,
    is_open,
    next_opening,
    public_holidays,
    working_days_in,
)


def cph(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


instants = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(COPENHAGEN),
)
calendars = st.builds(
    WorkCalendar,
    closing_days=st.frozensets(st.sampled_from(list(ClosingDay))),
    closed_dates=st.frozensets(
        st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2031, 12, 31)), max_size=20
    ),
)


@settings(max_examples=300, deadline=None)
@given(start=instants, days=st.integers(min_value=0, max_value=60), calendar=calendars)
def test_adding_working_days_never_lands_on_a_closed_day(
    start: dt.datetime, days: int, calendar: WorkCalendar
) -> None:
    due = add_working_days(start, days, calendar=calendar)

    assert calendar.is_working_day(due.date())
    assert due.tzinfo == COPENHAGEN
    assert due >= start


@settings(max_examples=300, deadline=None)
@given(start=instants, days=st.integers(min_value=0, max_value=60), calendar=calendars)
def test_counting_the_working_days_added_returns_their_number(
    start: dt.datetime, days: int, calendar: WorkCalendar
) -> None:
    due = add_working_days(start, days, calendar=calendar)

    assert count_working_days(start, due, calendar=calendar) == days
    # One minute less is one whole working day less.
    if days:
        assert count_working_days(start, due - dt.timedelta(minutes=1), calendar=calendar) == (
            days - 1
        )


@settings(max_examples=300, deadline=None)
@given(
    start=instants,
    length=st.integers(min_value=1, max_value=20),
    paused_after=st.integers(min_value=0, max_value=10),
    paused=st.integers(min_value=0, max_value=30),
    calendar=calendars,
)
def test_suspension_of_k_working_days_moves_the_due_date_by_exactly_k(
    start: dt.datetime, length: int, paused_after: int, paused: int, calendar: WorkCalendar
) -> None:
    due = add_working_days(start, length, calendar=calendar)
    suspended_at = add_working_days(start, paused_after, calendar=calendar)
    resumed_at = add_working_days(suspended_at, paused, calendar=calendar)

    k = count_working_days(suspended_at, resumed_at, calendar=calendar)
    moved = add_working_days(due, k, calendar=calendar)

    assert k == paused
    assert count_working_days(due, moved, calendar=calendar) == paused
    assert moved.time() == due.time()


@settings(max_examples=200, deadline=None)
@given(instant=instants, calendar=calendars)
def test_next_opening_is_open_and_not_before_the_instant(
    instant: dt.datetime, calendar: WorkCalendar
) -> None:
    opening = next_opening(instant, calendar=calendar)

    assert opening >= instant
    assert is_open(opening, calendar=calendar)
    assert calendar.is_working_day(opening.date())


def test_callback_promised_on_friday_afternoon_is_due_monday_same_time() -> None:
    assert add_working_days(cph(2026, 11, 20, 15, 40), 1) == cph(2026, 11, 23, 15, 40)


def test_aktindsigt_before_easter_skips_maundy_thursday_good_friday_and_easter_monday() -> None:
    due = add_working_days(cph(2026, 4, 1, 9), 7)

    assert due == cph(2026, 4, 15, 9)
    assert due.isoformat() == "2026-04-15T09:00:00+02:00"
    assert working_days_in(dt.date(2026, 4, 1), dt.date(2026, 4, 15)) == [
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 7),
        dt.date(2026, 4, 8),
        dt.date(2026, 4, 9),
        dt.date(2026, 4, 10),
        dt.date(2026, 4, 13),
        dt.date(2026, 4, 14),
        dt.date(2026, 4, 15),
    ]


@pytest.mark.parametrize(
    ("year", "store_bededag"),
    [(2022, dt.date(2022, 5, 13)), (2023, dt.date(2023, 5, 5))],
)
def test_store_bededag_is_a_holiday_up_to_2023(year: int, store_bededag: dt.date) -> None:
    assert store_bededag in public_holidays(year)
    assert not DEFAULT_CALENDAR.is_working_day(store_bededag)


@pytest.mark.parametrize(
    ("year", "fourth_friday_after_easter"),
    [(2024, dt.date(2024, 4, 26)), (2025, dt.date(2025, 5, 16)), (2026, dt.date(2026, 5, 1))],
)
def test_2024_to_2026_have_no_store_bededag(year: int, fourth_friday_after_easter: dt.date) -> None:
    names = holidays.country_holidays("DK", years=year).values()

    assert "Great Prayer Day" not in names
    assert fourth_friday_after_easter not in public_holidays(year)


def test_store_bededag_2024_and_2025_are_working_days() -> None:
    assert DEFAULT_CALENDAR.is_working_day(dt.date(2024, 4, 26))
    assert DEFAULT_CALENDAR.is_working_day(dt.date(2025, 5, 16))


def test_the_packages_optional_days_are_exactly_the_configurable_closing_days() -> None:
    for year in range(2020, 2031):
        optional = holidays.country_holidays("DK", years=year, categories=("optional",))
        assert {(day.month, day.day) for day in optional} == set(CLOSING_DAY_DATES.values())


def test_default_calendar_closes_on_constitution_day_and_christmas_and_new_years_eve() -> None:
    assert not DEFAULT_CALENDAR.is_working_day(dt.date(2026, 6, 5))
    assert not DEFAULT_CALENDAR.is_working_day(dt.date(2026, 12, 24))
    assert not DEFAULT_CALENDAR.is_working_day(dt.date(2026, 12, 31))
    assert DEFAULT_CALENDAR.is_working_day(dt.date(2026, 5, 1))  # 1 May is open by default


def test_a_municipality_may_open_on_constitution_day_and_close_on_may_day() -> None:
    calendar = WorkCalendar(closing_days=frozenset({ClosingDay.MAY_DAY}))

    assert calendar.is_working_day(dt.date(2026, 6, 5))
    assert not calendar.is_working_day(dt.date(2026, 5, 1))
    assert add_working_days(cph(2026, 4, 30, 10), 1, calendar=calendar) == cph(2026, 5, 4, 10)


def test_extra_closed_dates_are_skipped() -> None:
    calendar = WorkCalendar(closed_dates=frozenset({dt.date(2026, 11, 23)}))

    assert add_working_days(cph(2026, 11, 20, 12), 1, calendar=calendar) == cph(2026, 11, 24, 12)


def test_a_contact_on_a_saturday_counts_from_monday_morning() -> None:
    assert add_working_days(cph(2026, 11, 21, 22), 1) == cph(2026, 11, 24, 9)
    assert add_working_days(cph(2026, 11, 21, 22), 0) == cph(2026, 11, 23, 9)


def test_next_opening_before_during_and_after_opening_hours() -> None:
    assert next_opening(cph(2026, 11, 23, 7)) == cph(2026, 11, 23, 9)
    assert next_opening(cph(2026, 11, 23, 10, 30)) == cph(2026, 11, 23, 10, 30)
    assert next_opening(cph(2026, 11, 23, 15)) == cph(2026, 11, 24, 9)
    assert next_opening(cph(2026, 11, 26, 17)) == cph(2026, 11, 26, 17)  # Thursday till 17:30
    assert next_opening(cph(2026, 11, 27, 13)) == cph(2026, 11, 30, 9)  # Friday till 13
    assert next_opening(cph(2026, 12, 23, 16)) == cph(2026, 12, 28, 9)  # 24-27 Dec closed


def test_counting_across_new_year() -> None:
    # 23 Dec; 28, 29, 30 Dec; 4, 5 Jan (24-27 Dec, 31 Dec and 1 Jan closed).
    assert count_working_days(cph(2026, 12, 22, 10), cph(2027, 1, 5, 10)) == 6


def test_counting_is_zero_when_the_end_is_not_after_the_start() -> None:
    assert count_working_days(cph(2026, 11, 23, 10), cph(2026, 11, 23, 9)) == 0
    assert count_working_days(cph(2026, 11, 23, 10), cph(2026, 11, 24, 9, 59)) == 0


def test_instants_in_utc_are_read_in_copenhagen_time() -> None:
    friday_utc = dt.datetime(2026, 11, 20, 14, 40, tzinfo=dt.UTC)

    assert add_working_days(friday_utc, 1) == cph(2026, 11, 23, 15, 40)


def test_dst_change_keeps_the_local_time() -> None:
    # Summer time starts on Sunday 29 March 2026.
    assert add_working_days(cph(2026, 3, 27, 10), 1).isoformat() == "2026-03-30T10:00:00+02:00"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        add_working_days(dt.datetime(2026, 11, 20, 15), 1)  # noqa: DTZ001


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        add_working_days(cph(2026, 11, 20, 15), -1)
