"""Reads: the start page's panels, one per role the user holds.

Every panel reads through the owning app's selectors (the one permission path of each
resource): deadlines through `list_deadlines_for` / `visible_deadlines`, contacts through
`visible_contacts`, cases through `visible_cases` / `list_work_for`, the triage queue through
`list_open_queue`, trends through the statistics KPIs (`contact_counts` under the statistics
scope). Each panel costs a fixed number of statements, however many rows it counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from indgang.audit.constants import AccessAction, Purpose
from indgang.cases.models import Case
from indgang.cases.reports import OFF_THE_WORK_LIST, days_left_of, list_work_for
from indgang.cases.selectors import visible_cases
from indgang.common.imports import latest_imports
from indgang.common.models import ImportKind, ImportRun
from indgang.common.tasks import PeriodicStatus, latest_slot, list_periodic_status
from indgang.contacts.constants import DANISH_TIME, Direction, Outcome
from indgang.contacts.selectors import visible_contacts
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import (
    DeadlineRow,
    deadline_rows,
    list_deadlines_for,
    visible_deadlines,
)
from indgang.organisation.constants import Role
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.statistics.constants import GoalMetric
from indgang.statistics.dashboard.forms import last_twelve_months
from indgang.statistics.dashboard.panels import Panel, kpi_trend, period_starts
from indgang.statistics.goals import kpi_map, list_kpis
from indgang.statistics.selectors import Slice
from indgang.triage.models import ModelVersion
from indgang.triage.selectors import get_newest_version, list_open_queue

# Rows listed per panel; the counts beside them are of all rows.
LISTED = 10
# A case whose servicemål clock runs with this many calendar days left or fewer is at risk.
AT_RISK_DAYS = 5
# "New in my unit": cases received in the last week, contacts received today.
NEW_CASE_DAYS = 7
# A person carries too much when their open deadlines and cases exceed the team's average by
# half again.
OVERLOAD_FACTOR = 1.5


@dataclass(frozen=True)
class Urgent:
    """A deadline or case with its urgency in days: positive days overdue, or days left."""

    days_overdue: int

    @property
    def days_left(self) -> int:
        return -self.days_overdue


@dataclass(frozen=True)
class UrgentDeadline(Urgent):
    row: DeadlineRow


@dataclass(frozen=True)
class UrgentCase(Urgent):
    case: Case
    started: bool  # whether the servicemål clock runs (a case not fully informed has none)


@dataclass(frozen=True)
class FrontLinePanel:
    callbacks: list[UrgentDeadline]
    callbacks_count: int
    queue_size: int
    registered_today: int
    unit_name: str
    unit_today: int  # inbound contacts of the unit today
    unit_resolved_today: int  # of those, resolved at first contact

    @property
    def unit_resolved_percent(self) -> float | None:
        """The unit's straksafklaring today in per cent; None before its first contact."""
        return 100 * self.unit_resolved_today / self.unit_today if self.unit_today else None


@dataclass(frozen=True)
class CaseworkerPanel:
    deadlines: list[UrgentDeadline]
    deadlines_count: int
    deadlines_overdue: int
    cases: list[UrgentCase]
    cases_count: int
    unit_id: int | None
    unit_name: str
    new_contacts_today: int
    new_cases: int


@dataclass(frozen=True)
class UnitLoad:
    unit_id: int | None
    name: str
    overdue: int
    at_risk: int


@dataclass(frozen=True)
class PersonLoad:
    user_id: int
    name: str
    deadlines: int
    cases: int
    overloaded: bool

    @property
    def total(self) -> int:
        return self.deadlines + self.cases


@dataclass(frozen=True)
class ManagerPanel:
    deadlines_overdue: int
    deadlines_at_risk: int
    by_unit: list[UnitLoad]
    cases_over_target: int
    cases_at_risk: int
    trends: list[Panel]
    people: list[PersonLoad]
    average_load: float


@dataclass(frozen=True)
class TaskHealth:
    status: PeriodicStatus
    late: bool  # the latest slot has waited for more than two scheduler ticks


@dataclass(frozen=True)
class ImportHealth:
    kind: ImportKind
    run: ImportRun | None


