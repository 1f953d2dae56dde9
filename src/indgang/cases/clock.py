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
