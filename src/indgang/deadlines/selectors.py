"""Reads: calendars, rules, and deadlines through one permission path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from indgang.common.workdays import DEFAULT_CALENDAR, ClosingDay, WorkCalendar
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import is_redacted, is_thread_redacted, visible_contacts
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


def get_contact_for_new_deadline(*, scope: Scope, contact_id: int) -> Contact:
    """The contact, if the scope may start a clock on it: one it sees in full (the front line
    routes other departments' contacts, but their promises are kept there). Raises
    Contact.DoesNotExist otherwise, as for a contact that does not exist."""
    contact = visible_contacts(scope=scope).get(pk=contact_id)
    if not scope.sees_in_full(contact.department_id):
        raise Contact.DoesNotExist
    return contact


def visible_deadlines(*, scope: Scope, user: User) -> QuerySet[Deadline]:
    """Deadlines kept in the departments the scope sees in full (a deadline keeps the department
    of its subject when it started: a promise stays with who made it). Owning one elsewhere
    shows nothing; what a deadline shows of its contact or thread follows the contact rule
    (`is_subject_redacted`).

    `user` is kept so callers need not change when the rule grows per user.
    """
    deadlines = Deadline.objects.all()
    if not scope.sees_all:
        deadlines = deadlines.filter(department_id__in=scope.department_ids)
    return deadlines


def is_subject_redacted(*, scope: Scope, deadline: Deadline) -> bool:
    """Whether the deadline's contact or thread is one the scope may not read (it moved to
    another department since): then its summary, subject and party are withheld."""
    if deadline.contact is not None:
        return is_redacted(scope=scope, contact=deadline.contact)
    assert deadline.thread is not None  # noqa: S101 - a deadline has one subject
    return is_thread_redacted(scope=scope, thread=deadline.thread)


def deadline_rows(*, scope: Scope, deadlines: Iterable[Deadline]) -> list[tuple[Deadline, bool]]:
    """Each deadline with whether its subject is withheld from the scope."""
    return [(d, is_subject_redacted(scope=scope, deadline=d)) for d in deadlines]


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


def party_deadlines_in(*, party_id: int, department_ids: frozenset[int]) -> QuerySet[Deadline]:
    """Deadlines in these departments on the party's contacts or threads."""
    return Deadline.objects.filter(department_id__in=department_ids).filter(
        Q(contact__in=Contact.objects.filter(party_id=party_id).values("pk"))
        | Q(thread__in=Thread.objects.filter(party_id=party_id).values("pk"))
    )


def list_deadlines_for(
    *,
    scope: Scope,
    user: User,
    contact_id: int | None = None,
    thread_id: int | None = None,
    owner_id: int | None = None,
    unit_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    open_only: bool = False,
    overdue_at: dt.datetime | None = None,
) -> QuerySet[Deadline]:
    """Deadlines the user may see, most urgent first: open by due date, then suspended, then done.

    `overdue_at`: only open deadlines due before that instant.
    """
    deadlines = visible_deadlines(scope=scope, user=user).select_related(
        "contact__party", "thread__party", "unit__department", "owner", "rule"
    )
    if contact_id is not None:
        deadlines = deadlines.filter(contact_id=contact_id)
    if thread_id is not None:
        deadlines = deadlines.filter(thread_id=thread_id)
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
        OverdueCount(row["owner_id"], row["owner__username"] or "", row["n"])
        for row in overdue.values("owner_id", "owner__username")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner__username")
    ]
    by_kind = [
        OverdueCount(row["kind"], str(DeadlineKind(row["kind"]).label), row["n"])
        for row in overdue.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    ]
    return {"unit": by_unit, "owner": by_owner, "kind": by_kind}


def _unit_label(row: dict[str, object]) -> str:
    if row["unit_id"] is None:
        return ""
    return f"{row['unit__name']} ({row['unit__department__abbreviation']})"


def list_notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(user_id=user.pk).select_related(
        "reminder__deadline__contact", "reminder__deadline__thread"
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def deadlines_by_contact(
    *, scope: Scope, user: User, contact_ids: list[int]
) -> dict[int, list[Deadline]]:
    """Open and suspended deadlines of the given contacts, for the 360 (one query)."""
    found: dict[int, list[Deadline]] = {}
    for deadline in (
        visible_deadlines(scope=scope, user=user)
        .filter(contact_id__in=contact_ids, status__in=OPEN_STATUSES)
        .order_by("due_at")
    ):
        assert deadline.contact_id is not None  # noqa: S101 - filtered on it
        found.setdefault(deadline.contact_id, []).append(deadline)
    return found
