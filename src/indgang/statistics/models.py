"""The contact rollups: the register counted per day at three grains, and per month at two.

Each table holds one row (a bucket) per combination of its dimensions that has had contacts.
Dimensions are plain columns (0 = no department, unit or task; '' = no outcome), not foreign
keys, so one unique constraint covers every bucket on both databases, NULLs included. Database
triggers (migrations 0002, 0005, 0006 and 0008) keep the buckets current on every write to the
register, COPY included, and to a task's self-service link (on PostgreSQL a new contact waits
as a `NewContactCount` row until the minute's fold, and reads add those rows);
`indgang statistics-rebuild` recomputes them. Read them only through `statistics.selectors`.

The month grains exist because a unit's or a task's day buckets fill up as the register grows
(every day × unit × channel × outcome has contacts in a large municipality's year): a read of
whole months takes their month buckets, twelve a year per combination, and only a period's
edge days from the day grains (`selectors.split_by_months`).

Below them: goals (what the channel strategy aims at), unit-cost tables (what a contact
costs per channel), and self-service solutions, their funnel events and the daily and monthly
funnel counts (`statistics.funnels`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.organisation.models import Department
from indgang.statistics.constants import FunnelEventKind, GoalMetric, SolutionKind

# Dimensions of each grain, in the order of its unique constraint (which the triggers name in
# ON CONFLICT, and the rebuild in GROUP BY). The first is the grain's date: its day or month.
COUNTED = ("channel", "direction", "outcome", "self_service_task")
DAY_DIMENSIONS = ("day", *COUNTED)
UNIT_DIMENSIONS = (*DAY_DIMENSIONS, "department_id", "unit_id")
TASK_DIMENSIONS = (*UNIT_DIMENSIONS, "task_id")
UNIT_MONTH_DIMENSIONS = ("month", *UNIT_DIMENSIONS[1:])
TASK_MONTH_DIMENSIONS = ("month", *TASK_DIMENSIONS[1:])
MEASURES = ("contacts", "with_knowledge", "duration_seconds", "timed")


class Counts(models.Model):
    """The dimensions every grain has but its date, and the measures."""

    channel = models.CharField(_("channel"), max_length=12)
    direction = models.CharField(_("direction"), max_length=3)
    outcome = models.CharField(_("outcome"), max_length=30)
    # The contact's task has a self-service solution (a self-service link in the catalogue, as
    # it is now): the self-service share reads the coarse grains by it, not every task's buckets.
    self_service_task = models.BooleanField(_("task with self-service"), default=False)
    contacts = models.IntegerField(_("contacts"), default=0)
    # Contacts with a KnowledgeUse: solved with the knowledge base's help.
    with_knowledge = models.IntegerField(_("with knowledge use"), default=0)
    duration_seconds = models.BigIntegerField(_("duration (seconds)"), default=0)
    # Contacts with a duration: the divisor of the mean duration.
    timed = models.IntegerField(_("timed contacts"), default=0)

    objects = models.Manager()  # declared here so that code may take any grain

    class Meta:
        abstract = True


class DayCounts(Counts):
    day = models.DateField(_("day"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.direction} {self.outcome}: {self.contacts}"


class MonthCounts(Counts):
    month = models.DateField(_("month"), help_text=_("The month's first day."))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel} {self.direction} {self.outcome}: {self.contacts}"


def date_field(grain: type[Counts]) -> str:
    """The grain's date: `day`, or `month` (the month's first day) for a month grain."""
    return "month" if issubclass(grain, MonthCounts) else "day"


class DayContactCount(DayCounts):
    """Contacts per day, channel, direction, outcome and self-service task or not: the
    municipality's totals."""

    class Meta:
        verbose_name = _("contact count per day")
        verbose_name_plural = _("contact counts per day")
        constraints = [
            models.UniqueConstraint(fields=DAY_DIMENSIONS, name="day_contact_count_bucket")
        ]


class UnitContactCount(DayCounts):
    """Contacts per day, channel, direction, outcome, department and unit."""

    department_id = models.IntegerField(_("department"))
    unit_id = models.IntegerField(_("unit"))

    class Meta:
        verbose_name = _("contact count per unit")
        verbose_name_plural = _("contact counts per unit")
        constraints = [
            models.UniqueConstraint(fields=UNIT_DIMENSIONS, name="unit_contact_count_bucket")
        ]
        indexes = [
            models.Index(fields=["department_id", "day"], name="unit_count_department_day"),
            models.Index(fields=["unit_id", "day"], name="unit_count_unit_day"),
        ]


