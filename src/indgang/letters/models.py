from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.common.subjects import SubjectReference
from indgang.letters.constants import LetterKind, MessageStatus, Transport
from indgang.parties.models import Party


class LetterTemplate(models.Model):
    """The template of one kind of letter; its text lives in versions, the newest in use."""

    kind = models.CharField(_("kind"), max_length=30, choices=LetterKind.choices, unique=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class LetterTemplateVersion(models.Model):
    """One saved text of a template; editing adds a version, letters keep the one they used."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("body"))
    lix = models.DecimalField(_("LIX"), max_digits=5, decimal_places=1)
    # Empty for the texts the app ships with.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("letter template version")
        verbose_name_plural = _("letter template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="letter_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class Letter(SubjectReference):
    """A letter written to a party about a subject, as rendered then; its PDF is encrypted."""

    kind = models.CharField(_("kind"), max_length=30, choices=LetterKind.choices)
    template_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="letters"
    )
    recipient = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="letters")
    case_number = models.CharField(_("case number"), max_length=50, blank=True)
    title = models.CharField(_("subject line"), max_length=300)
    html = models.TextField(_("HTML"))
    # Encrypted (common.filecrypt) under a random name; read through selectors.read_letter_pdf.
    pdf = models.FileField(_("PDF"), upload_to="letters/%Y/")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"])]

    def __str__(self) -> str:
        return self.title


class OutgoingMessage(models.Model):
    """A letter on its way out by one transport; the outbox tries it until sent or given up."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="messages")
    # The message's identity towards the recipient's system (MeMo messageUUID, file names).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    transport = models.CharField(_("transport"), max_length=20, choices=Transport.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    queued_at = models.DateTimeField(_("queued"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.letter} ({self.get_transport_display()})"
