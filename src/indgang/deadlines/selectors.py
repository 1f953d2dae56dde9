"""Reads: calendars, rules, and deadlines through one permission path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, QuerySet, Value, When
from django.utils.translation import gettext as _

from indgang.common.subjects import (
    SubjectView,
    describe_subjects,
    for_subjects,
    registered,
    subject_of,
)
from indgang.common.workdays import DEFAULT_CALENDAR, ClosingDay, WorkCalendar
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus
from indgang.deadlines.models import Deadline, MunicipalCalendar, Notification
from indgang.organisation.selectors import Scope

OPEN_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.SUSPENDED)


def calendar_for(*, municipality_id: int | None) -> WorkCalendar:
    """The municipality's working-day calendar; the default one if it has none configured."""
    if municipality_id is None:
        return DEFAULT_CALENDAR
    configured = (
        MunicipalCalendar.objects.filter(municipality_id=municipality_id)
        .prefetch_related("closed_dates")
        .first()
    )
    if configured is None:
        return DEFAULT_CALENDAR
    return WorkCalendar(
        closing_days=frozenset(ClosingDay(code) for code in configured.closing_days),
        closed_dates=frozenset(closed.date for closed in configured.closed_dates.all()),
        opening_hours=tuple(  # type: ignore[arg-type]
            (dt.time.fromisoformat(opens), dt.time.fromisoformat(closes))
            for opens, closes in configured.opening_hours
        ),
    )


def visible_deadlines(*, scope: Scope, user: User) -> QuerySet[Deadline]:
    """Deadlines kept in the departments the scope sees in full (a deadline keeps the department
    of its subject when it started: a promise stays with who made it). Owning one elsewhere
    shows nothing; what a deadline shows of its subject follows the subject's own rule
    (`deadline_rows`).

    `user` is kept so callers need not change when the rule grows per user.
    """
    deadlines = Deadline.objects.all()
    if not scope.sees_all:
        deadlines = deadlines.filter(department_id__in=scope.department_ids)
    return deadlines


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    subject: SubjectView | None

    @property
    def redacted(self) -> bool:
        """Whether the subject is withheld from the scope (gone, or another department's)."""
        return self.subject is None or self.subject.redacted


def deadline_rows(*, scope: Scope, deadlines: Iterable[Deadline]) -> list[DeadlineRow]:
    """Each deadline with its subject as the scope may see it (one query per subject type)."""
    deadlines = list(deadlines)
    views = describe_subjects(scope=scope, references=deadlines)
    return [
        DeadlineRow(deadline, views.get((deadline.subject_type_id, deadline.subject_id)))
        for deadline in deadlines
    ]


def may_change_deadline(*, scope: Scope, user: User, deadline: Deadline) -> bool:
    """Who may suspend, resume, extend, give notice on or complete a deadline it sees: its
    owner, staff of its unit (of its department, when it has no unit), the managers of that
    unit or of the whole department, and administrators."""
    return (
        scope.sees_all
        or deadline.owner_id == user.pk
        or scope.works_in(department_id=deadline.department_id, unit_id=deadline.unit_id)
        or scope.manages(department_id=deadline.department_id, unit_id=deadline.unit_id)
    )


def get_deadline_to_change(*, scope: Scope, user: User, deadline_id: int) -> Deadline:
    """A deadline the user sees and may change; DoesNotExist if not seen, PermissionDenied
    (with a Danish message) if seen but another unit's."""
    deadline = get_deadline_for(scope=scope, user=user, deadline_id=deadline_id)
    if not may_change_deadline(scope=scope, user=user, deadline=deadline):
        raise PermissionDenied(
            _(
                "Only the owner, staff of the deadline's unit and its managers may change "
                "this deadline."
            )
        )
    return deadline


def deadlines_on(
    *,
    subjects: dict[type[models.Model], QuerySet[Any]],
    department_ids: frozenset[int],
) -> QuerySet[Deadline]:
    """Deadlines in these departments on any of these subjects (a subquery of their ids per
    model), e.g. a party's contacts and threads for the 360."""
    on_any = models.Q(pk__in=[])
    for model, ids in subjects.items():
        on_any |= models.Q(
            subject_type=ContentType.objects.get_for_model(model), subject_id__in=ids
        )
    return Deadline.objects.filter(on_any, department_id__in=department_ids)


def deadlines_of(*, subject: models.Model) -> QuerySet[Deadline]:
    """The subject's deadlines, most urgent first (the caller has authorised the subject)."""
    return _by_urgency(Deadline.objects.filter(**subject_of(subject)).select_related("owner"))


# What names a deadline's owner: the full name, the login where there is none.
OWNER_NAME_FIELDS = ("owner_id", "owner__first_name", "owner__last_name", "owner__username")


