"""The oracle of the rollup tests: the rollups as a GROUP BY over the register gives them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from indgang.statistics.models import MEASURES, Counts
from indgang.statistics.services import GRAINS, counted_from_register, dimensions

ALL_DAYS = (dt.date(2000, 1, 1), dt.date(2100, 1, 1))


def buckets(rows: list[Counts], grain: type[Counts]) -> dict[tuple[object, ...], tuple[int, ...]]:
    names = dimensions(grain)
    return {
        tuple(getattr(row, name) for name in names): tuple(int(getattr(row, m)) for m in MEASURES)
        for row in rows
    }


def assert_rollups_match_register() -> None:
    """Every grain's non-empty buckets are exactly the register's GROUP BY."""
    for grain in GRAINS:
        stored = grain.objects.exclude(
            Q(contacts=0) & Q(with_knowledge=0) & Q(duration_seconds=0) & Q(timed=0)
        )
        start, end = ALL_DAYS
        expected = counted_from_register(grain, start=start, end=end)
        assert buckets(list(stored), grain) == buckets(expected, grain), grain.__name__
