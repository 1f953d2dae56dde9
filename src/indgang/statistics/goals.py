"""The channel strategy's KPIs for a slice, each against its goal, with its trend per period.

Contact figures come from the rollups through `selectors.contact_counts` (the one permission
path); deadlines from the deadline engine's rows, by an index on the due time; servicemål from
`cases.reports.servicemal_report`. Shares of contacts count inbound contacts only: the
citizen's choice of channel, not the municipality's replies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.cases.reports import servicemal_report
from indgang.catalogue.constants import Channel
from indgang.common.workdays import COPENHAGEN
from indgang.contacts.constants import Direction, Outcome
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus
from indgang.deadlines.models import Deadline
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.statistics.constants import (
    CHANNEL_GROUP,
    DIGITAL_CHANNELS,
    ChannelGroup,
    GoalMetric,
)
from indgang.statistics.models import Goal
from indgang.statistics.selectors import (
    CountRow,
    Dimension,
    Period,
    Slice,
    StatisticsRefused,
    contact_counts,
    statistics_scope,
)

# A ratio per period start: (numerator, denominator).
Series = dict[dt.date, tuple[int, int]]
CHANNEL: tuple[Dimension, ...] = ("channel",)


@dataclass(frozen=True)
class TrendPoint:
    period: dt.date  # the first day of the period
    numerator: int
    denominator: int
    value: float | None
    goal: Decimal | None


@dataclass(frozen=True)
class KpiRow:
    """One KPI: `metric` is a GoalMetric value, or `channel:<code>` / `channel_group:<code>`."""

    metric: str
    label: str
    numerator: int
    denominator: int
    value: float | None  # numerator / denominator; None when nothing was counted
    goal: Decimal | None  # the goal in force on the slice's last day
    met: bool | None  # None without a goal or a value
    trend: tuple[TrendPoint, ...]


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the period `day` falls in (weeks start on Monday)."""
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


# --- goals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalBook:
    """The goals that may apply to one department (or the municipality), by metric, oldest first."""

    department: dict[str, list[tuple[dt.date, Decimal]]]
    municipality: dict[str, list[tuple[dt.date, Decimal]]]

    def goal_on(self, metric: str, day: dt.date) -> Decimal | None:
        """The department's goal in force on `day`, else the municipality's, else None."""
        for goals in (self.department, self.municipality):
            in_force = [target for valid_from, target in goals.get(metric, []) if valid_from <= day]
            if in_force:
                return in_force[-1]
        return None


def goal_book(*, department_id: int | None) -> GoalBook:
    """The municipality's goals and, given a department, that department's (one query)."""
    book = GoalBook(department=defaultdict(list), municipality=defaultdict(list))
    goals = Goal.objects.filter(
        Q(department__isnull=True) | Q(department_id=department_id)
    ).order_by("valid_from")
    for metric, goal_department, valid_from, target in goals.values_list(
        "metric", "department_id", "valid_from", "target"
    ):
        side = book.municipality if goal_department is None else book.department
        side[metric].append((valid_from, target))
    return book


# --- KPIs ------------------------------------------------------------------------------------


def _fold(
    rows: Iterable[CountRow],
    *,
    numerator: Callable[[CountRow], int],
    denominator: Callable[[CountRow], int],
    start: dt.date,
) -> Series:
    series: dict[dt.date, tuple[int, int]] = {}
    for row in rows:
        key = row.period or start
        num, den = series.get(key, (0, 0))
        series[key] = (num + numerator(row), den + denominator(row))
    return series


def _kpi(*, metric: str, label: str, series: Series, book: GoalBook | None, slice: Slice) -> KpiRow:
    """One row: the sums over the series, the goal on the slice's last day and the trend."""
    numerator = sum(num for num, _den in series.values())
    denominator = sum(den for _num, den in series.values())
    value = share(numerator, denominator)
    goal = book.goal_on(metric, slice.end) if book else None
    trend = tuple(
        TrendPoint(
            period=period,
            numerator=num,
            denominator=den,
            value=share(num, den),
            goal=book.goal_on(metric, max(period, slice.start)) if book else None,
        )
        for period, (num, den) in sorted(series.items())
    )
    return KpiRow(
        metric=metric,
        label=label,
        numerator=numerator,
        denominator=denominator,
        value=value,
        goal=goal,
        met=None if goal is None or value is None else Decimal(str(value)) >= goal,
        trend=trend,
    )