def list_deadlines_for(
    *,
    scope: Scope,
    user: User,
    subjects: Sequence[tuple[str, int]] = (),
    owner_id: int | None = None,
    unit_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    open_only: bool = False,
    overdue_at: dt.datetime | None = None,
    by_owner: bool = False,
) -> QuerySet[Deadline]:
    """Deadlines the user may see, most urgent first: open by due date, then suspended, then done.

    `subjects`: only deadlines on each of these subjects, by registered name and id.
    `overdue_at`: only open deadlines due before that instant.
    `by_owner`: grouped by their owner's name first (those without an owner last).
    """
    deadlines = visible_deadlines(scope=scope, user=user).select_related(
        "unit__department", "owner", "rule"
    )
    for name, subject_id in subjects:
        deadlines = deadlines.filter(**for_subjects(registered(name).model, [subject_id]))
    if owner_id is not None:
        deadlines = deadlines.filter(owner_id=owner_id)
    if unit_id is not None:
        deadlines = deadlines.filter(unit_id=unit_id)
    if kind:
        deadlines = deadlines.filter(kind=kind)
    if status:
        deadlines = deadlines.filter(status=status)
    if open_only:
        deadlines = deadlines.filter(status__in=OPEN_STATUSES)
    if overdue_at is not None:
        deadlines = deadlines.filter(status=DeadlineStatus.OPEN, due_at__lt=overdue_at)
    deadlines = _by_urgency(deadlines)
    if by_owner:
        names = [models.F(field).asc(nulls_last=True) for field in OWNER_NAME_FIELDS[1:]]
        deadlines = deadlines.order_by(*names, "owner_id", *deadlines.query.order_by)
    return deadlines


def _by_urgency(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Open by due date, then suspended, then done."""
    return deadlines.alias(
        urgency=Case(
            When(status=DeadlineStatus.OPEN, then=Value(0)),
            When(status=DeadlineStatus.SUSPENDED, then=Value(1)),
            default=Value(2),
        )
    ).order_by("urgency", "due_at", "pk")


def get_deadline_for(*, scope: Scope, user: User, deadline_id: int) -> Deadline:
    """One deadline through the list's permission path; DoesNotExist if missing or not visible."""
    return (
        list_deadlines_for(scope=scope, user=user)
        .prefetch_related("changes__by", "notices__recorded_by")
        .get(pk=deadline_id)
    )


@dataclass(frozen=True)
class OverdueCount:
    key: int | str | None
    name: str
    count: int


def count_overdue(*, scope: Scope, user: User, now: dt.datetime) -> dict[str, list[OverdueCount]]:
    """Overdue open deadlines the user may see, counted per unit, per owner and per kind."""
    overdue = visible_deadlines(scope=scope, user=user).filter(
        status=DeadlineStatus.OPEN, due_at__lt=now
    )
    by_unit = [
        OverdueCount(row["unit_id"], _unit_label(row), row["n"])
        for row in overdue.values("unit_id", "unit__name", "unit__department__abbreviation")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")
    ]
    by_owner = [
        OverdueCount(row["owner_id"], _person_name(row), row["n"])
        for row in overdue.values(*OWNER_NAME_FIELDS)
        .annotate(n=Count("pk"))
        .order_by("-n", *OWNER_NAME_FIELDS[1:])
    ]
    by_kind = [
        OverdueCount(row["kind"], str(DeadlineKind(row["kind"]).label), row["n"])
        for row in overdue.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    ]
    return {"unit": by_unit, "owner": by_owner, "kind": by_kind}


def _person_name(row: dict[str, Any]) -> str:
    """As User.get_full_name() with the login as fallback, from a values() row."""
    full = f"{row['owner__first_name'] or ''} {row['owner__last_name'] or ''}".strip()
    return full or row["owner__username"] or ""


def _unit_label(row: dict[str, object]) -> str:
    if row["unit_id"] is None:
        return ""
    return f"{row['unit__name']} ({row['unit__department__abbreviation']})"


def list_notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(user_id=user.pk).select_related(
        "reminder__deadline"
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def open_deadlines_of(
    *, scope: Scope, user: User, model: type[models.Model], ids: list[int]
) -> dict[int, list[Deadline]]:
    """Open and suspended deadlines the user sees on these subjects of one model, by subject
    id, for the 360 (one query)."""
    found: dict[int, list[Deadline]] = {}
    for deadline in (
        visible_deadlines(scope=scope, user=user)
        .filter(**for_subjects(model, ids), status__in=OPEN_STATUSES)
        .order_by("due_at")
    ):
        found.setdefault(deadline.subject_id, []).append(deadline)
    return found
