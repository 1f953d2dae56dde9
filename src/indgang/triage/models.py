from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import KleEntry, Task
from indgang.contacts.models import Contact
from indgang.organisation.models import Unit
from indgang.triage.constants import TrainingKind, Verdict


class ModelVersion(models.Model):
    """One trained triage model, stored so every web process on every machine loads the same."""

    trained_at = models.DateTimeField(_("trained at"))
    kind = models.CharField(_("kind"), max_length=12, choices=TrainingKind.choices)
    examples = models.PositiveIntegerField(_("labelled examples"), default=0)
    last_example_id = models.BigIntegerField(_("last routing learned"), default=0)
    routes = models.PositiveIntegerField(_("routes"), default=0)
    # What the cold-start part was built from; a change in the catalogue or KLE means retrain.
    catalogue = models.CharField(_("catalogue fingerprint"), max_length=32, blank=True)
    # Measured when trained: top-1/top-3 on routings the model had not seen (see services).
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    duration_seconds = models.FloatField(_("training time (seconds)"), default=0.0)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), default=0)
    # The learning.ModelState as a NumPy archive of plain arrays (no pickle); emptied for old
    # versions (KEPT_VERSIONS).
    state = models.BinaryField(_("state"), editable=False)

    class Meta:
        verbose_name = _("triage model version")
        verbose_name_plural = _("triage model versions")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"v{self.pk} {self.trained_at:%Y-%m-%d %H:%M} ({self.examples})"


class RoutingDecision(models.Model):
    """Where a contact was routed, by whom, and what triage had suggested.

    A staff decision (confirmed or corrected) is a labelled example. A later decision on the same
    contact supersedes the earlier one, which then stops counting.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="routing_decisions")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="+")
    kle_topic = models.ForeignKey(
        KleEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    # The tasks suggested (best first) and their confidences, as shown.
    suggested = models.JSONField(_("suggested"), default=list, blank=True)
    suggested_task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confidence = models.FloatField(_("confidence of the first suggestion"), null=True, blank=True)
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    # Empty for automatic decisions, the most of them: indexed only where set (Meta).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(_("decided at"))
    # Empty until a later decision on the contact: indexed only where set (Meta).
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["verdict", "superseded_by"]),
            # For the look-ups when a user or decision is deleted (PROTECT, SET_NULL): an
            # equality implies IS NOT NULL, so PostgreSQL and SQLite both use these.
            models.Index(
                fields=["decided_by"],
                condition=Q(decided_by__isnull=False),
                name="triage_decision_decided_by",
            ),
            models.Index(
                fields=["superseded_by"],
                condition=Q(superseded_by__isnull=False),
                name="triage_decision_superseded_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.task_id} ({self.verdict})"


class QueueItem(models.Model):
    """A contact triage was not confident about: it waits for staff to route it."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, related_name="triage_queue_item"
    )
    suggested = models.JSONField(_("suggested"), default=list, blank=True)
    confidence = models.FloatField(_("confidence of the first suggestion"), default=0.0)
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(_("queued at"))
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    decision = models.OneToOneField(
        RoutingDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("triage queue item")
        verbose_name_plural = _("triage queue")
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["routed_at", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.contact_id} ({self.confidence:.2f})"
