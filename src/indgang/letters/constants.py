"""Letter kinds, the variables each kind's template may use, and the outbox's states."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    DEFICIENCY = "deficiency", _("Deficiency letter")
    PARTY_HEARING = "party_hearing", _("Party hearing")
    NEIGHBOUR_HEARING = "neighbour_hearing", _("Neighbour hearing")
    DECISION = "decision", _("Decision with complaint guidance")
    INSPECTION_NOTICE = "inspection_notice", _("Inspection notice")
    INSPECTION_REPORT = "inspection_report", _("Inspection report")
    ENFORCEMENT_NOTICE = "enforcement_notice", _("Enforcement notice (indskærpelse)")
    MEETING_RECEIPT = "meeting_receipt", _("Receipt for a pre-application meeting")
    MEETING_SUMMARY = "meeting_summary", _("Meeting summary (møderesume)")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Transport(models.TextChoices):
    FILE = "file", _("File")
    EMAIL = "email", _("E-mail")
    DIGITAL_POST = "digital_post", _("Digital Post")


# Every letter names its case and its recipient and is signed by a caseworker.
COMMON_VARIABLES = ("case_number", "recipient_name", "address", "caseworker_name", "letter_date")

# What each kind's template may use besides the common variables; a letter supplies them all.
KIND_VARIABLES: dict[str, tuple[str, ...]] = {
    LetterKind.RECEIPT: ("received_date", "service_target_days"),
    LetterKind.DEFICIENCY: ("missing_items", "deadline_date"),
    LetterKind.PARTY_HEARING: ("hearing_subject", "reply_by"),
    LetterKind.NEIGHBOUR_HEARING: ("project_description", "reply_by"),
    LetterKind.DECISION: (
        "decision_text",
        "conditions",
        "reasons",
        "complaint_body",
        "complaint_deadline",
    ),
    LetterKind.INSPECTION_NOTICE: ("inspection_date", "agenda"),
    LetterKind.INSPECTION_REPORT: ("inspection_date", "findings", "next_steps"),
    LetterKind.ENFORCEMENT_NOTICE: ("violations", "deadline_date"),
    LetterKind.MEETING_RECEIPT: (
        "task_title",
        "meeting_start",
        "meeting_place",
        "is_video",
        "staff_names",
        "checklist",
    ),
    LetterKind.MEETING_SUMMARY: ("task_title", "meeting_start", "summary_items"),
}

# The preview's data, per variable: a list where the templates loop, a date where they format one.
EXAMPLE_VALUES: dict[str, object] = {
    "case_number": "2026-000123",
    "recipient_name": "Mette Hansen",
    "address": "Skovvej 12, 8000 Aarhus C",
    "caseworker_name": "Jonas Larsen",
    "letter_date": dt.date(2026, 3, 2),
    "received_date": dt.date(2026, 2, 27),
    "service_target_days": 40,
    "missing_items": ["En tegning af facaden", "Et situationsplan med mål"],
    "deadline_date": dt.date(2026, 3, 16),
    "hearing_subject": "Vi overvejer at give dig afslag på din ansøgning om en carport.",
    "reply_by": dt.date(2026, 3, 16),
    "project_description": "Din nabo vil bygge en carport på 40 m² tæt på skellet.",
    "decision_text": "Du får lov til at bygge en carport på 40 m².",
    "conditions": ["Carporten skal stå mindst 2,5 meter fra skellet."],
    "reasons": "Carporten følger reglerne i bygningsreglementet.",
    "complaint_body": "Planklagenævnet",
    "complaint_deadline": dt.date(2026, 3, 30),
    "inspection_date": dt.date(2026, 3, 20),
    "agenda": ["Vi ser på opbevaring af olie", "Vi gennemgår jeres egenkontrol"],
    "findings": ["Olietanken står uden spildbakke."],
    "next_steps": "Vi sender en indskærpelse om spildbakken.",
    "violations": ["Olietanken står uden spildbakke."],
    "task_title": "Byggetilladelse til enfamiliehus",
    "meeting_start": dt.datetime(2026, 3, 9, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen")),
    "meeting_place": "Rådhuset, mødelokale 2",
    "is_video": False,
    "staff_names": ["Jonas Larsen", "Sara Holm"],
    "checklist": ["En tegning af facaden", "Et situationsplan med mål"],
    "summary_items": ["Tegninger af alle facader", "Beregning af bebygget areal"],
}

# How many times the outbox tries a message, and how long it waits after each failure.
MAX_ATTEMPTS = 5
RETRY_BACKOFF = dt.timedelta(minutes=5)
