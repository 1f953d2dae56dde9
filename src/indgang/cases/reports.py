"""Reads across many cases: the work lists sorted by the servicemål clock, and the servicemål
report. Both read the clock as services.keep_clock_key stores it on the case (clock.sort_key),
so they sort and count in the database and never read a case's events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.db import models
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.expressions import CombinedExpression, Expression
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.cases.constants import CaseState, ServiceNeedType
from indgang.cases.models import Case, ServiceTargetCategory
from indgang.cases.selectors import visible_cases
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope

# A case stays on the work list until it is decided, and comes back when reopened on appeal.
OFF_THE_WORK_LIST = (CaseState.DECIDED, CaseState.CLOSED)


def days_left_on(today: dt.date) -> ExpressionWrapper[CombinedExpression]:
    """Days left on the clock on `today`, as clock.SortKey gives them (NULL: not started)."""
    return ExpressionWrapper(
        F("clock_due_on") - Coalesce("clock_stopped_on", Value(today, output_field=DateField())),
        output_field=DurationField(),
    )


def list_work_for(
    *,
    scope: Scope,
    today: dt.date,
    unit_id: int | None = None,
    caseworker: User | None = None,
) -> QuerySet[Case]:
    """Open cases, most urgent first: by days left, then those not started by received time.

    `unit_id`: one unit's work list; `caseworker`: "my cases". Annotated `days_left` (a
    timedelta). Read through visible_cases, the one permission path.
    """
    cases = visible_cases(scope=scope).exclude(state__in=OFF_THE_WORK_LIST)
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    if caseworker is not None:
        cases = cases.filter(caseworkers=caseworker)
    return (
        cases.select_related("category", "unit")
        .annotate(days_left=days_left_on(today))
        .order_by(F("days_left").asc(nulls_last=True), "received_at", "pk")
    )


def days_left_of(case: Case) -> int | None:
    """The days left that list_work_for annotated the case with; None: the clock has not started."""
    left: dt.timedelta | None = getattr(case, "days_left", None)
    return None if left is None else left.days


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    decided: int
    on_target: int
    median_days: float | None  # of the cases decided in the period
    open_over_target: int  # open cases past their target today

    @property
    def share_on_target(self) -> float | None:
        return self.on_target / self.decided if self.decided else None


@dataclass(frozen=True)
class ServiceTargetReport:
    decided_from: dt.date
    decided_to: dt.date
    unit_id: int | None
    by_category: list[ReportRow]
    by_service_need_type: list[ReportRow]
    by_pre_meeting: list[ReportRow]


@dataclass(frozen=True)
class _Dimension:
    group: F | Expression
    label: Callable[[str], str]


def _pre_meeting_label(key: str) -> str:
    return _("With a pre-application meeting") if key == "with" else _("Without")


def _service_need_label(key: str) -> str:
    return str(ServiceNeedType(key).label) if key else _("No type yet")


def servicemal_report(
    *,
    scope: Scope,
    decided_from: dt.date,
    decided_to: dt.date,
    today: dt.date,
    unit_id: int | None = None,
) -> ServiceTargetReport:
    """Per category, per service-need type and with vs without a pre-application meeting:
    cases decided in the period (local dates, both included), the share on target and the
    median days used; and the open cases over target on `today`. Two statements a table."""
    start, end = (
        timezone.make_aware(dt.datetime.combine(day, dt.time()))
        for day in (decided_from, decided_to + dt.timedelta(days=1))
    )
    cases = visible_cases(scope=scope).filter(category__isnull=False)
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    decided = Q(decided_at__gte=start, decided_at__lt=end, clock_days_used__isnull=False)
    over_target = Q(decided_at__isnull=True, clock_due_on__isnull=False) & (
        Q(clock_stopped_on__isnull=True, clock_due_on__lt=today)
        | Q(clock_stopped_on__gt=F("clock_due_on"))
    )
    names = dict(ServiceTargetCategory.objects.values_list("code", "name"))
    dimensions = [
        _Dimension(F("category__code"), lambda code: names.get(code, code)),
        _Dimension(F("service_need_type"), _service_need_label),
        _Dimension(
            models.Case(
                models.When(pre_meeting_on__isnull=False, then=Value("with")),
                default=Value("without"),
            ),
            _pre_meeting_label,
        ),
    ]
    tables = [
        _table(cases, dimension=dimension, decided=decided, over_target=over_target)
        for dimension in dimensions
    ]
    return ServiceTargetReport(decided_from, decided_to, unit_id, *tables)


def _table(
    cases: QuerySet[Case], *, dimension: _Dimension, decided: Q, over_target: Q
) -> list[ReportRow]:
    counts = (
        cases.filter(decided | over_target)
        .annotate(group=dimension.group)
        .values("group")
        .annotate(
            decided=Count("pk", filter=decided),
            on_target=Count(
                "pk", filter=decided & Q(clock_days_used__lte=F("category__target_days"))
            ),
            over=Count("pk", filter=over_target),
        )
        .order_by("group")
    )
    medians = _medians(cases.filter(decided), group=dimension.group)
    return [
        ReportRow(
            key=row["group"],
            label=dimension.label(row["group"]),
            decided=row["decided"],
            on_target=row["on_target"],
            median_days=medians.get(row["group"]),
            open_over_target=row["over"],
        )
        for row in counts
    ]


def _medians(cases: QuerySet[Case], *, group: F | Expression) -> dict[str, float]:
    """The exact median of days used per group, on PostgreSQL and SQLite alike: number the
    cases within each group by days used and read only the middle one or two."""
    numbered = cases.annotate(
        group=group,
        position=Window(RowNumber(), partition_by=[group], order_by=F("clock_days_used").asc()),
        size=Window(Count("pk"), partition_by=[group]),
    ).filter(position__gte=(F("size") + 1) / 2, position__lte=(F("size") + 2) / 2)
    middles: dict[str, list[int]] = defaultdict(list)
    for key, days in numbered.values_list("group", "clock_days_used"):
        middles[key].append(cast(int, days))  # decided cases: never NULL
    return {key: sum(days) / len(days) for key, days in middles.items()}


def work_list_units(*, scope: Scope) -> QuerySet[Unit]:
    """The units whose work lists the scope may open: those of the departments it sees."""
    units = Unit.objects.select_related("department").order_by("department__name", "name")
    return units if scope.sees_all else units.filter(department_id__in=scope.department_ids)
