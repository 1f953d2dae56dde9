from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One run of a periodic task, claimed by the scheduler that dispatched it.

    Unique per task and slot: of two schedulers that tick at once, one claims the run.
    """

    task = models.CharField(_("task"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    claimed_at = models.DateTimeField(_("claimed at"))

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["task", "slot"], name="common_scheduledrun_once")
        ]

    def __str__(self) -> str:
        return f"{self.task} @ {self.slot.isoformat()}"


class ImportKind(models.TextChoices):
    KLE = "kle", _("KLE classification")
    KLE_KEYWORDS = "kle_keywords", _("KLE keywords (OS2KLE)")
    TASK_CATALOGUE = "task_catalogue", _("Task catalogue")
    ORGANISATION = "organisation", _("Organisation")


class ImportRun(models.Model):
    """One completed import of reference data, written in the import's own transaction (a
    refused file leaves none): the administrator's start page shows the newest of each kind."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    finished_at = models.DateTimeField(_("finished at"))
    source = models.CharField(_("file"), max_length=300)
    # The KLE plan's own publication date; empty for the other kinds.
    published_on = models.DateField(_("published"), null=True, blank=True)
    records = models.PositiveIntegerField(_("records read"))
    changed = models.PositiveIntegerField(_("records created or changed"))

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["kind", "-finished_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.finished_at.isoformat()}"
