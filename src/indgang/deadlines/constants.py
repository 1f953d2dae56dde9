from django.db import models
from django.utils.translation import gettext_lazy as _

# offentlighedsloven (lov nr. 606 af 12. juni 2013) § 36, stk. 2: answer a request for access to
# documents within 7 working days of receipt, or tell the requester why not and when to expect it.
AKTINDSIGT_WORKING_DAYS = 7
# Albertslund's channel strategy (source 002): phone messages are called back within a working day.
CALLBACK_WORKING_DAYS = 1
# Cases (KL's PIXI book): a neighbour or party hearing runs 14 calendar days by default, and the
# inspection report goes out within 10 working days of the visit; municipalities may change both.
HEARING_CALENDAR_DAYS = 14
INSPECTION_REPORT_WORKING_DAYS = 10
# KL's PIXI book (forhåndsdialog): when the material for a pre-application meeting has arrived, a
# caseworker calls the applicant to confirm the case's real content. The book sets no length;
# two working days leave time to ask for more before the meeting. Municipalities may change it.
CONFIRMATION_CALL_WORKING_DAYS = 2

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
    DEFICIENCY_REPLY = "deficiency_reply", _("Applicant's reply to a deficiency letter")
    HEARING_REPLY = "hearing_reply", _("Hearing reply (neighbour or party hearing)")
    REMEDIATION = "remediation", _("Remediation of an enforcement notice")
    INSPECTION_REPORT = "inspection_report", _("Inspection report")
    CONFIRMATION_CALL = "confirmation_call", _("Confirmation call before a meeting")


# The kinds that run on a case; the others run on a contact or thread.
CASE_KINDS = frozenset(
    {
        DeadlineKind.DEFICIENCY_REPLY,
        DeadlineKind.HEARING_REPLY,
        DeadlineKind.REMEDIATION,
        DeadlineKind.INSPECTION_REPORT,
    }
)

# The kinds that run on a booking (a pre-application meeting).
BOOKING_KINDS = frozenset({DeadlineKind.CONFIRMATION_CALL})

# The kinds a contact's deadline may be of (the 360's form).
CONTACT_KIND_CHOICES = [
    (value, label)
    for value, label in DeadlineKind.choices
    if value not in CASE_KINDS | BOOKING_KINDS
]

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
    REMEDIED = "remedied", _("The condition was remedied")
    REPORT_SENT = "report_sent", _("The inspection report was sent")
    ENFORCEMENT_STARTED = "enforcement", _("Not remedied: an enforcement case was started")


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
