from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import KleEntry
from indgang.common.subjects import SubjectReference
from indgang.journal.constants import DocumentDirection, JournalKind


class JournalSequence(models.Model):
    """The last journal number given in a year; its row lock serialises numbering."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("journal sequence")
        verbose_name_plural = _("journal sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class JournalEntry(SubjectReference):
    """A subject (a thread, a case) taken into the journal: its number and KLE topic."""

    number = models.CharField(_("journal number"), max_length=20, unique=True)
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=20, choices=JournalKind.choices)
    kle_topic = models.ForeignKey(
        KleEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    journalised_at = models.DateTimeField(_("journalised"))
    journalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="journal_sequence_unique"),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="journal_entry_one_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Document(SubjectReference):
    """A document received or sent on a subject (a thread, a case); the file is optional
    (metadata may suffice).

    `filename` is the uploaded name made safe, `content_type` the type its content showed.
    """

    direction = models.CharField(_("direction"), max_length=10, choices=DocumentDirection.choices)
    title = models.CharField(_("title"), max_length=300)
    dated = models.DateField(_("date"))
    # Encrypted (common.filecrypt) under a random name; served only by the download views.
    file = models.FileField(_("file"), upload_to="journal/%Y/", blank=True)
    filename = models.CharField(_("file name"), max_length=150, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["dated", "pk"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "dated"], name="journal_doc_subject_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title
