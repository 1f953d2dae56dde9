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


class VisitKind(models.TextChoices):
    """How a visitor came to the centre's queue; each kind draws its own numbers."""

    WALK_IN = "walk_in", _("Walk-in")
    APPOINTMENT = "appointment", _("Booked appointment")


# The letter before a queue number: A for walk-ins, B for booked appointments checked in.
QUEUE_LETTERS = {VisitKind.WALK_IN: "A", VisitKind.APPOINTMENT: "B"}


class VisitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    REFERRED = "referred", _("Referred to a booked time")
    NO_SHOW = "no_show", _("Did not show up")


# Where a visit may go from each state (the desk's and the reception's actions).
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.WAITING: frozenset({VisitStatus.CALLED, VisitStatus.REFERRED}),
    VisitStatus.CALLED: frozenset({VisitStatus.SERVING, VisitStatus.DONE, VisitStatus.NO_SHOW}),
    VisitStatus.SERVING: frozenset({VisitStatus.DONE}),
    VisitStatus.DONE: frozenset(),
    VisitStatus.REFERRED: frozenset(),
    VisitStatus.NO_SHOW: frozenset(),
}

# The display shows this many of the latest numbers called.
DISPLAY_CALLS = 8
# A statistics period of queue visits spans at most a quarter.
MAX_QUEUE_STATISTICS_DAYS = 92
