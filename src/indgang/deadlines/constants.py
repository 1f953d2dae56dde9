from django.db import models
from django.utils.translation import gettext_lazy as _

# offentlighedsloven (lov nr. 606 af 12. juni 2013) § 36, stk. 2: answer a request for access to
# documents within 7 working days of receipt, or tell the requester why not and when to expect it.
AKTINDSIGT_WORKING_DAYS = 7
# Albertslund's channel strategy (source 002): phone messages are called back within a working day.
CALLBACK_WORKING_DAYS = 1

# How long before the due date the owner is reminded, by default, in hours.
DEFAULT_REMINDER_LEAD_HOURS = 24
CALLBACK_REMINDER_LEAD_HOURS = 2

# The sweep works through open deadlines in id ranges of this size, one task per range.
SWEEP_CHUNK_SIZE = 50_000


class DeadlineKind(models.TextChoices):
    CALLBACK = "callback", _("Call-back")
    AKTINDSIGT = "aktindsigt", _("Access to documents")
    COMPLAINT = "complaint", _("Complaint")
    INQUIRY = "inquiry", _("Inquiry")
    PARTSHOERING = "partshoering", _("Party hearing")


# Kinds whose thread gets a journal number (source 001, KOMLIS: journaling).
JOURNALISED_KINDS = frozenset(
    {DeadlineKind.AKTINDSIGT, DeadlineKind.COMPLAINT, DeadlineKind.INQUIRY}
)


class DayCount(models.TextChoices):
    WORKING = "working", _("Working days")
    CALENDAR = "calendar", _("Calendar days")


class StartEvent(models.TextChoices):
    RECEIVED = "received", _("When the contact was received")
    REGISTERED = "registered", _("When the deadline is registered")
    GIVEN = "given", _("A time given by the caseworker")


class StopEvent(models.TextChoices):
    CALLED_BACK = "called_back", _("The citizen was called back")
    ANSWERED = "answered", _("An answer was sent")
    DECISION_SENT = "decision_sent", _("A decision was sent")
    PARTY_RESPONDED = "party_responded", _("The party responded, or the deadline ran out")
    WITHDRAWN = "withdrawn", _("The request was withdrawn")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")


class ChangeAction(models.TextChoices):
    STARTED = "started", _("Started")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    EXTENDED = "extended", _("Extended")
    NOTICE = "notice", _("Requester told of a later answer")
    COMPLETED = "completed", _("Completed")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    BREACHED = "breached", _("Deadline passed")
