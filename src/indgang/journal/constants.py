from django.db import models
from django.utils.translation import gettext_lazy as _

# Journal numbers read YYYY-NNNNNN: the year the matter was journalised and its number that year.
SEQUENCE_DIGITS = 6


class JournalKind(models.TextChoices):
    """Matters journalised on receipt (source 001, KOMLIS)."""

    AKTINDSIGT = "aktindsigt", _("Access to documents")
    COMPLAINT = "complaint", _("Complaint")
    INQUIRY = "inquiry", _("Inquiry")
    # A building, environment or livestock case: journalised when it is opened.
    CASE = "case", _("Case")


class DocumentDirection(models.TextChoices):
    RECEIVED = "received", _("Received")
    SENT = "sent", _("Sent")
