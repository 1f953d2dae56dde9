import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may read an article: staff only, or also citizens (the later portal)."""

    STAFF = "staff", _("Staff only")
    PUBLIC = "public", _("Public")


# Stale articles are flagged daily, before the working day (and the 07:00 deadline digest).
FLAG_STALE_AT = dt.time(6, 30)

# Fields of an article and a guide that are versioned: every change records their old values.
ARTICLE_FIELDS = (
    "title",
    "answer",
    "audience",
    "owner_unit",
    "review_on",
    "links",
    "tasks",
    "kle_topics",
)
GUIDE_FIELDS = (
    "what_to_ask",
    "what_to_bring",
    "self_service",
    "when_to_forward",
    "forward_to",
)

# The straksafklaring report's default period: the last 30 days, today included.
REPORT_DAYS = 30

# An article's answer is read aloud on the phone: 20,000 characters is ten pages.
MAX_ANSWER_LENGTH = 20_000
