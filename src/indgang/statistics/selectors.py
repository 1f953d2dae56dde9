"""Reads: the contact rollups, counted for a slice of days and organisation.

Every surface (pages, API, exports, reports) asks `contact_counts`, which checks the user's
statistics scope, so they share one permission path. No report reads the register itself.
The buckets and the new contacts not yet folded into them (`NewContactCount`) are summed
together, so a contact counts from the moment it is registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Literal, get_args

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Func, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDay, TruncMonth, TruncQuarter, TruncWeek, TruncYear
from django.utils.translation import gettext as _

from indgang.catalogue.models import Task
from indgang.organisation.constants import Role
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.statistics.models import (
    MEASURES,
    ContactCount,
    Counts,
    DayContactCount,
    NewContactCount,
    TaskMonthContactCount,
    UnitContactCount,
    UnitMonthContactCount,
    date_field,
)

Period = Literal["day", "week", "month", "quarter", "year"]
Dimension = Literal["channel", "direction", "outcome", "department", "unit", "task"]
PERIODS: tuple[Period, ...] = get_args(Period)
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)

# Weeks are ISO weeks (Monday first) on both databases.
TRUNCATE: dict[Period, type[Func]] = {
    "day": TruncDay,
    "week": TruncWeek,
    "month": TruncMonth,
    "quarter": TruncQuarter,
    "year": TruncYear,
}
COLUMN: dict[Dimension, str] = {
    "channel": "channel",
    "direction": "direction",
    "outcome": "outcome",
    "department": "department_id",
    "unit": "unit_id",
    "task": "task_id",
}


@dataclass(frozen=True)
class Slice:
    """The days (both ends included) and, optionally, the one department, unit or task."""

    start: dt.date
    end: dt.date  # inclusive
    department_id: int | None = None
    unit_id: int | None = None
    task_id: int | None = None


@dataclass(frozen=True)
class CountRow:
    """One group's sums. A dimension not grouped by is None; grouped, it is the bucket's value,
    where 0 is no department, unit or task, and '' no outcome."""

    period: dt.date | None  # first day of the period; None when not grouped by period
    channel: str | None
    direction: str | None
    outcome: str | None
    department_id: int | None
    unit_id: int | None
    task_id: int | None
    contacts: int
    with_knowledge: int
    duration_seconds: int
    timed: int


class StatisticsRefused(PermissionDenied):
    """The user may not see these statistics; the message says why, in Danish."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Only managers and administrators may see statistics."))


def statistics_scope(scope: Scope) -> frozenset[int] | None:
    """Departments whose statistics the user may see; None = all (administrators).
    Managers see their departments; front line and caseworkers see none (refused)."""
    if scope.sees_all:
        return None
    managed = frozenset(
        department for role, department, _unit in scope.assignments if role == Role.MANAGER
    )
    if not managed:
        raise StatisticsRefused()
    return managed


def contact_counts(
    *,
    scope: Scope,
    slice: Slice,  # noqa: A002 - the design's name
    by: Collection[Dimension] = (),
    period: Period | None = None,
    self_service_task: bool | None = None,
    direction: str | None = None,
) -> list[CountRow]:
    """Sums over the smallest rollup table that has every dimension asked for and filtered on.
    Refuses a slice outside statistics_scope; without a department a manager gets the sum over
    their own departments. `self_service_task` keeps the buckets of tasks with (True) or without
    (False) a self-service solution, which every grain has, so the municipality's read stays on
    the day grain; `direction` keeps that direction's buckets only. Both are summed in SQL."""
    departments = statistics_scope(scope)
    if departments is not None:
        _check_slice(slice, departments)
    by = frozenset(by)
    if unknown := by - set(DIMENSIONS):
        raise ValueError(f"Unknown dimensions: {sorted(unknown)}")
    filters: dict[str, Any] = {}
    for column, value in (
        ("department_id", slice.department_id),
        ("unit_id", slice.unit_id),
        ("task_id", slice.task_id),
    ):
        if value is not None:
            filters[column] = value
    if departments is not None and slice.department_id is None:
        filters["department_id__in"] = sorted(departments)
    if self_service_task is not None:
        filters["self_service_task"] = self_service_task
    if direction is not None:
        filters["direction"] = direction
    used = {key.removesuffix("__in") for key in filters} & {"department_id", "unit_id", "task_id"}
    groups = [COLUMN[dimension] for dimension in DIMENSIONS if dimension in by]
    day_grain = _grain({*used, *groups})
    parts = [
        *(
            _part(grain, dates, filters, period)
            for grain, dates in _calendar(day_grain, slice.start, slice.end, period)
        ),
        _new_part(slice, filters, period),
    ]
    sums = {measure: Sum(measure) for measure in MEASURES}
    if period is not None:
        groups = ["period", *groups]
    if not groups:
        # Each part's sums as one row (a constant is no group), the parts in one statement.
        each = [part.order_by().values(whole=Value(1)).annotate(**sums) for part in parts]
        totals = list(each[0].union(*each[1:], all=True))
        return [_row({}, {m: sum(int(t[m] or 0) for t in totals) for m in MEASURES})]
    grouped: list[QuerySet[Any, dict[str, Any]]] = [
        part.values(*groups).annotate(**sums).order_by() for part in parts
    ]
    # Whole months, edge days and new contacts in one statement, ordered by the database as a
    # single read would be; a group that has several comes as adjacent rows, added up here.
    rows: list[CountRow] = []
    last: tuple[Any, ...] | None = None
    for group in grouped[0].union(*grouped[1:], all=True).order_by(*groups):
        key = tuple(group[name] for name in groups)
        if key == last:
            rows[-1] = _row(group, {m: getattr(rows[-1], m) + group[m] for m in MEASURES})
        else:
            rows.append(_row(group, group))
        last = key
    # A group counts once it has contacts: not a bucket that its contacts' deletion emptied,
    # nor one that a change subtracted from while the contact still waited to be counted
    # (its new row adds it back).
    return [row for row in rows if row.contacts]


