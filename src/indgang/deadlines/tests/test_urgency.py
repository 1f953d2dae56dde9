from __future__ import annotations

import datetime as dt

import pytest

from indgang.common.workdays import COPENHAGEN
from indgang.deadlines.constants import DeadlineStatus
from indgang.deadlines.urgency import Level, Urgency, urgency_of

# Friday 4 December 2026, 09:00 in Copenhagen.
NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("status", "due_at", "expected"),
    [
        (DeadlineStatus.OPEN, NOW.replace(hour=8), Urgency(Level.OVERDUE, 0, "Overskredet i dag")),
        (
            DeadlineStatus.OPEN,
            NOW - dt.timedelta(hours=18),  # yesterday 15:00
            Urgency(Level.OVERDUE, 1, "1 dag over fristen"),
        ),
        (
            DeadlineStatus.OPEN,
            NOW - dt.timedelta(days=12),
            Urgency(Level.OVERDUE, 12, "12 dage over fristen"),
        ),
        (DeadlineStatus.OPEN, NOW.replace(hour=15), Urgency(Level.SOON, 0, "Frist i dag")),
        (
            DeadlineStatus.OPEN,
            NOW + dt.timedelta(hours=16),  # Saturday 01:00
            Urgency(Level.SOON, 1, "1 dag tilbage"),
        ),
        (
            DeadlineStatus.OPEN,
            NOW + dt.timedelta(days=2),
            Urgency(Level.LATER, 2, "2 dage tilbage"),
        ),
        (
            DeadlineStatus.SUSPENDED,
            NOW - dt.timedelta(days=3),
            Urgency(Level.PAUSED, None, "Sat på pause: fristen står stille"),
        ),
        (
            DeadlineStatus.COMPLETED,
            NOW - dt.timedelta(days=3),
            Urgency(Level.DONE, None, "Afsluttet"),
        ),
    ],
)
def test_urgency_counts_local_calendar_days_and_says_so(
    status: DeadlineStatus, due_at: dt.datetime, expected: Urgency
) -> None:
    assert urgency_of(status=status, due_at=due_at, now=NOW, zone=COPENHAGEN) == expected


def test_urgency_counts_days_in_the_municipalitys_zone_not_utc() -> None:
    # 23:30 UTC on 3 December is 00:30 on 4 December in Copenhagen: due today, not yesterday.
    due_at = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC)

    urgency = urgency_of(status=DeadlineStatus.OPEN, due_at=due_at, now=NOW, zone=COPENHAGEN)

    assert urgency == Urgency(Level.OVERDUE, 0, "Overskredet i dag")
