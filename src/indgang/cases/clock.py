"""The servicemål clock: pure functions, dates in, numbers out.

The clock counts calendar days from the day the application is fully informed to the day of
the decision (or to today while the case is open), hearings included. Days waiting for the
applicant (a deficiency letter or request for information out, not yet answered) are counted
apart; where the area's setting says they do not count, the waiting days that fall on the
clock are taken off it and move the due date on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

Period = tuple[dt.date, dt.date | None]  # waiting from, until (None: still waiting)


@dataclass(frozen=True)
class Clock:
    started: bool
    days_used: int
    days_left: int
    due_date: dt.date | None
    on_target: bool
    days_waiting: int  # every day waiting for the applicant, on the clock or before it
    days_paused: int  # of those, the days taken off the clock


def days_waiting(*, periods: Sequence[Period], today: dt.date) -> int:
    """Calendar days waiting for the applicant, an open period counted to today."""
    return sum(max(0, ((until or today) - start).days) for start, until in periods)


def _overlap(period: Period, *, start: dt.date, end: dt.date) -> int:
    begin = max(period[0], start)
    finish = min(period[1] or end, end)
    return max(0, (finish - begin).days)


def servicemal_clock(
    *,
    fully_informed: dt.date | None,
    decided: dt.date | None,
    today: dt.date,
    target_days: int,
    waiting: Sequence[Period] = (),
    waiting_counts: bool = True,
) -> Clock:
    """The clock of one case on `today`."""
    waited = days_waiting(periods=waiting, today=decided or today)
    if fully_informed is None:
        return Clock(False, 0, target_days, None, True, waited, 0)
    end = max(decided or today, fully_informed)
    paused = 0
    if not waiting_counts:
        paused = sum(_overlap(period, start=fully_informed, end=end) for period in waiting)
    used = (end - fully_informed).days - paused
    return Clock(
        started=True,
        days_used=used,
        days_left=target_days - used,
        due_date=fully_informed + dt.timedelta(days=target_days + paused),
        on_target=used <= target_days,
        days_waiting=waited,
        days_paused=paused,
    )


@dataclass(frozen=True)
class SortKey:
    """What the database needs to order cases by days left without reading their events.

    While the clock runs, days left = (due_on - today); while it stands (decided, or waiting for
    the applicant where waiting does not count), days left = (due_on - stopped_on), fixed.
    """

    due_on: dt.date | None  # None: the clock has not started
    stopped_on: dt.date | None  # None: the clock runs
    days_used: int | None  # set once decided: what the servicemål report measures


def sort_key(
    *,
    fully_informed: dt.date | None,
    decided: dt.date | None,
    target_days: int,
    waiting: Sequence[Period] = (),
    waiting_counts: bool = True,
) -> SortKey:
    """The key that gives servicemal_clock's days_left on any day from the case's last event on.

    Days left fall by one a day while the clock runs, so they are a fixed date minus today;
    the date is read off the clock on the day it was last changed.
    """
    if fully_informed is None:
        return SortKey(None, None, None)
    open_waiting = [start for start, until in waiting if until is None]
    stopped_on: dt.date | None = decided
    if stopped_on is None and open_waiting and not waiting_counts:
        stopped_on = max(open_waiting[-1], fully_informed)
    last_change = max(
        [fully_informed, *(day for period in waiting for day in period if day is not None)]
    )
    reference = stopped_on or last_change
    clock = servicemal_clock(
        fully_informed=fully_informed,
        decided=decided,
        today=reference,
        target_days=target_days,
        waiting=waiting,
        waiting_counts=waiting_counts,
    )
    return SortKey(
        due_on=reference + dt.timedelta(days=clock.days_left),
        stopped_on=stopped_on,
        days_used=clock.days_used if decided is not None else None,
    )