@dataclass(frozen=True)
class AdminPanel:
    backend: str
    tasks: list[TaskHealth]
    model: ModelVersion | None
    imports: list[ImportHealth]

    @property
    def tasks_late(self) -> int:
        return sum(1 for task in self.tasks if task.late)


@dataclass(frozen=True)
class PartyRead:
    action: AccessAction
    purpose: Purpose
    party_ids: list[int | None]


@dataclass(frozen=True)
class StartPage:
    front_line: FrontLinePanel | None = None
    caseworker: CaseworkerPanel | None = None
    manager: ManagerPanel | None = None
    admin: AdminPanel | None = None

    def party_reads(self) -> list[PartyRead]:
        """The parties the page shows, to log as read, with how and why each panel reads them:
        the front line's call-backs to handle contacts, the caseworker's own work as casework."""
        reads = []
        if self.front_line:
            reads.append(
                PartyRead(
                    AccessAction.LISTED_CONTACTS,
                    Purpose.CONTACT,
                    shown_parties(self.front_line.callbacks),
                )
            )
        if self.caseworker:
            reads += [
                PartyRead(
                    AccessAction.LISTED_CONTACTS,
                    Purpose.CASEWORK,
                    shown_parties(self.caseworker.deadlines),
                ),
                PartyRead(
                    AccessAction.LISTED_CASES,
                    Purpose.CASEWORK,
                    [urgent.case.party_id for urgent in self.caseworker.cases],
                ),
            ]
        return reads


def shown_parties(deadlines: list[UrgentDeadline]) -> list[int | None]:
    """The parties of the deadlines' subjects the page shows (none of a withheld subject)."""
    return [
        urgent.row.subject.party_id
        for urgent in deadlines
        if urgent.row.subject and not urgent.row.redacted
    ]


def get_start_page(*, scope: Scope, user: User, now: dt.datetime) -> StartPage:
    """The panels of every role the user holds; a role not held gives no panel."""
    today = now.astimezone(DANISH_TIME).date()
    return StartPage(
        front_line=front_line_panel(scope=scope, user=user, now=now, today=today)
        if Role.FRONTLINE in scope.roles
        else None,
        caseworker=caseworker_panel(scope=scope, user=user, now=now, today=today)
        if Role.CASEWORKER in scope.roles
        else None,
        manager=manager_panel(scope=scope, user=user, now=now, today=today)
        if Role.MANAGER in scope.roles
        else None,
        admin=admin_panel(now=now) if Role.ADMIN in scope.roles else None,
    )


# Helpers ----------------------------------------------------------------------------------------


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=DANISH_TIME)


def _days_overdue(due_at: dt.datetime, *, today: dt.date) -> int:
    return (today - due_at.astimezone(DANISH_TIME).date()).days


def _urgent_deadlines(
    scope: Scope, deadlines: QuerySet[Deadline], *, today: dt.date
) -> list[UrgentDeadline]:
    return [
        UrgentDeadline(row=row, days_overdue=_days_overdue(row.deadline.due_at, today=today))
        for row in deadline_rows(scope=scope, deadlines=deadlines[:LISTED])
    ]


def _places(scope: Scope, *roles: Role) -> Q:
    """Rows of the units the user holds these roles in (of the whole department, for a role
    held without a unit)."""
    places = Q(pk__in=[])
    for role, department_id, unit_id in scope.assignments:
        if role in roles:
            places |= Q(unit_id=unit_id) if unit_id else Q(department_id=department_id)
    return places


def _home_unit(scope: Scope, role: Role) -> int | None:
    """The first unit the user holds this role in."""
    return next((u for r, _d, u in scope.assignments if r == role and u is not None), None)


def _unit_names(ids: set[int | None]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=ids - {None}).values_list("pk", "name"))


# Panels -----------------------------------------------------------------------------------------