# The KPIs read inbound buckets only (contact_counts(direction=INBOUND)): summed in SQL.
def _contacts(row: CountRow) -> int:
    return row.contacts


def _contacts_if(test: Callable[[CountRow], bool]) -> Callable[[CountRow], int]:
    return lambda row: row.contacts if test(row) else 0


def _in_group(group: ChannelGroup) -> Callable[[CountRow], bool]:
    return lambda row: CHANNEL_GROUP.get(row.channel or "") == group


def _of_channel(channel: str) -> Callable[[CountRow], bool]:
    return lambda row: row.channel == channel


def _contact_kpis(
    rows: list[CountRow], *, slice: Slice, book: GoalBook, start: dt.date
) -> list[KpiRow]:
    """Channel and channel-group shares, the digital share and the first-contact resolutions,
    from inbound rows."""

    def series(numerator: Callable[[CountRow], int]) -> Series:
        return _fold(rows, numerator=numerator, denominator=_contacts, start=start)

    resolved = Outcome.RESOLVED_AT_FIRST_CONTACT.value
    kpis = [
        _kpi(
            metric=GoalMetric.DIGITAL_SHARE,
            label=str(GoalMetric.DIGITAL_SHARE.label),
            series=series(_contacts_if(lambda row: row.channel in DIGITAL_CHANNELS)),
            book=book,
            slice=slice,
        ),
        _kpi(
            metric=GoalMetric.RESOLVED_AT_FIRST_CONTACT,
            label=str(GoalMetric.RESOLVED_AT_FIRST_CONTACT.label),
            series=series(_contacts_if(lambda row: row.outcome == resolved)),
            book=book,
            slice=slice,
        ),
        _kpi(
            metric=GoalMetric.RESOLVED_WITH_KNOWLEDGE,
            label=str(GoalMetric.RESOLVED_WITH_KNOWLEDGE.label),
            series=series(lambda row: row.with_knowledge if row.outcome == resolved else 0),
            book=book,
            slice=slice,
        ),
    ]
    shares = [
        (f"channel_group:{group.value}", str(group.label), _in_group(group))
        for group in ChannelGroup
    ] + [
        (f"channel:{channel.value}", str(channel.label), _of_channel(channel.value))
        for channel in Channel
    ]
    for metric, label, counted in shares:
        kpis.append(
            _kpi(
                metric=metric,
                label=label,
                series=series(_contacts_if(counted)),
                book=None,
                slice=slice,
            )
        )
    return kpis


def _self_service_kpi(*, scope: Scope, slice: Slice, period: Period, book: GoalBook) -> KpiRow:
    """Where a task has a self-service solution (a self-service link in the catalogue): its
    self-service contacts of all its contacts."""
    rows = contact_counts(
        scope=scope,
        slice=slice,
        by=CHANNEL,
        period=period,
        self_service_task=True,
        direction=Direction.INBOUND,
    )
    return _kpi(
        metric=GoalMetric.SELF_SERVICE_SHARE,
        label=str(GoalMetric.SELF_SERVICE_SHARE.label),
        series=_fold(
            rows,
            numerator=_contacts_if(_in_group(ChannelGroup.SELF_SERVICE)),
            denominator=_contacts,
            start=slice.start,
        ),
        book=book,
        slice=slice,
    )


def slice_departments(*, scope: Scope, slice: Slice) -> frozenset[int] | None:
    """The departments the slice covers for this user (None: every one); refuse a slice outside
    the user's statistics, as contact_counts does."""
    allowed = statistics_scope(scope)
    department_id = slice.department_id
    if department_id is None and slice.unit_id is not None:
        department_id = (
            Unit.objects.filter(pk=slice.unit_id).values_list("department_id", flat=True).first()
        )
    if department_id is None:
        return allowed
    if allowed is not None and department_id not in allowed:
        raise StatisticsRefused(_("You may not see the statistics of this department."))
    return frozenset({department_id})


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=COPENHAGEN)