@dataclass(frozen=True)
class MonthSplit:
    """A period as its whole calendar months and the days around them."""

    months: tuple[dt.date, dt.date] | None  # the first days of the first and last whole month
    days: tuple[tuple[dt.date, dt.date], ...]  # the other days, as ranges (both ends included)


def split_by_months(start: dt.date, end: dt.date) -> MonthSplit:
    """The whole months from start to end (both included), and the edge days before and after
    them: a month grain counts the first, a day grain the second, and their sum is the
    period's."""
    first = (
        start if start.day == 1 else (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    )
    after = end + dt.timedelta(days=1)
    stop = after if after.day == 1 else end.replace(day=1)  # the first day after the months
    if first >= stop:
        return MonthSplit(months=None, days=((start, end),))
    edges = ((start, first - dt.timedelta(days=1)), (stop, end))
    return MonthSplit(
        months=(first, (stop - dt.timedelta(days=1)).replace(day=1)),
        days=tuple((since, until) for since, until in edges if since <= until),
    )


# The month grain that sums each day grain's buckets per month; the municipality's day grain,
# a bounded number of rows a day, has none.
MONTH_GRAIN: dict[type[Counts], type[Counts]] = {
    UnitContactCount: UnitMonthContactCount,
    ContactCount: TaskMonthContactCount,
}


def _calendar(
    grain: type[Counts], start: dt.date, end: dt.date, period: Period | None
) -> list[tuple[type[Counts], Q]]:
    """The grains to read the days from start to end on, each with its date filter: whole
    months from the month grain where there is one and the period is not cut finer than a
    month (a week may straddle two), the rest from the day grain."""
    if grain not in MONTH_GRAIN or period in ("day", "week"):
        return [(grain, Q(day__range=(start, end)))]
    split = split_by_months(start, end)
    parts: list[tuple[type[Counts], Q]] = []
    if split.months is not None:
        parts.append((MONTH_GRAIN[grain], Q(month__range=split.months)))
    if split.days:
        parts.append((grain, reduce(or_, (Q(day__range=days) for days in split.days))))
    return parts


def _part(
    grain: type[Counts], dates: Q, filters: dict[str, Any], period: Period | None
) -> QuerySet[Any]:
    rows = grain.objects.filter(dates, **filters)
    if period is not None:
        rows = rows.annotate(period=TRUNCATE[period](date_field(grain)))
    return rows


def _new_part(
    slice: Slice,  # noqa: A002
    filters: dict[str, Any],
    period: Period | None,
) -> QuerySet[Any]:
    """The new contacts of the slice's days that no bucket counts yet, as finest buckets of
    one contact each; the self-service flag comes from the catalogue, as the buckets' does."""
    rows = NewContactCount.objects.all()
    if "self_service_task" in filters:
        with_link = Task.objects.filter(pk=OuterRef("task_id")).exclude(self_service_url="")
        rows = rows.annotate(self_service_task=Exists(with_link))
    rows = rows.filter(day__range=(slice.start, slice.end), **filters)
    if period is not None:
        rows = rows.annotate(period=TRUNCATE[period]("day"))
    return rows


def _check_slice(slice: Slice, departments: frozenset[int]) -> None:  # noqa: A002
    """Refuse a department, or a unit of a department, the manager does not manage."""
    department_id = slice.department_id
    if department_id is None and slice.unit_id is not None:
        department_id = (
            Unit.objects.filter(pk=slice.unit_id).values_list("department_id", flat=True).first()
        )
    if department_id is not None and department_id not in departments:
        raise StatisticsRefused(_("You may see the statistics of your own departments only."))


def _grain(columns: Collection[str]) -> type[Counts]:
    """The smallest rollup table with every one of these columns."""
    if "task_id" in columns:
        return ContactCount
    if {"department_id", "unit_id"} & set(columns):
        return UnitContactCount
    return DayContactCount


def _row(group: dict[str, Any], sums: dict[str, Any]) -> CountRow:
    period = group.get("period")
    if isinstance(period, dt.datetime):  # a date truncated on some backends comes back so
        period = period.date()
    return CountRow(
        period=period,
        channel=group.get("channel"),
        direction=group.get("direction"),
        outcome=group.get("outcome"),
        department_id=group.get("department_id"),
        unit_id=group.get("unit_id"),
        task_id=group.get("task_id"),
        **{measure: int(sums[measure] or 0) for measure in MEASURES},
    )
