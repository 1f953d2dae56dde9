"""Writes: start, pause, extend and stop deadlines; sweep for reminders; send the daily digest.

Every change to a due date writes a DeadlineChange. Reminders are inserted set-based, once per
(deadline, kind, due instant), so a sweep that runs twice, or on two workers at once, sends each
reminder once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, models, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indgang.common.errors import CONFLICT
from indgang.common.subjects import facts_of, name_of, subject_of
from indgang.common.workdays import (
    WorkCalendar,
    add_working_days,
    count_working_days,
    next_working_day,
)
from indgang.deadlines.constants import (
    AKTINDSIGT_WORKING_DAYS,
    BOOKING_KINDS,
    CALLBACK_REMINDER_LEAD_HOURS,
    CALLBACK_WORKING_DAYS,
    CASE_KINDS,
    CONFIRMATION_CALL_WORKING_DAYS,
    HEARING_CALENDAR_DAYS,
    INSPECTION_REPORT_WORKING_DAYS,
    JOURNALISED_KINDS,
    SWEEP_CHUNK_SIZE,
    ChangeAction,
    DayCount,
    DeadlineKind,
    DeadlineStatus,
    ReminderKind,
    StartEvent,
    StopEvent,
)
from indgang.deadlines.models import (
    Deadline,
    DeadlineChange,
    DeadlineNotice,
    DeadlineRule,
    DigestRun,
    Notification,
    Reminder,
)
from indgang.deadlines.selectors import calendar_for
from indgang.journal.services import journalise
from indgang.organisation.constants import Role
from indgang.organisation.models import Department, RoleAssignment
from indgang.organisation.selectors import managed_unit_ids, staff_of_department

# The rules every municipality starts with; municipalities and tasks may override them.
DEFAULT_RULES: dict[DeadlineKind, dict[str, object]] = {
    DeadlineKind.CALLBACK: {
        "length": CALLBACK_WORKING_DAYS,
        "starts_on": StartEvent.RECEIVED,
        "stops_on": StopEvent.CALLED_BACK,
        "reminder_lead_hours": CALLBACK_REMINDER_LEAD_HOURS,
        "legal_basis": "Servicemål: ring tilbage inden for en arbejdsdag",
    },
    DeadlineKind.AKTINDSIGT: {
        "length": AKTINDSIGT_WORKING_DAYS,
        "starts_on": StartEvent.RECEIVED,
        "stops_on": StopEvent.DECISION_SENT,
        "legal_basis": "Offentlighedsloven § 36, stk. 2",
    },
    # Cases (KL's PIXI book): the caseworker sets the reply date in the deficiency letter and
    # the timetable of an indskærpelse, so those have no default length.
    DeadlineKind.DEFICIENCY_REPLY: {
        "length": None,
        "day_count": DayCount.CALENDAR,
        "starts_on": StartEvent.REGISTERED,
        "stops_on": StopEvent.PARTY_RESPONDED,
    },
    DeadlineKind.HEARING_REPLY: {
        "length": HEARING_CALENDAR_DAYS,
        "day_count": DayCount.CALENDAR,
        "starts_on": StartEvent.REGISTERED,
        "stops_on": StopEvent.PARTY_RESPONDED,
        "legal_basis": "Forvaltningsloven § 19 (partshøring); nabohøring",
    },
    DeadlineKind.REMEDIATION: {
        "length": None,
        "day_count": DayCount.CALENDAR,
        "starts_on": StartEvent.REGISTERED,
        "stops_on": StopEvent.REMEDIED,
    },
    DeadlineKind.INSPECTION_REPORT: {
        "length": INSPECTION_REPORT_WORKING_DAYS,
        "starts_on": StartEvent.REGISTERED,
        "stops_on": StopEvent.REPORT_SENT,
    },
    DeadlineKind.CONFIRMATION_CALL: {
        "length": CONFIRMATION_CALL_WORKING_DAYS,
        "starts_on": StartEvent.REGISTERED,
        "stops_on": StopEvent.CALLED_BACK,
        "legal_basis": "KL: forhåndsdialog, bekræft sagens indhold, når materialet er modtaget",
    },
    # The municipality sets these per task (a rule with a task); until then, per deadline.
    DeadlineKind.COMPLAINT: {"length": None, "stops_on": StopEvent.ANSWERED},
    DeadlineKind.INQUIRY: {"length": None, "stops_on": StopEvent.ANSWERED},
    # Forvaltningsloven § 19 sets no length: the caseworker gives the party a deadline.
    DeadlineKind.PARTSHOERING: {
        "length": None,
        "starts_on": StartEvent.REGISTERED,
        "stops_on": StopEvent.PARTY_RESPONDED,
        "legal_basis": "Forvaltningsloven § 19",
    },
}


def ensure_default_rules() -> dict[DeadlineKind, DeadlineRule]:
    """Create the default rules that are missing; leave changed ones as they are."""
    rules = {}
    for kind, values in DEFAULT_RULES.items():
        rules[kind], _created = DeadlineRule.objects.get_or_create(
            kind=kind, municipality=None, task=None, defaults=values
        )
    return rules


def rule_for(
    *, kind: DeadlineKind, municipality_id: int | None = None, task_id: int | None = None
) -> DeadlineRule:
    """The rule that applies: the task's, else the municipality's, else the default."""
    applicable = Q(task__isnull=True, municipality_id=municipality_id) | Q(
        task__isnull=True, municipality__isnull=True
    )
    if task_id is not None:
        applicable |= Q(task_id=task_id)
    rules = list(DeadlineRule.objects.filter(applicable, kind=kind))
    if not rules:
        return ensure_default_rules()[kind]
    return min(rules, key=lambda rule: 0 if rule.task_id else 1 if rule.municipality_id else 2)


def due_instant(
    *,
    start: dt.datetime,
    day_count: DayCount,
    length: int,
    calendar: WorkCalendar,
) -> dt.datetime:
    """When a clock of `length` days started at `start` runs out.

    Working days: the same local time `length` working days later. Calendar days: `length` days
    later, moved to the next working day if that is a closed day.
    """
    if day_count == DayCount.WORKING:
        return add_working_days(start, length, calendar=calendar)
    local = start.astimezone(calendar.time_zone) + dt.timedelta(days=length)
    if not calendar.is_working_day(local.date()):
        day = next_working_day(local.date(), calendar=calendar)
        local = dt.datetime.combine(day, local.timetz().replace(tzinfo=None), calendar.time_zone)
    return local


def _remind_at(due_at: dt.datetime, rule: DeadlineRule) -> dt.datetime:
    return due_at - dt.timedelta(hours=rule.reminder_lead_hours)


def _municipality_of(department_id: int | None) -> int | None:
    if department_id is None:
        return None
    return (
        Department.objects.filter(pk=department_id)
        .values_list("municipality_id", flat=True)
        .first()
    )


def _require(condition: bool, field: str, message: str) -> None:
    if not condition:
        # The deadline's status decides, not the input: a conflict (409 from the API).
        code = CONFLICT if field == "status" else None
        raise ValidationError({field: ValidationError(message, code=code)})


@transaction.atomic
def start_deadline(
    *,
    subject: models.Model,
    kind: DeadlineKind,
    by: User,
    now: dt.datetime,
    started_at: dt.datetime | None = None,
    due_at: dt.datetime | None = None,
    length: int | None = None,
    owner: User | None = None,
) -> Deadline:
    """Start a clock on a subject (a contact, a thread, a case), by the rule for its kind.

    The caller has authorised the subject; the kinds of CASE_KINDS run only on cases. The due
    instant is given, or follows from `length` or the rule's length. Aktindsigt, complaints
    and inquiries also journalise the subject (a contact's thread) with its KLE topic. The
    owner must hold a role in the subject's department; without one given, the subject's
    handler owns it, else the user starting it, whoever of them works there (else nobody).
    """
    _require(
        kind not in CASE_KINDS or name_of(subject) == "case",
        "kind",
        _("%(kind)s runs on a case.") % {"kind": DeadlineKind(kind).label},
    )
    _require(
        kind not in BOOKING_KINDS or name_of(subject) == "booking",
        "kind",
        _("%(kind)s runs on a booking.") % {"kind": DeadlineKind(kind).label},
    )
    facts = facts_of(subject)
    municipality_id = _municipality_of(facts.department_id)
    rule = rule_for(kind=kind, municipality_id=municipality_id, task_id=facts.task_id)
    calendar = calendar_for(municipality_id=municipality_id)
    if started_at is None and rule.starts_on != StartEvent.GIVEN:
        started_at = facts.received_at if rule.starts_on == StartEvent.RECEIVED else now
    _require(started_at is not None, "started_at", _("Give the time the deadline starts."))
    assert started_at is not None  # noqa: S101 - narrowed by the check above
    if length is not None:
        _require(length > 0, "length", _("The length must be at least one day."))
    days = length if length is not None else rule.length
    if due_at is None:
        _require(
            days is not None,
            "due_at",
            _("%(kind)s has no fixed length: give a due date or a length in days.")
            % {"kind": DeadlineKind(kind).label},
        )
        assert days is not None  # noqa: S101 - narrowed by the check above
        due_at = due_instant(
            start=started_at, day_count=DayCount(rule.day_count), length=days, calendar=calendar
        )
    _require(due_at > started_at, "due_at", _("The due date must be after the start."))
    owner = _owner_in_department(
        department_id=facts.department_id, given=owner, candidates=[facts.handler, by]
    )
    deadline = Deadline.objects.create(
        rule=rule,
        kind=kind,
        **subject_of(subject),
        department_id=facts.department_id,
        unit_id=facts.unit_id,
        owner=owner,
        started_at=started_at,
        due_at=due_at,
        remind_at=_remind_at(due_at, rule),
    )
    DeadlineChange.objects.create(
        deadline=deadline, at=now, action=ChangeAction.STARTED, new_due_at=due_at, by=by
    )
    if kind in JOURNALISED_KINDS:
        journalise(
            subject=facts.journalised,
            kind=kind,
            kle_topic=facts.kle_topic,
            by=by,
            now=now,
        )
    return deadline


def _owner_in_department(
    *, department_id: int | None, given: User | None, candidates: list[User | None]
) -> User | None:
    """The given owner if they work in the department (else refused), or the first candidate
    who does: need-to-know follows the department, so an owner elsewhere would see nothing."""
    users = [given] if given is not None else [user for user in candidates if user is not None]
    staff = staff_of_department(department_id=department_id, user_ids={u.pk for u in users})
    if given is not None:
        _require(
            given.pk in staff,
            "owner",
            _("The owner must work in the department of the deadline's subject."),
        )
        return given
    return next((user for user in users if user.pk in staff), None)


def _locked(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().select_related("rule").get(pk=deadline.pk)


def _move_due(
    deadline: Deadline,
    *,
    due_at: dt.datetime,
    action: ChangeAction,
    by: User | None,
    now: dt.datetime,
    reason: str = "",
) -> None:
    DeadlineChange.objects.create(
        deadline=deadline,
        at=now,
        action=action,
        old_due_at=deadline.due_at,
        new_due_at=due_at,
        reason=reason,
        by=by,
    )
    deadline.due_at = due_at
    deadline.remind_at = _remind_at(due_at, deadline.rule)


@transaction.atomic
def suspend_deadline(*, deadline: Deadline, by: User, now: dt.datetime, reason: str) -> Deadline:
    """Pause the clock while waiting for the citizen; it moves on resume."""
    deadline = _locked(deadline)
    _require(
        deadline.status == DeadlineStatus.OPEN,
        "status",
        _("Only a running deadline can be suspended."),
    )
    _require(bool(reason.strip()), "reason", _("Say why the deadline is suspended."))
    deadline.status = DeadlineStatus.SUSPENDED
    deadline.suspended_at = now
    deadline.save(update_fields=["status", "suspended_at"])
    DeadlineChange.objects.create(
        deadline=deadline,
        at=now,
        action=ChangeAction.SUSPENDED,
        old_due_at=deadline.due_at,
        new_due_at=deadline.due_at,
        reason=reason.strip(),
        by=by,
    )
    return deadline


def paused_due_instant(
    *,
    due_at: dt.datetime,
    suspended_at: dt.datetime,
    resumed_at: dt.datetime,
    day_count: DayCount,
    calendar: WorkCalendar,
) -> dt.datetime:
    """The due instant moved by the time paused: whole working days, or the calendar time."""
    if day_count == DayCount.WORKING:
        paused = count_working_days(suspended_at, resumed_at, calendar=calendar)
        return add_working_days(due_at, paused, calendar=calendar) if paused else due_at
    return due_at + max(resumed_at - suspended_at, dt.timedelta(0))


@transaction.atomic
def resume_deadline(
    *, deadline: Deadline, by: User, now: dt.datetime, reason: str = ""
) -> Deadline:
    """Restart a suspended clock; the due date moves by the working days it was paused."""
    deadline = _locked(deadline)
    _require(
        deadline.status == DeadlineStatus.SUSPENDED,
        "status",
        _("Only a suspended deadline can be resumed."),
    )
    assert deadline.suspended_at is not None  # noqa: S101 - set when suspended
    calendar = calendar_for(municipality_id=_municipality_of(deadline.department_id))
    due_at = paused_due_instant(
        due_at=deadline.due_at,
        suspended_at=deadline.suspended_at,
        resumed_at=now,
        day_count=DayCount(deadline.rule.day_count),
        calendar=calendar,
    )
    _move_due(deadline, due_at=due_at, action=ChangeAction.RESUMED, by=by, now=now, reason=reason)
    deadline.status = DeadlineStatus.OPEN
    deadline.suspended_at = None
    deadline.save(update_fields=["status", "suspended_at", "due_at", "remind_at"])
    return deadline


@transaction.atomic
def extend_deadline(
    *, deadline: Deadline, due_at: dt.datetime, by: User, now: dt.datetime, reason: str
) -> Deadline:
    """Move the due date later, for a recorded reason."""
    deadline = _locked(deadline)
    _require(
        deadline.status != DeadlineStatus.COMPLETED,
        "status",
        _("A completed deadline cannot be extended."),
    )
    _require(bool(reason.strip()), "reason", _("Say why the deadline is extended."))
    _require(
        due_at > deadline.due_at,
        "due_at",
        _("The new due date must be later than the current one."),
    )
    _move_due(
        deadline, due_at=due_at, action=ChangeAction.EXTENDED, by=by, now=now, reason=reason.strip()
    )
    deadline.save(update_fields=["due_at", "remind_at"])
    return deadline


@transaction.atomic
def record_notice(
    *,
    deadline: Deadline,
    reason: str,
    expected_at: dt.datetime,
    by: User,
    now: dt.datetime,
) -> DeadlineNotice:
    """Record that the requester was told why the deadline cannot be met and when to expect an
    answer (offentlighedsloven § 36, stk. 2); the deadline then runs to that time."""
    deadline = _locked(deadline)
    _require(
        deadline.status != DeadlineStatus.COMPLETED,
        "status",
        _("The deadline is completed; there is nothing to give notice of."),
    )
    _require(bool(reason.strip()), "reason", _("Say why the deadline cannot be met."))
    _require(
        expected_at > max(now, deadline.due_at),
        "expected_at",
        _("The expected answer must be later than both now and the current due date."),
    )
    notice = DeadlineNotice.objects.create(
        deadline=deadline,
        sent_at=now,
        reason=reason.strip(),
        expected_at=expected_at,
        recorded_by=by,
    )
    _move_due(
        deadline,
        due_at=expected_at,
        action=ChangeAction.NOTICE,
        by=by,
        now=now,
        reason=reason.strip(),
    )
    deadline.save(update_fields=["due_at", "remind_at"])
    return notice


@transaction.atomic
def complete_deadline(
    *, deadline: Deadline, by: User, now: dt.datetime, stopped_by: StopEvent | None = None
) -> Deadline:
    """Stop the clock: the answer went out, the call was made, the party responded."""
    deadline = _locked(deadline)
    _require(
        deadline.status != DeadlineStatus.COMPLETED,
        "status",
        _("The deadline is already completed."),
    )
    deadline.status = DeadlineStatus.COMPLETED
    deadline.completed_at = now
    deadline.suspended_at = None
    deadline.stopped_by = stopped_by or deadline.rule.stops_on
    deadline.save(update_fields=["status", "completed_at", "suspended_at", "stopped_by"])
    DeadlineChange.objects.create(
        deadline=deadline,
        at=now,
        action=ChangeAction.COMPLETED,
        old_due_at=deadline.due_at,
        new_due_at=deadline.due_at,
        reason=deadline.get_stopped_by_display(),
        by=by,
    )
    return deadline


def mark_notifications_read(*, user: User, now: dt.datetime) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=now)


# --- The sweep -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepReport:
    due_soon: int
    breached: int
    notifications: int
    emails: int


def plan_sweep(*, now: dt.datetime, chunk_size: int = SWEEP_CHUNK_SIZE) -> list[tuple[int, int]]:
    """Id ranges [first, last) covering every open deadline that may need a reminder now."""
    bounds = Deadline.objects.filter(status=DeadlineStatus.OPEN, remind_at__lte=now).aggregate(
        first=Min("pk"), last=Max("pk")
    )
    if bounds["first"] is None:
        return []
    first, last = int(bounds["first"]), int(bounds["last"]) + 1
    return [(start, min(start + chunk_size, last)) for start in range(first, last, chunk_size)]


def _datetime(value: dt.datetime) -> Any:
    return Deadline._meta.get_field("due_at").get_db_prep_value(value, connection)


def _insert_reminders(
    *, kind: ReminderKind, first_id: int, last_id: int, now: dt.datetime, batch: Any
) -> int:
    deadline_table = Deadline._meta.db_table
    reminder_table = Reminder._meta.db_table
    # Due soon: reminded from remind_at, not yet due. Breached: due. Insert-or-skip on the
    # unique (deadline, kind, due_at), so concurrent or repeated sweeps insert each once.
    timing = "d.due_at > %s" if kind == ReminderKind.DUE_SOON else "d.due_at <= %s"
    sql = f"""
        INSERT INTO {reminder_table} (deadline_id, kind, due_at, created_at, batch)
        SELECT d.id, %s, d.due_at, %s, %s FROM {deadline_table} d
        WHERE d.id >= %s AND d.id < %s AND d.status = %s AND d.remind_at <= %s AND {timing}
          AND NOT EXISTS (
            SELECT 1 FROM {reminder_table} r
            WHERE r.deadline_id = d.id AND r.kind = %s AND r.due_at = d.due_at
          )
        ON CONFLICT (deadline_id, kind, due_at) DO NOTHING
    """  # noqa: S608 - table names come from the models; values are parameters
    at = _datetime(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, at, batch, first_id, last_id, DeadlineStatus.OPEN, at, at, kind])
        return max(int(cursor.rowcount), 0)


def _insert_notifications(*, now: dt.datetime, batch: Any) -> int:
    deadline_table = Deadline._meta.db_table
    reminder_table = Reminder._meta.db_table
    notification_table = Notification._meta.db_table
    role_table = RoleAssignment._meta.db_table
    at = _datetime(now)
    owners = f"""
        INSERT INTO {notification_table} (reminder_id, user_id, created_at)
        SELECT r.id, d.owner_id, %s FROM {reminder_table} r
        JOIN {deadline_table} d ON d.id = r.deadline_id
        WHERE r.batch = %s AND r.kind = %s AND d.owner_id IS NOT NULL
        ON CONFLICT (reminder_id, user_id) DO NOTHING
    """  # noqa: S608 - table names come from the models; values are parameters
    # A breach goes to the managers of the deadline's unit, or of its whole department.
    managers = f"""
        INSERT INTO {notification_table} (reminder_id, user_id, created_at)
        SELECT DISTINCT r.id, a.user_id, %s FROM {reminder_table} r
        JOIN {deadline_table} d ON d.id = r.deadline_id
        JOIN {role_table} a ON a.role = %s AND (
            a.unit_id = d.unit_id OR (a.unit_id IS NULL AND a.department_id = d.department_id)
        )
        WHERE r.batch = %s AND r.kind = %s
        ON CONFLICT (reminder_id, user_id) DO NOTHING
    """  # noqa: S608 - table names come from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(owners, [at, batch, ReminderKind.DUE_SOON])
        count = max(int(cursor.rowcount), 0)
        cursor.execute(managers, [at, Role.MANAGER, batch, ReminderKind.BREACHED])
        return count + max(int(cursor.rowcount), 0)


def sweep_range(*, first_id: int, last_id: int, now: dt.datetime) -> SweepReport:
    """Record and send the reminders due now for open deadlines with ids in [first_id, last_id).

    Set-based: two INSERT … SELECT statements for the reminders and two for the notifications,
    in one transaction; then one e-mail per recipient for the notifications this run inserted.
    """
    batch_id = uuid.uuid4()
    batch = Reminder._meta.get_field("batch").get_db_prep_value(batch_id, connection)
    with transaction.atomic():
        due_soon = _insert_reminders(
            kind=ReminderKind.DUE_SOON, first_id=first_id, last_id=last_id, now=now, batch=batch
        )
        breached = _insert_reminders(
            kind=ReminderKind.BREACHED, first_id=first_id, last_id=last_id, now=now, batch=batch
        )
        notifications = _insert_notifications(now=now, batch=batch) if due_soon or breached else 0
    emails = _email_notifications(batch=batch_id, now=now) if notifications else 0
    return SweepReport(
        due_soon=due_soon, breached=breached, notifications=notifications, emails=emails
    )


def sweep(*, now: dt.datetime, chunk_size: int = SWEEP_CHUNK_SIZE) -> SweepReport:
    """Run every chunk of the sweep here, one after the other (the command and benchmark)."""
    reports = [
        sweep_range(first_id=first, last_id=last, now=now)
        for first, last in plan_sweep(now=now, chunk_size=chunk_size)
    ]
    return SweepReport(
        due_soon=sum(r.due_soon for r in reports),
        breached=sum(r.breached for r in reports),
        notifications=sum(r.notifications for r in reports),
        emails=sum(r.emails for r in reports),
    )


def _email_notifications(*, batch: uuid.UUID, now: dt.datetime) -> int:
    rows = (
        Notification.objects.filter(reminder__batch=batch, user__email__gt="")
        .values("user_id", "user__email", "reminder__kind")
        .annotate(n=Count("pk"))
        .order_by("user_id")
    )
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["user_id"], row["user__email"]][row["reminder__kind"]] = row["n"]
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for (_user_id, email), by_kind in counts.items():
            lines = []
            if by_kind.get(ReminderKind.DUE_SOON):
                lines.append(
                    ngettext(
                        "%(count)d of your deadlines is due soon.",
                        "%(count)d of your deadlines are due soon.",
                        by_kind[ReminderKind.DUE_SOON],
                    )
                    % {"count": by_kind[ReminderKind.DUE_SOON]}
                )
            if by_kind.get(ReminderKind.BREACHED):
                lines.append(
                    ngettext(
                        "%(count)d deadline in your unit has passed.",
                        "%(count)d deadlines in your unit have passed.",
                        by_kind[ReminderKind.BREACHED],
                    )
                    % {"count": by_kind[ReminderKind.BREACHED]}
                )
            lines.append(_("See them under My deadlines in Indgang."))
            messages.append(
                (
                    _("Indgang: deadlines"),
                    "\n".join(lines),
                    settings.DEFAULT_FROM_EMAIL,
                    [email],
                )
            )
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    Notification.objects.filter(
        reminder__batch=batch, user_id__in=[user_id for user_id, _email in counts]
    ).update(emailed_at=now)
    return sent


# --- The daily digest ------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestLine:
    overdue: int
    due_next_working_day: int
    unit_overdue: int


def send_digest(*, now: dt.datetime) -> int:
    """E-mail each owner and manager the day's deadlines, once per day; return e-mails sent.

    The owner gets their overdue deadlines and those due by the end of the next working day;
    a manager also gets the count of overdue deadlines in the units they manage.
    """
    local_day = now.astimezone(calendar_for(municipality_id=None).time_zone).date()
    with transaction.atomic():
        run, created = DigestRun.objects.get_or_create(day=local_day, defaults={"started_at": now})
        if not created:
            return 0
        run.emails = _send_digest(now=now, local_day=local_day)
        run.save(update_fields=["emails"])
        return run.emails


def _send_digest(*, now: dt.datetime, local_day: dt.date) -> int:
    open_deadlines = Deadline.objects.filter(status=DeadlineStatus.OPEN)
    owned = open_deadlines.filter(owner__isnull=False)
    lines: dict[int, DigestLine] = defaultdict(lambda: DigestLine(0, 0, 0))
    # "The next working day" by the calendar of the municipality each deadline belongs to.
    municipalities = set(owned.values_list("department__municipality_id", flat=True).distinct())
    for municipality_id in municipalities:
        calendar = calendar_for(municipality_id=municipality_id)
        horizon = dt.datetime.combine(
            next_working_day(local_day, calendar=calendar) + dt.timedelta(days=1),
            dt.time(),
            calendar.time_zone,
        )
        for row in (
            owned.filter(department__municipality_id=municipality_id, due_at__lt=horizon)
            .values("owner_id")
            .annotate(
                overdue=Count("pk", filter=Q(due_at__lt=now)),
                soon=Count("pk", filter=Q(due_at__gte=now)),
            )
        ):
            line = lines[row["owner_id"]]
            lines[row["owner_id"]] = DigestLine(
                line.overdue + row["overdue"], line.due_next_working_day + row["soon"], 0
            )
    overdue_by_unit = dict(
        open_deadlines.filter(due_at__lt=now, unit__isnull=False)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    managers = User.objects.filter(role_assignments__role=Role.MANAGER, is_active=True).distinct()
    for manager in managers:
        total = sum(overdue_by_unit.get(unit_id, 0) for unit_id in managed_unit_ids(user=manager))
        if total:
            line = lines[manager.pk]
            lines[manager.pk] = DigestLine(line.overdue, line.due_next_working_day, total)
    emails = dict(User.objects.filter(pk__in=list(lines), email__gt="").values_list("pk", "email"))
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, line in sorted(lines.items()):
            if user_id not in emails:
                continue
            body = [
                _("Overdue: %(count)d") % {"count": line.overdue},
                _("Due by the end of the next working day: %(count)d")
                % {"count": line.due_next_working_day},
            ]
            if line.unit_overdue:
                body.append(_("Overdue in your units: %(count)d") % {"count": line.unit_overdue})
            messages.append(
                (
                    _("Indgang: your deadlines today"),
                    "\n".join(body),
                    settings.DEFAULT_FROM_EMAIL,
                    [emails[user_id]],
                )
            )
    return send_mass_mail(messages, fail_silently=False) if messages else 0