class ContactCount(DayCounts):
    """Contacts per day, channel, direction, outcome, department, unit and task: the finest."""

    department_id = models.IntegerField(_("department"))
    unit_id = models.IntegerField(_("unit"))
    task_id = models.IntegerField(_("task"))

    class Meta:
        verbose_name = _("contact count per task")
        verbose_name_plural = _("contact counts per task")
        constraints = [models.UniqueConstraint(fields=TASK_DIMENSIONS, name="contact_count_bucket")]
        indexes = [
            models.Index(fields=["department_id", "day"], name="contact_count_department_day"),
            models.Index(fields=["unit_id", "day"], name="contact_count_unit_day"),
            models.Index(fields=["task_id", "day"], name="contact_count_task_day"),
        ]


class UnitMonthContactCount(MonthCounts):
    """Contacts per month, channel, direction, outcome, department and unit: a unit's whole
    months, a bounded number of buckets however large the register."""

    department_id = models.IntegerField(_("department"))
    unit_id = models.IntegerField(_("unit"))

    class Meta:
        verbose_name = _("contact count per unit and month")
        verbose_name_plural = _("contact counts per unit and month")
        constraints = [
            models.UniqueConstraint(
                fields=UNIT_MONTH_DIMENSIONS, name="unit_month_contact_count_bucket"
            )
        ]
        indexes = [
            models.Index(fields=["department_id", "month"], name="unit_month_department_month"),
            models.Index(fields=["unit_id", "month"], name="unit_month_unit_month"),
        ]


class TaskMonthContactCount(MonthCounts):
    """Contacts per month, channel, direction, outcome, department, unit and task: a task's
    whole months."""

    department_id = models.IntegerField(_("department"))
    unit_id = models.IntegerField(_("unit"))
    task_id = models.IntegerField(_("task"))

    class Meta:
        verbose_name = _("contact count per task and month")
        verbose_name_plural = _("contact counts per task and month")
        constraints = [
            models.UniqueConstraint(
                fields=TASK_MONTH_DIMENSIONS, name="task_month_contact_count_bucket"
            )
        ]
        indexes = [
            models.Index(fields=["department_id", "month"], name="task_month_department_month"),
            models.Index(fields=["unit_id", "month"], name="task_month_unit_month"),
            models.Index(fields=["task_id", "month"], name="task_month_task_month"),
        ]


class NewContactCount(models.Model):
    """A registered contact that the rollups do not count yet (PostgreSQL): one row each,
    written by the register's INSERT trigger (migration 0008) and added to every grain, and
    deleted, by `services.fold_new_contact_counts` each minute. An append without a key to
    meet costs a registration far less than five upserts into buckets that every concurrent
    registration of the same day, channel and outcome shares until it commits. Reads add
    these rows to the buckets' (`selectors.contact_counts`), so they count at once.

    SQLite's triggers still add to the buckets directly: its one writer has no hot buckets to
    share, and this table stays empty there.
    """

    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=12)
    direction = models.CharField(_("direction"), max_length=3)
    outcome = models.CharField(_("outcome"), max_length=30)
    department_id = models.IntegerField(_("department"))  # 0 = none, likewise unit and task
    unit_id = models.IntegerField(_("unit"))
    task_id = models.IntegerField(_("task"))
    # The measures a bucket has, as this one contact gives them (it has no knowledge use yet).
    contacts = models.IntegerField(_("contacts"), default=1)
    with_knowledge = models.IntegerField(_("with knowledge use"), default=0)
    duration_seconds = models.BigIntegerField(_("duration (seconds)"), default=0)
    timed = models.IntegerField(_("timed contacts"), default=0)

    class Meta:
        verbose_name = _("contact not yet counted")
        verbose_name_plural = _("contacts not yet counted")

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.direction} {self.outcome}"


