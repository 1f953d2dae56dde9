"""Reads across many cases: the work lists sorted by the servicemål clock, and the servicemål
report. Both read the clock as services.keep_clock_key stores it on the case (clock.sort_key),
so they sort and count in the database and never read a case's events."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.cases.constants import CaseState, ServiceNeedType
from indgang.cases.models import Case, ServiceTargetCategory
from indgang.cases.selectors import visible_cases
from indgang.journal.models import JournalEntry
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, cpr_digest

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
    q: str = "",
) -> QuerySet[Case]:
    """Open cases, most urgent first: by days left, then those not started by received time.

    `unit_id`: one unit's work list; `caseworker`: "my cases"; `q`: search_cases' search.
    Annotated `days_left` (a timedelta) and `has_caseworker`. Read through visible_cases, the
    one permission path.
    """
    cases = search_cases(visible_cases(scope=scope), q=q).exclude(state__in=OFF_THE_WORK_LIST)
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    if caseworker is not None:
        cases = cases.filter(caseworkers=caseworker)
    return (
        cases.select_related("category", "unit", "party")
        .annotate(
            days_left=days_left_on(today),
            has_caseworker=Exists(Case.caseworkers.through.objects.filter(case_id=OuterRef("pk"))),
        )
        .order_by(F("days_left").asc(nulls_last=True), "received_at", "pk")
    )


def search_cases(cases: QuerySet[Case], *, q: str) -> QuerySet[Case]:
    """The cases whose journal number, address, cadastral or BBR number, or applicant's name
    holds `q`, or whose applicant has exactly `q` as CVR number; a valid CPR number finds only
    its citizen's cases, by digest (there is no partial CPR search)."""
    q = q.strip()
    if not q:
        return cases
    try:
        return cases.filter(party__cpr_digest=cpr_digest(clean_cpr(q)))
    except InvalidIdentifierError:
        pass
    journalised = JournalEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(Case), number__icontains=q
    ).values("subject_id")
    return cases.filter(
        Q(pk__in=journalised)
        | Q(property_address__icontains=q)
        | Q(cadastral_number__icontains=q)
        | Q(property_number__icontains=q)
        | Q(party__name__icontains=q)
        | Q(party__cvr=q)
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


# The finest grouping the report reads: category id, service-need type, pre-meeting held.
Cell = tuple[int, str, bool]


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
    """Per category, per service-need type and with vs without a pre-application meeting (a
    linked meeting, or one dated on the case):
    cases decided in the period (local dates, both included), the share on target and the
    exact median of days used; and the open cases over target on `today`.

    The database groups the cases by category, type, meeting and days used (three statements
    in all); the three tables and their medians are summed from those counts, so the median
    is exact and the same on PostgreSQL and SQLite.
    """
    start, end = (
        timezone.make_aware(dt.datetime.combine(day, dt.time()))
        for day in (decided_from, decided_to + dt.timedelta(days=1))
    )
    cases = (
        visible_cases(scope=scope)
        .filter(category__isnull=False)
        .annotate(
            met=ExpressionWrapper(
                Q(pre_meeting_on__isnull=False) | Q(meeting__isnull=False), BooleanField()
            )
        )
    )
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    over_target = Q(decided_at__isnull=True, clock_due_on__isnull=False) & (
        Q(clock_stopped_on__isnull=True, clock_due_on__lt=today)
        | Q(clock_stopped_on__gt=F("clock_due_on"))
    )
    decided = (
        cases.filter(decided_at__gte=start, decided_at__lt=end, clock_days_used__isnull=False)
        .values_list("category_id", "service_need_type", "met", "clock_days_used")
        .annotate(count=Count("pk"))
        .order_by()
    )
    over = (
        cases.filter(over_target)
        .values_list("category_id", "service_need_type", "met")
        .annotate(count=Count("pk"))
        .order_by()
    )
    categories = {
        pk: (code, name, target)
        for pk, code, name, target in ServiceTargetCategory.objects.values_list(
            "pk", "code", "name", "target_days"
        )
    }
    histogram: dict[Cell, dict[int, int]] = defaultdict(dict)
    for category_id, service_need_type, met, days, count in decided:
        histogram[category_id, service_need_type, met][cast(int, days)] = count
    over_counts = {(c, t, m): count for c, t, m, count in over}
    dimensions: list[tuple[Callable[[Cell], str], Callable[[str], str]]] = [
        (lambda cell: categories[cell[0]][0], lambda code: _category_name(categories, code)),
        (lambda cell: cell[1], _service_need_label),
        (lambda cell: "with" if cell[2] else "without", _pre_meeting_label),
    ]
    targets = {pk: target for pk, (_code, _name, target) in categories.items()}
    return ServiceTargetReport(
        decided_from,
        decided_to,
        unit_id,
        *(
            _table(histogram, over_counts, targets=targets, key_of=key_of, label=label)
            for key_of, label in dimensions
        ),
    )


def _category_name(categories: dict[int, tuple[str, str, int]], code: str) -> str:
    return next(name for each, name, _target in categories.values() if each == code)


def _table(
    histogram: dict[Cell, dict[int, int]],
    over: dict[Cell, int],
    *,
    targets: dict[int, int],
    key_of: Callable[[Cell], str],
    label: Callable[[str], str],
) -> list[ReportRow]:
    """One table: the cells summed by `key_of`, in the order of their keys."""
    days: dict[str, Counter[int]] = defaultdict(Counter)
    on_target: Counter[str] = Counter()
    over_target: Counter[str] = Counter()
    for cell, counts in histogram.items():
        key = key_of(cell)
        days[key].update(counts)
        on_target[key] += sum(n for used, n in counts.items() if used <= targets[cell[0]])
    for cell, count in over.items():
        over_target[key_of(cell)] += count
    return [
        ReportRow(
            key=key,
            label=label(key),
            decided=days[key].total(),
            on_target=on_target[key],
            median_days=median_of(days[key]),
            open_over_target=over_target[key],
        )
        for key in sorted(set(days) | set(over_target))
    ]


def median_of(counts: Counter[int]) -> float | None:
    """The exact median of a multiset given as value -> how many times (None when empty)."""
    size = counts.total()
    if not size:
        return None
    middle = {(size + 1) // 2, (size + 2) // 2}  # 1-based positions: one, or the two middle
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        first, seen = seen + 1, seen + counts[value]
        found += [value for position in sorted(middle) if first <= position <= seen]
        if seen >= max(middle):
            break
    return sum(found) / len(found)


def work_list_units(*, scope: Scope) -> QuerySet[Unit]:
    """The units whose work lists the scope may open: those of the departments it sees."""
    units = Unit.objects.select_related("department").order_by("department__name", "name")
    return units if scope.sees_all else units.filter(department_id__in=scope.department_ids)
