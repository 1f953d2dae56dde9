from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.letters.constants import LetterKind


class CaseKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    INSPECTION = "inspection", _("Inspection")
    ENFORCEMENT = "enforcement", _("Enforcement case")


class Area(models.TextChoices):
    BUILDING = "building", _("Building")
    ENVIRONMENT = "environment", _("Environment")
    LIVESTOCK = "livestock", _("Livestock")


class ServiceNeedType(models.TextChoices):
    """KL's four service-need case types (the PIXI book)."""

    KLAR_PARAT = "klar_parat", _("Ready (klar-parat)")
    VEJLEDNING = "vejledning", _("Guidance (vejledning)")
    PRINCIP = "princip", _("Principle (princip)")
    OBS = "obs", _("Watch (obs)")


# The types whose decision needs a review by a second caseworker or manager (four eyes).
REVIEW_REQUIRED = frozenset({ServiceNeedType.PRINCIP, ServiceNeedType.OBS})


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Received")
    SCREENING = "screening", _("Screening")
    DEFICIENCY_LETTER_SENT = "deficiency_letter_sent", _("Deficiency letter sent")
    FULLY_INFORMED = "fully_informed", _("Fully informed")
    HEARING = "hearing", _("Hearing")
    ASSESSMENT = "assessment", _("Assessment")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting information from the applicant")
    REVIEW = "review", _("Review")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened on appeal")
    PLANNED = "planned", _("Planned")
    NOTICE_GIVEN = "notice_given", _("Notice given")
    VISITED = "visited", _("Visited")
    REPORT_SENT = "report_sent", _("Report sent")
    FOLLOW_UP = "follow_up", _("Follow-up")


class CaseAction(models.TextChoices):
    START_SCREENING = "start_screening", _("Start screening")
    SEND_DEFICIENCY_LETTER = "send_deficiency_letter", _("Send deficiency letter")
    RECEIVE_ANSWER = "receive_answer", _("Register the applicant's answer")
    MARK_FULLY_INFORMED = "mark_fully_informed", _("Mark as fully informed")
    DECIDE_IMMEDIATELY = "decide_immediately", _("Decide immediately")
    START_HEARING = "start_hearing", _("Start hearing")
    START_ASSESSMENT = "start_assessment", _("Start assessment")
    REQUEST_INFORMATION = "request_information", _("Ask the applicant for information")
    RECEIVE_INFORMATION = "receive_information", _("Register the information received")
    SUBMIT_FOR_REVIEW = "submit_for_review", _("Submit for review")
    RETURN_TO_ASSESSMENT = "return_to_assessment", _("Return to assessment")
    DECIDE = "decide", _("Decide")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen on appeal")
    GIVE_NOTICE = "give_notice", _("Give notice of the inspection")
    RECORD_VISIT = "record_visit", _("Record the visit")
    SEND_REPORT = "send_report", _("Send the inspection report")
    START_FOLLOW_UP = "start_follow_up", _("Start follow-up")


class DecisionOutcome(models.TextChoices):
    PERMIT = "permit", _("Permit")
    PERMIT_WITH_CONDITIONS = "permit_with_conditions", _("Permit with conditions")
    REFUSAL = "refusal", _("Refusal")
    LEGALISATION_BY_APPLICATION = "legalisation_by_application", _("Legalisation by application")
    PHYSICAL_LEGALISATION = "physical_legalisation", _("Physical legalisation")
    POLICE_REPORT = "police_report", _("Police report")
    COMPLAINT_UNFOUNDED = "complaint_unfounded", _("Complaint rejected as unfounded")


APPLICATION_OUTCOMES = frozenset(
    {
        DecisionOutcome.PERMIT,
        DecisionOutcome.PERMIT_WITH_CONDITIONS,
        DecisionOutcome.REFUSAL,
    }
)
ENFORCEMENT_OUTCOMES = frozenset(
    {
        DecisionOutcome.LEGALISATION_BY_APPLICATION,
        DecisionOutcome.PHYSICAL_LEGALISATION,
        DecisionOutcome.POLICE_REPORT,
        DecisionOutcome.COMPLAINT_UNFOUNDED,
    }
)
# The only enforcement outcome that goes against nobody, and so needs no partshøring first
# (forvaltningsloven § 19).
WITHOUT_HEARING = frozenset({DecisionOutcome.COMPLAINT_UNFOUNDED})


class CaseEventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRANSITION = "transition", _("State changed")
    SERVICE_NEED_CHANGED = "service_need_changed", _("Service-need type changed")
    CHECKLIST_TICKED = "checklist_ticked", _("Checklist item done")
    CHECKLIST_UNTICKED = "checklist_unticked", _("Checklist item undone")
    DEFICIENCY_WAIVED = "deficiency_waived", _("Missing item waived")
    HEARING_REPLY = "hearing_reply", _("Hearing reply received")
    PARTY_ADDED = "party_added", _("Party added")
    PARTY_REMOVED = "party_removed", _("Party removed")
    CONTACT_LINKED = "contact_linked", _("Contact linked")
    INDSKAERPELSE_GIVEN = "indskaerpelse_given", _("Indskærpelse given")
    INDSKAERPELSE_REMEDIED = "indskaerpelse_remedied", _("Indskærpelse remedied")
    INDSKAERPELSE_FOLLOW_UP = "indskaerpelse_follow_up", _("Indskærpelse followed up")
    ENFORCEMENT_STARTED = "enforcement_started", _("Enforcement case started")
    CASEWORKERS_ASSIGNED = "caseworkers_assigned", _("Caseworkers assigned")
    NOTE = "note", _("Note")
    DOCUMENT_ADDED = "document_added", _("Document received")


class CasePartyRole(models.TextChoices):
    ADVISER = "adviser", _("Adviser (rådgiver)")
    CO_APPLICANT = "co_applicant", _("Co-applicant")
    NEIGHBOUR = "neighbour", _("Neighbour")
    OWNER = "owner", _("Owner")


class HearingKind(models.TextChoices):
    PARTY = "party", _("Hearing of the parties (partshøring)")
    NEIGHBOUR = "neighbour", _("Neighbour hearing (nabohøring)")


MAX_ATTACHMENTS = 200
MAX_NOTE_CHARS = 10_000
MAX_CASEWORKERS = 20
MAX_DEFICIENCY_ITEMS = 50
MAX_HEARING_PARTIES = 200


class NoticeMethod(models.TextChoices):
    """How the party was told of an inspection (the PIXI book: call, or an individual letter)."""

    PHONE = "phone", _("By phone")
    LETTER = "letter", _("Individual warning letter with the agenda")


# The types whose inspection visit needs two staff present (the PIXI book's princip and obs tips).
TWO_STAFF_REQUIRED = frozenset({ServiceNeedType.PRINCIP, ServiceNeedType.OBS})
# Working days from the visit to the report, unless the area's settings say otherwise.
DEFAULT_REPORT_WORKING_DAYS = 10
MAX_STAFF_PRESENT = 20
MAX_FINDINGS = 50


# The letter data of each decision and hearing: Danish, because it goes into the letter as it
# stands (like the letters' default texts), whatever language the caseworker's screen is in.
DECISION_TEXTS: dict[DecisionOutcome, str] = {
    DecisionOutcome.PERMIT: "Du får tilladelse til det, du har søgt om.",
    DecisionOutcome.PERMIT_WITH_CONDITIONS: (
        "Du får tilladelse til det, du har søgt om. Tilladelsen har vilkår."
    ),
    DecisionOutcome.REFUSAL: "Du får afslag på din ansøgning.",
    DecisionOutcome.LEGALISATION_BY_APPLICATION: (
        "Du skal søge om tilladelse til det, der allerede er udført."
    ),
    DecisionOutcome.PHYSICAL_LEGALISATION: (
        "Du skal bringe forholdene i orden, så de følger reglerne."
    ),
    DecisionOutcome.POLICE_REPORT: "Vi anmelder forholdet til politiet.",
    DecisionOutcome.COMPLAINT_UNFOUNDED: "Vi afviser klagen, fordi den er ubegrundet.",
}
# Which letter a hearing writes to each party heard, and the template variable for what the
# hearing is about.
HEARING_LETTERS: dict[HearingKind, tuple[LetterKind, str]] = {
    HearingKind.PARTY: (LetterKind.PARTY_HEARING, "hearing_subject"),
    HearingKind.NEIGHBOUR: (LetterKind.NEIGHBOUR_HEARING, "project_description"),
}
# What the hearing is about, when the caseworker wrote no note on it.
DEFAULT_HEARING_TEXTS: dict[HearingKind, str] = {
    HearingKind.PARTY: "Vi vil høre dig om din sag om %(address)s.",
    HearingKind.NEIGHBOUR: "Der er søgt om at bygge på %(address)s.",
}
# The usual complaint period for building, planning and environment decisions.
DEFAULT_COMPLAINT_WEEKS = 4
