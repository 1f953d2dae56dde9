"""Reads: cases through one permission path, and each case's servicemål clock."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from indgang.cases.clock import Clock, Period, SortKey, servicemal_clock, sort_key
from indgang.cases.constants import CaseEventKind
from indgang.cases.lifecycle import WAITING_ENDS, WAITING_STARTS
from indgang.cases.models import AreaSettings, Case, CaseEvent, ServiceTargetCategory
from indgang.organisation.selectors import Scope


def visible_cases(*, scope: Scope) -> QuerySet[Case]:
    """The cases of the scope's own departments; administrators see all. The front line sees
    no other department's cases: a case is casework, not routing."""
    cases = Case.objects.all()
    if not scope.sees_all:
        cases = cases.filter(department_id__in=scope.department_ids)
    return cases


def list_cases_for(*, scope: Scope, party_id: int | None = None) -> QuerySet[Case]:
    cases = (
        visible_cases(scope=scope)
        .select_related("category", "kle_topic")
        .prefetch_related(Prefetch("events", CaseEvent.objects.select_related("by")))
    )
    if party_id is not None:
        cases = cases.filter(party_id=party_id)
    return cases.order_by("-received_at", "-pk")


def get_case_for(*, scope: Scope, case_id: int) -> Case:
    """The case if the scope may see it; Case.DoesNotExist (404) otherwise, as for a missing one."""
    return list_cases_for(scope=scope).get(pk=case_id)


def get_case_to_change(*, scope: Scope, case_id: int) -> Case:
    """The case, locked for the rest of the transaction, if the scope may see it."""
    return visible_cases(scope=scope).select_for_update().get(pk=case_id)


def party_cases_in(*, party_id: int, department_ids: frozenset[int]) -> QuerySet[Case]:
    """The party's cases in these departments (the index on party leads)."""
    return Case.objects.filter(party_id=party_id, department_id__in=department_ids)


def waiting_periods(events: list[CaseEvent]) -> list[Period]:
    """The periods waiting for the applicant, in local dates, from the case's events in order."""
    periods: list[Period] = []
    started: dt.date | None = None
    for event in events:
        if event.kind != CaseEventKind.TRANSITION:
            continue
        if event.action in WAITING_STARTS:
            started = timezone.localdate(event.at)
        elif event.action in WAITING_ENDS and started is not None:
            periods.append((started, timezone.localdate(event.at)))
            started = None
    if started is not None:
        periods.append((started, None))
    return periods


def areas_where_waiting_counts() -> frozenset[str]:
    """The areas whose clocks count the days waiting for the applicant (default: none)."""
    return frozenset(
        AreaSettings.objects.filter(waiting_counts=True).values_list("area", flat=True)
    )


def clock_of(
    *,
    case: Case,
    events: list[CaseEvent],
    today: dt.date,
    waiting_counts: frozenset[str] | None = None,
) -> Clock | None:
    """The case's servicemål clock on `today`; None for a case without a category.

    `waiting_counts`: areas_where_waiting_counts(), when the caller has it (a list reads it once).
    """
    if waiting_counts is None:
        waiting_counts = areas_where_waiting_counts()
    category: ServiceTargetCategory | None = case.category
    if category is None:
        return None
    return servicemal_clock(
        fully_informed=timezone.localdate(case.fully_informed_at)
        if case.fully_informed_at
        else None,
        decided=timezone.localdate(case.decided_at) if case.decided_at else None,
        today=today,
        target_days=category.target_days,
        waiting=waiting_periods(events),
        waiting_counts=case.area in waiting_counts,
    )


def clock_key_of(
    *, case: Case, events: list[CaseEvent], waiting_counts: frozenset[str] | None = None
) -> SortKey:
    """The case's clock.sort_key from its events in order (no category: no clock, no key).

    `waiting_counts`: areas_where_waiting_counts(), when the caller has it.
    """
    category: ServiceTargetCategory | None = case.category
    if category is None:
        return SortKey(None, None, None)
    if waiting_counts is None:
        waiting_counts = areas_where_waiting_counts()
    return sort_key(
        fully_informed=_local(case.fully_informed_at),
        decided=_local(case.decided_at),
        target_days=category.target_days,
        waiting=waiting_periods(events),
        waiting_counts=case.area in waiting_counts,
    )


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def events_of(case: Case) -> list[CaseEvent]:
    """The case's timeline in order (as prefetched by list_cases_for, else read now)."""
    return sorted(case.events.all(), key=lambda event: (event.at, event.pk))