class Goal(models.Model):
    """A goal for one metric, for the municipality (no department) or one department, from a
    date until the next goal of the same metric and department starts."""

    metric = models.CharField(_("metric"), max_length=40, choices=GoalMetric.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the goal of the whole municipality."),
    )
    target = models.DecimalField(
        _("target share"),
        max_digits=5,
        decimal_places=4,
        help_text=_("At least this share, between 0 and 1 (0.5 is 50 %)."),
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["metric", "department", "-valid_from"]
        constraints = [
            # Two constraints because a NULL department is distinct from every other in a unique
            # constraint on both databases.
            models.UniqueConstraint(
                fields=["metric", "valid_from"],
                condition=models.Q(department__isnull=True),
                name="goal_municipality_unique",
            ),
            models.UniqueConstraint(
                fields=["metric", "department", "valid_from"],
                condition=models.Q(department__isnull=False),
                name="goal_department_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(target__gte=0, target__lte=1), name="goal_target_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ≥ {self.target:%}"


class UnitCostTable(models.Model):
    """A named price list: kroner per contact per channel. One table is in use."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    in_use = models.BooleanField(_("in use"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit-cost table")
        verbose_name_plural = _("unit-cost tables")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"],
                condition=models.Q(in_use=True),
                name="unit_cost_table_one_in_use",
            )
        ]

    def __str__(self) -> str:
        return self.name


class UnitCost(models.Model):
    table = models.ForeignKey(UnitCostTable, on_delete=models.CASCADE, related_name="costs")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    kroner = models.DecimalField(_("kroner per contact"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("unit cost")
        verbose_name_plural = _("unit costs")
        ordering = ["table", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["table", "channel"], name="unit_cost_unique"),
            models.CheckConstraint(
                condition=models.Q(kroner__gte=0), name="unit_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table}: {self.channel} {self.kroner} kr."


# Lengths of the identifiers external form systems send (a UUID is 36 characters).
KEY_LENGTH = 100
STEP_LENGTH = 100


class SelfServiceSolution(models.Model):
    """A self-service solution citizens complete on their own: a task's self-service link, a
    form of our own or an external one, known to its form system by `external_id`."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SolutionKind.choices)
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="self_service_solutions",
        verbose_name=_("task"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="self_service_solutions",
        verbose_name=_("department"),
    )
    url = models.URLField(_("address"), blank=True)
    external_system = models.CharField(
        _("form system"),
        max_length=50,
        help_text=_("The system that sends its events, e.g. os2forms, openforms or indgang."),
    )
    external_id = models.CharField(
        _("id in the form system"), max_length=KEY_LENGTH, help_text=_("Unique per form system.")
    )
    steps = models.JSONField(
        _("steps"),
        default=list,
        blank=True,
        help_text=_('The steps in order, as the form system names them: ["address", "income"].'),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("self-service solution")
        verbose_name_plural = _("self-service solutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_system", "external_id"], name="solution_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FunnelEvent(models.Model):
    """One event in one attempt (`attempt_id`) at a solution; `event_id` is the sender's, and
    unique, so a batch sent twice is stored once."""

    event_id = models.CharField(_("event id"), max_length=KEY_LENGTH)
    solution = models.ForeignKey(
        SelfServiceSolution, on_delete=models.CASCADE, related_name="funnel_events"
    )
    attempt_id = models.CharField(_("attempt id"), max_length=KEY_LENGTH)
    kind = models.CharField(_("kind"), max_length=20, choices=FunnelEventKind.choices)
    # The step reached; for an abandoned attempt, the last step reached (blank if unknown).
    step = models.CharField(_("step"), max_length=STEP_LENGTH, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        verbose_name = _("funnel event")
        verbose_name_plural = _("funnel events")
        constraints = [models.UniqueConstraint(fields=["event_id"], name="funnel_event_id_unique")]

    def __str__(self) -> str:
        return self.event_id


class FunnelCounts(models.Model):
    """One solution's events at one step ('' for events without a step) in a day or a month."""

    step = models.CharField(max_length=STEP_LENGTH, blank=True)
    started = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class FunnelDayCount(FunnelCounts):
    """The events of one solution on one day (Danish time) at one step: what a funnel report
    sums for a period's edge days, so that none reads the events."""

    day = models.DateField()
    solution = models.ForeignKey(
        SelfServiceSolution, on_delete=models.CASCADE, related_name="funnel_counts"
    )

    class Meta:
        verbose_name = _("funnel count per day")
        verbose_name_plural = _("funnel counts per day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "solution", "step"], name="funnel_day_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.solution_id} {self.day} {self.step}"


class FunnelMonthCount(FunnelCounts):
    """The events of one solution in one month (Danish time) at one step: what a funnel report
    sums for a period's whole months, twelve buckets a year per step however many events."""

    month = models.DateField(help_text=_("The month's first day."))
    solution = models.ForeignKey(
        SelfServiceSolution, on_delete=models.CASCADE, related_name="funnel_month_counts"
    )

    class Meta:
        verbose_name = _("funnel count per month")
        verbose_name_plural = _("funnel counts per month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "solution", "step"], name="funnel_month_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.solution_id} {self.month:%Y-%m} {self.step}"
