from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingType(models.TextChoices):
    PRE_APPLICATION = "pre_application", _("Pre-application meeting")
    DESK = "desk", _("Desk appointment")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


# A unit's free slots are asked for at most a quarter at a time.
MAX_PERIOD_DAYS = 92
