from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")


class Outcome(models.TextChoices):
    RESOLVED_AT_FIRST_CONTACT = "resolved_at_first_contact", _("Resolved at first contact")
    FORWARDED = "forwarded", _("Forwarded to unit")
    CASE_CREATED = "case_created", _("Case created")
    CALLBACK_PROMISED = "callback_promised", _("Call-back promised")


SUBJECT_LENGTH = 120

# A summary says what the contact was about in a few lines; 4,000 characters is about a page
# and a half. Longer text (a whole letter or e-mail) belongs in the thread's documents.
SUMMARY_MAX_LENGTH = 4_000


# A contact lasts at most a day: a longer duration is a typing error (and a larger number would
# not fit the column).
MAX_DURATION_SECONDS = 24 * 60 * 60


# A contact's day is the day in Denmark, whatever the server's time zone.
DANISH_TIME = ZoneInfo("Europe/Copenhagen")


# An internal note is a few lines for colleagues, not a document (those are attached).
NOTE_MAX_LENGTH = 4_000


class ContactField(models.TextChoices):
    """The fields of a contact whose changes its history shows."""

    SUMMARY = "summary", _("Summary")
    CHANNEL = "channel", _("Channel")
    OUTCOME = "outcome", _("Outcome")
    DURATION = "duration_seconds", _("Duration (seconds)")
    TASK = "task", _("Task")
    KLE_TOPIC = "kle_topic", _("KLE topic")
    UNIT = "unit", _("Unit")