def front_line_panel(
    *, scope: Scope, user: User, now: dt.datetime, today: dt.date
) -> FrontLinePanel:
    """Call-backs due today or overdue (the user's own, or their units'), the triage queue, the
    user's registrations today and their unit's straksafklaring today."""
    tomorrow = _start_of(today + dt.timedelta(days=1))
    callbacks = list_deadlines_for(
        scope=scope, user=user, kind=DeadlineKind.CALLBACK, status=DeadlineStatus.OPEN
    ).filter(Q(owner_id=user.pk) | _places(scope, *Role), due_at__lt=tomorrow)
    unit_id = _home_unit(scope, Role.FRONTLINE) or scope.home_unit_id
    in_unit = Q(unit_id=unit_id) if unit_id else Q(department_id=scope.home_department_id)
    inbound_in_unit = in_unit & Q(direction=Direction.INBOUND)
    counts = (
        visible_contacts(scope=scope)
        .filter(Q(registered_by_id=user.pk) | in_unit, received_at__gte=_start_of(today))
        .aggregate(
            mine=Count("pk", filter=Q(registered_by_id=user.pk)),
            unit=Count("pk", filter=inbound_in_unit),
            resolved=Count(
                "pk", filter=inbound_in_unit & Q(outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
            ),
        )
    )
    return FrontLinePanel(
        callbacks=_urgent_deadlines(scope, callbacks, today=today),
        callbacks_count=callbacks.count(),
        queue_size=list_open_queue(scope=scope).count(),
        registered_today=counts["mine"],
        unit_name=_unit_names({unit_id}).get(unit_id or 0, ""),
        unit_today=counts["unit"],
        unit_resolved_today=counts["resolved"],
    )


def caseworker_panel(
    *, scope: Scope, user: User, now: dt.datetime, today: dt.date
) -> CaseworkerPanel:
    """The user's open deadlines and cases, most urgent first, and what is new in their unit."""
    deadlines = list_deadlines_for(scope=scope, user=user, owner_id=user.pk, open_only=True)
    cases = list_work_for(scope=scope, today=today, caseworker=user)
    unit_id = _home_unit(scope, Role.CASEWORKER)
    place = Q(unit_id=unit_id) if unit_id else _places(scope, Role.CASEWORKER)
    return CaseworkerPanel(
        deadlines=_urgent_deadlines(scope, deadlines, today=today),
        deadlines_count=deadlines.count(),
        deadlines_overdue=deadlines.filter(status=DeadlineStatus.OPEN, due_at__lt=now).count(),
        cases=[
            UrgentCase(
                case=case,
                days_overdue=-(days_left_of(case) or 0),
                started=days_left_of(case) is not None,
            )
            for case in cases[:LISTED]
        ],
        cases_count=cases.count(),
        unit_id=unit_id,
        unit_name=_unit_names({unit_id}).get(unit_id or 0, ""),
        new_contacts_today=visible_contacts(scope=scope)
        .filter(place, received_at__gte=_start_of(today))
        .count(),
        new_cases=visible_cases(scope=scope)
        .filter(place, received_at__gte=_start_of(today - dt.timedelta(days=NEW_CASE_DAYS - 1)))
        .count(),
    )


def manager_panel(*, scope: Scope, user: User, now: dt.datetime, today: dt.date) -> ManagerPanel:
    """The managed units' (or departments') overdue and at-risk deadlines and cases, the trends
    of first-contact resolution and digital share, and each person's open load."""
    managed = _places(scope, Role.MANAGER)
    # Due within the rule's reminder lead (remind_at) or past due: overdue implies reminded.
    pressing = (
        visible_deadlines(scope=scope, user=user)
        .filter(managed, status=DeadlineStatus.OPEN, remind_at__lte=now)
        .values("unit_id")
        .annotate(
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            at_risk=Count("pk", filter=Q(due_at__gte=now)),
        )
        .order_by()
    )
    pressing_rows = list(pressing)
    names = _unit_names({row["unit_id"] for row in pressing_rows})
    by_unit = sorted(
        (
            UnitLoad(row["unit_id"], names.get(row["unit_id"], ""), row["overdue"], row["at_risk"])
            for row in pressing_rows
        ),
        key=lambda load: (-load.overdue, -load.at_risk, load.name),
    )
    open_cases = visible_cases(scope=scope).filter(managed).exclude(state__in=OFF_THE_WORK_LIST)
    # Over target whether the clock runs or waits; at risk only while it runs.
    case_counts = open_cases.aggregate(
        over=Count(
            "pk",
            filter=Q(clock_stopped_on__isnull=True, clock_due_on__lt=today)
            | Q(clock_stopped_on__isnull=False, clock_due_on__lt=F("clock_stopped_on")),
        ),
        risk=Count(
            "pk",
            filter=Q(
                clock_stopped_on__isnull=True,
                clock_due_on__gte=today,
                clock_due_on__lte=today + dt.timedelta(days=AT_RISK_DAYS),
            ),
        ),
    )
    people, average = _people(scope=scope, user=user, managed=managed, open_cases=open_cases)
    return ManagerPanel(
        deadlines_overdue=sum(load.overdue for load in by_unit),
        deadlines_at_risk=sum(load.at_risk for load in by_unit),
        by_unit=by_unit,
        cases_over_target=case_counts["over"],
        cases_at_risk=case_counts["risk"],
        trends=_trends(scope=scope, now=now, today=today),
        people=people,
        average_load=average,
    )


def _people(
    *, scope: Scope, user: User, managed: Q, open_cases: QuerySet[Case]
) -> tuple[list[PersonLoad], float]:
    """Open deadlines owned and open cases held per person, heaviest first, the first
    LISTED of them, and the average over everyone who holds any."""
    deadlines = dict(
        visible_deadlines(scope=scope, user=user)
        .filter(managed, status__in=(DeadlineStatus.OPEN, DeadlineStatus.SUSPENDED))
        .exclude(owner_id=None)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("owner_id", "n")
    )
    cases = dict(
        open_cases.exclude(caseworkers=None)
        .values("caseworkers")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("caseworkers", "n")
    )
    ids = set(deadlines) | set(cases)
    if not ids:
        return [], 0.0
    average = sum(deadlines.values()) + sum(cases.values())
    average /= len(ids)
    heaviest = sorted(ids, key=lambda pk: (-(deadlines.get(pk, 0) + cases.get(pk, 0)), pk))[:LISTED]
    names = {
        person.pk: person.get_full_name() or person.username
        for person in User.objects.filter(pk__in=heaviest).only(
            "first_name", "last_name", "username"
        )
    }
    return [
        PersonLoad(
            user_id=pk,
            name=names.get(pk, ""),
            deadlines=deadlines.get(pk, 0),
            cases=cases.get(pk, 0),
            overloaded=len(ids) > 1
            and deadlines.get(pk, 0) + cases.get(pk, 0) > OVERLOAD_FACTOR * average,
        )
        for pk in heaviest
    ], average


def _trends(*, scope: Scope, now: dt.datetime, today: dt.date) -> list[Panel]:
    """First-contact resolution and digital share per month over the last twelve months, in
    the user's statistics scope (their managed departments; everything for an administrator)."""
    start, end = last_twelve_months(today)
    slice_ = Slice(start=start, end=end)
    kpis = kpi_map(list_kpis(scope=scope, slice=slice_, period="month", now=now))
    starts = period_starts(start, end, "month")
    return [
        kpi_trend(
            kpis[GoalMetric.RESOLVED_AT_FIRST_CONTACT],
            key="first-contact",
            heading=_("First-contact resolution"),
            starts=starts,
            period="month",
        ),
        kpi_trend(
            kpis[GoalMetric.DIGITAL_SHARE],
            key="digital-share",
            heading=_("Digital share against the goal"),
            starts=starts,
            period="month",
        ),
    ]


def admin_panel(*, now: dt.datetime) -> AdminPanel:
    """The task engine's periodic tasks, the newest triage model and the last imports."""
    zone = ZoneInfo(settings.TIME_ZONE)
    patience = dt.timedelta(seconds=2 * settings.SCHEDULER_TICK_SECONDS)
    tasks = [
        TaskHealth(
            status=status,
            late=status.due and now - latest_slot(status.schedule, now=now, zone=zone) > patience,
        )
        for status in list_periodic_status(now=now)
    ]
    runs = latest_imports()
    return AdminPanel(
        backend=str(settings.TASK_BACKEND),
        tasks=tasks,
        model=get_newest_version(),
        imports=[ImportHealth(kind=kind, run=runs.get(kind)) for kind in ImportKind],
    )
