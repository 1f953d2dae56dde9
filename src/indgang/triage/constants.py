from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    """How a routing was decided. Only staff verdicts are labelled examples for the model."""

    CONFIRMED = "confirmed", _("Confirmed the first suggestion")
    CORRECTED = "corrected", _("Corrected the suggestion")
    AUTOMATIC = "automatic", _("Routed automatically")


STAFF_VERDICTS = (Verdict.CONFIRMED, Verdict.CORRECTED)


class TrainingKind(models.TextChoices):
    COLD_START = "cold_start", _("Cold start from the catalogue and KLE")
    INCREMENTAL = "incremental", _("Incremental: new routings added")
    FULL = "full", _("Full: rebuilt from every routing")


class EvalLevel(models.TextChoices):
    """The KLE level an evaluation compares at."""

    TOPIC = "topic", _("Topic (02.34.02)")
    GROUP = "group", _("Group (02.34)")
    MAIN = "main", _("Main group (02)")


SUGGESTIONS = 3
# Contacts triaged per pass (and per transaction) by the sweep.
TRIAGE_BATCH = 500
# Stored model versions that keep their trained state; older ones keep only their metrics.
KEPT_VERSIONS = 5
# The newest share of routings a full rebuild holds out to measure itself (at most this many).
FULL_HOLDOUT_SHARE = 0.1
FULL_HOLDOUT_MAX = 2000
