"""Danish working days: public holidays, municipal closing days and opening hours.

Pure functions on aware datetimes; nothing here reads the clock or the database. A municipality's
calendar is a `WorkCalendar` value (the deadlines app builds it from its configuration).

- A working day (*arbejdsdag*, *hverdag*) is Monday to Friday, except Danish public holidays (the
  `holidays` package, country DK, public category) and the municipality's closing days.
- Store Bededag (the fourth Friday after Easter) was abolished as a public holiday from 2024
  (lov nr. 1 af 28. februar 2023); the `holidays` package has it up to and including 2023.
- Grundlovsdag, 24 December, 31 December and 1 May are not public holidays; the package lists
  them in its `optional` category. Each municipality decides whether it closes on them.

Counting convention: adding N working days to an instant keeps its local time of day and moves
its date forward N working days ("same time N working days later"). An instant on a day that is
not a working day counts as received when the municipality next opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
SATURDAY = 5


class ClosingDay(StrEnum):
    """Days that are not public holidays but that a municipality may close on."""

    CONSTITUTION_DAY = "constitution_day"  # Grundlovsdag, 5 June
    CHRISTMAS_EVE = "christmas_eve"  # Juleaftensdag, 24 December
    NEW_YEARS_EVE = "new_years_eve"  # Nytårsaftensdag, 31 December
    MAY_DAY = "may_day"  # 1. maj

    @property
    def month_day(self) -> tuple[int, int]:
        return CLOSING_DAY_DATES[self]


CLOSING_DAY_DATES: dict[ClosingDay, tuple[int, int]] = {
    ClosingDay.CONSTITUTION_DAY: (6, 5),
    ClosingDay.CHRISTMAS_EVE: (12, 24),
    ClosingDay.NEW_YEARS_EVE: (12, 31),
    ClosingDay.MAY_DAY: (5, 1),
}

DEFAULT_CLOSING_DAYS = frozenset(
    {ClosingDay.CONSTITUTION_DAY, ClosingDay.CHRISTMAS_EVE, ClosingDay.NEW_YEARS_EVE}
)

Hours = tuple[dt.time, dt.time]

# Monday to Friday; the municipality's opening hours for the public (a typical citizen service).
DEFAULT_OPENING_HOURS: tuple[Hours, Hours, Hours, Hours, Hours] = (
    (dt.time(9), dt.time(15)),
    (dt.time(9), dt.time(15)),
    (dt.time(9), dt.time(15)),
    (dt.time(9), dt.time(17, 30)),
    (dt.time(9), dt.time(13)),
)


class NaiveDatetimeError(ValueError):
    """Raised when a calendar function gets a datetime without a time zone."""


@dataclass(frozen=True)
class WorkCalendar:
    """One municipality's calendar: closing days on top of the public holidays, opening hours."""

    closing_days: frozenset[ClosingDay] = DEFAULT_CLOSING_DAYS
    closed_dates: frozenset[dt.date] = frozenset()
    opening_hours: tuple[Hours, Hours, Hours, Hours, Hours] = DEFAULT_OPENING_HOURS
    time_zone: ZoneInfo = field(default=COPENHAGEN)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= SATURDAY:
            return False
        if day in public_holidays(day.year) or day in self.closed_dates:
            return False
        return (day.month, day.day) not in {closing.month_day for closing in self.closing_days}

    def hours(self, day: dt.date) -> Hours:
        return self.opening_hours[day.weekday()]


DEFAULT_CALENDAR = WorkCalendar()


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """Danish public holidays of the year (Sundays included, e.g. Easter Sunday)."""
    return frozenset(holidays.country_holidays("DK", years=year))


@cache
def public_holiday_names(year: int, language: str = "da") -> dict[dt.date, str]:
    return dict(holidays.country_holidays("DK", years=year, language=language))


def _local(instant: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveDatetimeError("Working-day arithmetic needs an aware datetime.")
    return instant.astimezone(calendar.time_zone)


def _at(day: dt.date, time: dt.time, calendar: WorkCalendar) -> dt.datetime:
    # Working days are never DST switch days (those are Sundays), so the local time exists.
    return dt.datetime.combine(day, time, tzinfo=calendar.time_zone)


def _following_working_days(day: dt.date, calendar: WorkCalendar) -> Iterator[dt.date]:
    """The working days after `day`, in order."""
    while True:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            yield day


def next_working_day(day: dt.date, *, calendar: WorkCalendar = DEFAULT_CALENDAR) -> dt.date:
    """The first working day after `day`."""
    return next(_following_working_days(day, calendar))


def next_opening(instant: dt.datetime, *, calendar: WorkCalendar = DEFAULT_CALENDAR) -> dt.datetime:
    """The first instant at or after `instant` when the municipality is open."""
    local = _local(instant, calendar)
    day = local.date()
    if calendar.is_working_day(day):
        opens, closes = calendar.hours(day)
        if local.time() < opens:
            return _at(day, opens, calendar)
        if local.time() < closes:
            return local
    day = next_working_day(day, calendar=calendar)
    return _at(day, calendar.hours(day)[0], calendar)


def is_open(instant: dt.datetime, *, calendar: WorkCalendar = DEFAULT_CALENDAR) -> bool:
    return next_opening(instant, calendar=calendar) == _local(instant, calendar)


def counting_start(
    instant: dt.datetime, *, calendar: WorkCalendar = DEFAULT_CALENDAR
) -> dt.datetime:
    """Where counting starts: the instant itself on a working day, else the next opening."""
    local = _local(instant, calendar)
    if calendar.is_working_day(local.date()):
        return local
    return next_opening(local, calendar=calendar)


def add_working_days(
    instant: dt.datetime, days: int, *, calendar: WorkCalendar = DEFAULT_CALENDAR
) -> dt.datetime:
    """The same local time `days` working days later (`days` >= 0)."""
    if days < 0:
        raise ValueError("Add a non-negative number of working days.")
    start = counting_start(instant, calendar=calendar)
    day = start.date()
    following = _following_working_days(day, calendar)
    for _ in range(days):
        day = next(following)
    return _at(day, start.time(), calendar)


def subtract_working_days(
    instant: dt.datetime, days: int, *, calendar: WorkCalendar = DEFAULT_CALENDAR
) -> dt.datetime:
    """The same local time on the working day `days` working days before the instant's day
    (`days` >= 0; 0 gives the instant itself)."""
    if days < 0:
        raise ValueError("Subtract a non-negative number of working days.")
    local = _local(instant, calendar)
    day = local.date()
    for _ in range(days):
        day -= dt.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
    return _at(day, local.time(), calendar)


def count_working_days(
    start: dt.datetime, end: dt.datetime, *, calendar: WorkCalendar = DEFAULT_CALENDAR
) -> int:
    """Whole working days from `start` to `end`: the largest n with add(start, n) <= end.

    0 when `end` is not after the counting start.
    """
    begin = counting_start(start, calendar=calendar)
    finish = _local(end, calendar)
    if finish <= begin:
        return 0
    count = 0
    day = begin.date()
    last = finish.date()
    while day < last:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    if count and calendar.is_working_day(last) and finish.time() < begin.time():
        count -= 1
    return count


def working_days_in(
    first: dt.date, last: dt.date, *, calendar: WorkCalendar = DEFAULT_CALENDAR
) -> list[dt.date]:
    """The working days from `first` to `last`, both included."""
    days = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def day_range(start: dt.date, end: dt.date, *, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """From the start of day `start` to the end of day `end` in `zone`: [from, to)."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )
