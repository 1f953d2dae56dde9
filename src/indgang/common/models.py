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
