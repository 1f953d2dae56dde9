"""The contact rollups: the register counted per day, at three grains.

Each table holds one row (a bucket) per combination of its dimensions that has had contacts.
Dimensions are plain columns (0 = no department, unit or task; '' = no outcome), not foreign
keys, so one unique constraint covers every bucket on both databases, NULLs included. Database
triggers (migration 0002) keep the buckets current on every write to the register, COPY included;
`indgang statistics-rebuild` recomputes them. Read them only through `statistics.selectors`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Dimensions of each grain, in the order of its unique constraint (which the triggers name in
# ON CONFLICT, and the rebuild in GROUP BY).
DAY_DIMENSIONS = ("day", "channel", "direction", "outcome")
UNIT_DIMENSIONS = (*DAY_DIMENSIONS, "department_id", "unit_id")
TASK_DIMENSIONS = (*UNIT_DIMENSIONS, "task_id")
MEASURES = ("contacts", "with_knowledge", "duration_seconds", "timed")


class Counts(models.Model):
    """The dimensions every grain has, and the measures."""

    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=12)
    direction = models.CharField(_("direction"), max_length=3)
    outcome = models.CharField(_("outcome"), max_length=30)
    contacts = models.IntegerField(_("contacts"), default=0)
    # Contacts with a KnowledgeUse: solved with the knowledge base's help.
    with_knowledge = models.IntegerField(_("with knowledge use"), default=0)
    duration_seconds = models.BigIntegerField(_("duration (seconds)"), default=0)
    # Contacts with a duration: the divisor of the mean duration.
    timed = models.IntegerField(_("timed contacts"), default=0)

    objects = models.Manager()  # declared here so that code may take any grain

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.direction} {self.outcome}: {self.contacts}"


class DayContactCount(Counts):
    """Contacts per day, channel, direction and outcome: the municipality's totals."""

    class Meta:
        verbose_name = _("contact count per day")
        verbose_name_plural = _("contact counts per day")
        constraints = [
            models.UniqueConstraint(fields=DAY_DIMENSIONS, name="day_contact_count_bucket")
        ]


class UnitContactCount(Counts):
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


class ContactCount(Counts):
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