def deadline_series(
    *,
    departments: frozenset[int] | None,
    slice: Slice,
    period: Period,
    now: dt.datetime,
    kinds: Iterable[str] | None = None,
) -> Series:
    """Per period: (kept, due) of the deadlines due in the slice by `now`: completed ones (kept
    when completed by the due time) and open ones already past due. Suspended ones, whose due
    time will move, and open ones not yet due are left out. One grouped query, by the
    deadlines' (status, due_at) index (with department or unit first when sliced by them)."""
    deadlines = Deadline.objects.filter(
        Q(status=DeadlineStatus.COMPLETED) | Q(status=DeadlineStatus.OPEN, due_at__lt=now),
        due_at__gte=_local_midnight(slice.start),
        due_at__lt=_local_midnight(slice.end + dt.timedelta(days=1)),
    )
    if departments is not None:
        deadlines = deadlines.filter(department_id__in=departments)
    if slice.unit_id is not None:
        deadlines = deadlines.filter(unit_id=slice.unit_id)
    if kinds is not None:
        deadlines = deadlines.filter(kind__in=list(kinds))
    per_day = (
        deadlines.annotate(day=TruncDate("due_at", tzinfo=COPENHAGEN))
        .values("day")
        .annotate(
            due=Count("pk"),
            kept=Count(
                "pk",
                filter=Q(status=DeadlineStatus.COMPLETED, completed_at__lte=F("due_at")),
            ),
        )
        .order_by()
    )
    series: dict[dt.date, tuple[int, int]] = {}
    for row in per_day:
        key = period_start(row["day"], period)
        kept, due = series.get(key, (0, 0))
        series[key] = (kept + row["kept"], due + row["due"])
    return series


def servicemal_series(
    *, scope: Scope, departments: frozenset[int] | None, slice: Slice, today: dt.date
) -> Series:
    """(on target, decided) of the cases decided in the slice, from the servicemål report, read
    with the scope narrowed to the slice's departments."""
    if departments is not None:
        scope = dataclasses.replace(scope, sees_all=False, department_ids=departments)
    report = servicemal_report(
        scope=scope,
        decided_from=slice.start,
        decided_to=slice.end,
        today=today,
        unit_id=slice.unit_id,
    )
    return {
        slice.start: (
            sum(row.on_target for row in report.by_category),
            sum(row.decided for row in report.by_category),
        )
    }


def list_kpis(
    *, scope: Scope, slice: Slice, period: Period = "month", now: dt.datetime
) -> list[KpiRow]:
    """Every KPI of the slice, in a fixed order: the goal metrics (digital share, self-service
    share, resolved at first contact, resolved with the knowledge base, call-backs, deadlines,
    servicemål), then the channel groups, then the channels.

    Deadlines and servicemål are not kept per task, so a slice with a task leaves them out;
    servicemål has no trend (one point for the whole slice).
    """
    rows = contact_counts(
        scope=scope,
        slice=slice,
        by=("channel", "outcome"),
        period=period,
        direction=Direction.INBOUND,
    )
    departments = slice_departments(scope=scope, slice=slice)
    book = goal_book(department_id=slice.department_id)
    contact_kpis = _contact_kpis(rows, slice=slice, book=book, start=slice.start)
    kpis = [
        *contact_kpis[:1],
        _self_service_kpi(scope=scope, slice=slice, period=period, book=book),
    ]
    kpis += contact_kpis[1:3]
    if slice.task_id is None:
        kpis += [
            _kpi(
                metric=GoalMetric.CALLBACKS_KEPT,
                label=str(GoalMetric.CALLBACKS_KEPT.label),
                series=deadline_series(
                    departments=departments,
                    slice=slice,
                    period=period,
                    now=now,
                    kinds=[DeadlineKind.CALLBACK],
                ),
                book=book,
                slice=slice,
            ),
            _kpi(
                metric=GoalMetric.DEADLINES_KEPT,
                label=str(GoalMetric.DEADLINES_KEPT.label),
                series=deadline_series(
                    departments=departments, slice=slice, period=period, now=now
                ),
                book=book,
                slice=slice,
            ),
            _kpi(
                metric=GoalMetric.SERVICEMAL_ON_TARGET,
                label=str(GoalMetric.SERVICEMAL_ON_TARGET.label),
                series=servicemal_series(
                    scope=scope,
                    departments=departments,
                    slice=slice,
                    today=timezone.localtime(now).date(),
                ),
                book=book,
                slice=slice,
            ),
        ]
    return kpis + contact_kpis[3:]


def kpi_map(kpis: Iterable[KpiRow]) -> Mapping[str, KpiRow]:
    """The KPIs by metric."""
    return {kpi.metric: kpi for kpi in kpis}
