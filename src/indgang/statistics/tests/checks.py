"""The oracle of the rollup tests: the rollups as a GROUP BY over the register gives them,
before and after the new contacts are folded into them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from indgang.catalogue.models import Task
from indgang.statistics.models import MEASURES, Counts, NewContactCount
from indgang.statistics.services import (
    GRAINS,
    counted_from_register,
    dimensions,
    fold_new_contact_counts,
)

ALL_DAYS = (dt.date(2000, 1, 1), dt.date(2100, 1, 1))


def buckets(rows: list[Counts], grain: type[Counts]) -> dict[tuple[object, ...], tuple[int, ...]]:
    names = dimensions(grain)
    return {
        tuple(getattr(row, name) for name in names): tuple(int(getattr(row, m)) for m in MEASURES)
        for row in rows
    }


def waiting_contacts() -> list[tuple[dict[str, object], tuple[int, ...]]]:
    """The new contacts not folded into the buckets yet: each one's every dimension (its flag
    from the catalogue, as reads take it) and measures."""
    with_link = set(Task.objects.exclude(self_service_url="").values_list("pk", flat=True))
    return [
        (
            {
                "day": new.day,
                "month": new.day.replace(day=1),
                "channel": new.channel,
                "direction": new.direction,
                "outcome": new.outcome,
                "self_service_task": new.task_id in with_link,
                "department_id": new.department_id,
                "unit_id": new.unit_id,
                "task_id": new.task_id,
            },
            tuple(int(getattr(new, m)) for m in MEASURES),
        )
        for new in NewContactCount.objects.all()
    ]


def with_new_contacts(
    stored: dict[tuple[object, ...], tuple[int, ...]],
    grain: type[Counts],
    waiting: list[tuple[dict[str, object], tuple[int, ...]]],
) -> dict[tuple[object, ...], tuple[int, ...]]:
    """The buckets as reads see them: plus the new contacts not folded into them yet."""
    summed = dict(stored)
    for values, measures in waiting:
        key = tuple(values[name] for name in dimensions(grain))
        before = summed.get(key, (0,) * len(MEASURES))
        summed[key] = tuple(b + m for b, m in zip(before, measures, strict=True))
    return {key: sums for key, sums in summed.items() if any(sums)}


def assert_rollups_match_register(*, fold: bool = True) -> None:
    """Every grain's non-empty buckets with the new contacts (as reads add them) are exactly
    the register's GROUP BY; and so, unless `fold` is False, are the buckets alone once those
    are folded into them."""
    start, end = ALL_DAYS
    waiting = waiting_contacts()
    for grain in GRAINS:
        stored = buckets(list(grain.objects.all()), grain)
        expected = buckets(counted_from_register(grain, start=start, end=end), grain)
        assert with_new_contacts(stored, grain, waiting) == expected, grain.__name__
    if not fold:
        return
    fold_new_contact_counts()
    assert not NewContactCount.objects.exists()
    assert_buckets_match_register()


def assert_buckets_match_register() -> None:
    """Every grain's non-empty buckets alone are exactly the register's GROUP BY."""
    start, end = ALL_DAYS
    for grain in GRAINS:
        stored = grain.objects.exclude(
            Q(contacts=0) & Q(with_knowledge=0) & Q(duration_seconds=0) & Q(timed=0)
        )
        expected = counted_from_register(grain, start=start, end=end)
        assert buckets(list(stored), grain) == buckets(expected, grain), grain.__name__
