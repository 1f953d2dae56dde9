import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import Task
from indgang.common.subjects import SubjectReference
from indgang.common.workdays import DEFAULT_CLOSING_DAYS, DEFAULT_OPENING_HOURS, ClosingDay
from indgang.deadlines.constants import (
    DEFAULT_REMINDER_LEAD_HOURS,
    ChangeAction,
    DayCount,
    DeadlineKind,
    DeadlineStatus,
    ReminderKind,
    StartEvent,
    StopEvent,
)
from indgang.organisation.models import Department, Municipality, Unit


def default_closing_days() -> list[str]:
    return sorted(DEFAULT_CLOSING_DAYS)


def default_opening_hours() -> list[list[str]]:
    return [
        [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
        for opens, closes in DEFAULT_OPENING_HOURS
    ]


def validate_closing_days(value: object) -> None:
    """A list of ClosingDay codes, as the calendar reads them (the admin edits them as JSON)."""
    codes = sorted(day.value for day in ClosingDay)
    if not isinstance(value, list) or any(code not in codes for code in value):
        raise ValidationError(
            _("List the closing days as codes among: %(codes)s.") % {"codes": ", ".join(codes)}
        )


def validate_opening_hours(value: Any) -> None:
    """Five [opens, closes] pairs, Monday to Friday, "HH:MM", each opening before it closes."""
    try:
        hours = [(dt.time.fromisoformat(o), dt.time.fromisoformat(c)) for o, c in value]
    except (TypeError, ValueError):
        hours = []
    if len(hours) != len(DEFAULT_OPENING_HOURS) or any(opens >= closes for opens, closes in hours):
        raise ValidationError(
            _("Give the opening hours Monday to Friday as five pairs, e.g. %(example)s.")
            % {"example": '[["08:00", "15:00"], …]'}
        )


class MunicipalCalendar(models.Model):
    """A municipality's closing days and opening hours, on top of the public holidays."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="calendar"
    )
    # Codes of indgang.common.workdays.ClosingDay.
    closing_days = models.JSONField(
        _("closing days"), default=default_closing_days, validators=[validate_closing_days]
    )
    # Monday to Friday: [["09:00", "15:00"], ...].
    opening_hours = models.JSONField(
        _("opening hours"), default=default_opening_hours, validators=[validate_opening_hours]
    )

    class Meta:
        verbose_name = _("municipal calendar")
        verbose_name_plural = _("municipal calendars")

    def __str__(self) -> str:
        return str(self.municipality)


class ClosedDate(models.Model):
    """One extra day the municipality is closed (e.g. the day after Ascension Day)."""

    calendar = models.ForeignKey(
        MunicipalCalendar, on_delete=models.CASCADE, related_name="closed_dates"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="closed_date_unique")
        ]

    def __str__(self) -> str:
        return self.date.isoformat()


class DeadlineRule(models.Model):
    """How a kind of deadline runs: its length, in which days, what starts and stops it.

    A rule for a task beats the municipality's rule for the kind, which beats the default
    (neither municipality nor task). A rule without a length needs one for each deadline.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineKind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="deadline_rules"
    )
    day_count = models.CharField(
        _("days counted"), max_length=10, choices=DayCount.choices, default=DayCount.WORKING
    )
    length = models.PositiveIntegerField(_("length in days"), null=True, blank=True)
    starts_on = models.CharField(
        _("starts"), max_length=20, choices=StartEvent.choices, default=StartEvent.RECEIVED
    )
    stops_on = models.CharField(
        _("stops"), max_length=20, choices=StopEvent.choices, default=StopEvent.ANSWERED
    )
    reminder_lead_hours = models.PositiveIntegerField(
        _("reminder lead (hours)"), default=DEFAULT_REMINDER_LEAD_HOURS
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(municipality__isnull=True, task__isnull=True),
                name="deadline_rule_default_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "kind"],
                condition=Q(task__isnull=True),
                name="deadline_rule_municipality_unique",
            ),
            models.UniqueConstraint(fields=["task", "kind"], name="deadline_rule_task_unique"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Deadline(SubjectReference):
    """One clock on a subject (a contact, a thread, a case): due at an instant, or breached."""

    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineKind.choices)
    # Copied from the subject, so permission filters and overdue lists need no join.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    # due_at minus the rule's lead: the sweep reminds the owner from here on.
    remind_at = models.DateTimeField(_("remind from"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    suspended_at = models.DateTimeField(_("suspended since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    stopped_by = models.CharField(
        _("stopped by"), max_length=20, choices=StopEvent.choices, blank=True
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "status"], name="deadlines_d_subject_idx"
            ),
            models.Index(fields=["status", "remind_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["owner", "status", "due_at"]),
            models.Index(fields=["unit", "status", "due_at"]),
            models.Index(fields=["department", "status", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"


class DeadlineChange(models.Model):
    """The history: every start, pause, extension and stop, with the due date before and after."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("at"))
    action = models.CharField(_("action"), max_length=12, choices=ChangeAction.choices)
    old_due_at = models.DateTimeField(_("due before"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("due after"))
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class DeadlineNotice(models.Model):
    """The requester was told why the deadline cannot be met and when to expect an answer.

    offentlighedsloven § 36, stk. 2, 2. pkt.
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField(_("sent"))
    reason = models.TextField(_("reason"))
    expected_at = models.DateTimeField(_("answer expected"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("deadline notice")
        verbose_name_plural = _("deadline notices")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d}"


class Reminder(models.Model):
    """That a reminder of one kind went out for one due instant: once, however often swept."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("sent"))
    # The sweep run that inserted it: the notifications and e-mails follow from that set.
    batch = models.UUIDField(db_index=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "due_at"], name="reminder_once_per_due_instant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app notification of a reminder to one staff member."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_notifications"
    )
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "user"], name="notification_unique")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class DigestRun(models.Model):
    """That the daily digest went out for a day: it goes out once, however often it is run."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started"))
    emails = models.PositiveIntegerField(_("e-mails"), default=0)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")

    def __str__(self) -> str:
        return self.day.isoformat()
