from __future__ import annotations

from copy import deepcopy
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from indgang.cases.constants import (
    MAX_ATTACHMENTS,
    MAX_CASEWORKERS,
    MAX_DEFICIENCY_ITEMS,
    MAX_FINDINGS,
    MAX_HEARING_PARTIES,
    MAX_NOTE_CHARS,
    MAX_STAFF_PRESENT,
    Area,
    CaseAction,
    CaseEventKind,
    CasePartyRole,
    CaseState,
    DecisionOutcome,
    HearingKind,
    NoticeMethod,
    ServiceNeedType,
)
from indgang.cases.lifecycle import allowed_actions
from indgang.cases.models import (
    Case,
    CaseChecklistItem,
    CaseEvent,
    CaseParty,
    DeficiencyItem,
    Hearing,
    HearingReply,
    Indskaerpelse,
    Inspection,
    ServiceTargetCategory,
)
from indgang.cases.reports import days_left_of
from indgang.cases.selectors import clock_of, events_of, suggestion_facts
from indgang.cases.suggestion import suggest_service_need
from indgang.catalogue.models import KleEntry
from indgang.common.api import AwareDateTimeField, BoundedDateField, Text, id_field
from indgang.contacts.api.serializers import ContactCreateSerializer
from indgang.journal.models import Document
from indgang.journal.selectors import list_documents
from indgang.letters.models import Letter


class CaseSubjectSerializer(serializers.Serializer[Any]):
    """Whom and where a new case is about: the party, the property or site, topic and unit."""

    area = serializers.ChoiceField(choices=Area.choices)
    cpr = Text(required=False, write_only=True, help_text="The applicant's CPR number.")
    cvr = Text(required=False, write_only=True, help_text="The applicant's CVR number.")
    name = Text(required=False, max_length=200, help_text="The applicant's name, if new.")
    property_address = Text(max_length=300)
    cadastral_number = Text(required=False, allow_blank=True, max_length=100)
    property_number = Text(required=False, allow_blank=True, max_length=100)
    # The contact's fields, with the same checks and messages (a retired topic is refused by
    # the service).
    kle_topic = deepcopy(ContactCreateSerializer._declared_fields["kle_topic"])
    unit = deepcopy(ContactCreateSerializer._declared_fields["unit"])


class CaseCreateSerializer(CaseSubjectSerializer):
    """An application as the building and environment portal delivers it."""

    category = Text(max_length=40, help_text="Service target category code, e.g. building-housing.")
    received_at = AwareDateTimeField()
    attachments = serializers.ListField(
        child=Text(max_length=200), required=False, max_length=MAX_ATTACHMENTS
    )
    contact = id_field(
        required=False,
        help_text="The contact the case grows out of; its party applies if no CPR or CVR is given.",
    )
    meeting = id_field(
        required=False,
        help_text=(
            "The pre-application meeting (a booking) the application grows out of; its party "
            "applies if no CPR, CVR or contact is given."
        ),
    )


class CaseActionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=CaseAction.choices)
    at = AwareDateTimeField(
        required=False, help_text="When it happened (administrators only, to migrate history)."
    )
    note = Text(required=False, allow_blank=True, max_length=10_000)
    decision = serializers.ChoiceField(
        choices=DecisionOutcome.choices, required=False, help_text="The decision's outcome."
    )
    conditions = Text(
        required=False,
        allow_blank=True,
        max_length=10_000,
        help_text="The permit's conditions (required for a permit with conditions).",
    )
    notice_method = serializers.ChoiceField(
        choices=NoticeMethod.choices, required=False, help_text="give_notice: phone or letter."
    )
    agenda = Text(
        required=False,
        allow_blank=True,
        max_length=10_000,
        help_text="give_notice by letter: the inspection's agenda.",
    )
    staff_present = serializers.ListField(
        child=id_field(),
        required=False,
        max_length=MAX_STAFF_PRESENT,
        help_text="record_visit: the ids of the staff at the visit.",
    )
    findings = serializers.ListField(
        child=Text(max_length=1_000),
        required=False,
        max_length=MAX_FINDINGS,
        help_text="send_report: what the inspection found, one finding each.",
    )
    next_steps = Text(
        required=False,
        allow_blank=True,
        max_length=10_000,
        help_text="send_report: what happens next (required then).",
    )


class ServiceNeedSerializer(serializers.Serializer[Any]):
    service_need_type = serializers.ChoiceField(choices=ServiceNeedType.choices)
    reason = Text(max_length=2_000)


class ClockSerializer(serializers.Serializer[Any]):
    started = serializers.BooleanField()
    days_used = serializers.IntegerField()
    days_left = serializers.IntegerField()
    due_date = serializers.DateField(allow_null=True)
    on_target = serializers.BooleanField()
    days_waiting = serializers.IntegerField()
    days_paused = serializers.IntegerField()


class CaseEventSerializer(serializers.ModelSerializer[CaseEvent]):
    by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    kind = serializers.ChoiceField(choices=CaseEventKind.choices, read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["kind", "action", "from_state", "to_state", "at", "by", "note", "data"]
        read_only_fields = fields


class IndskaerpelseSerializer(serializers.ModelSerializer[Indskaerpelse]):
    class Meta:
        model = Indskaerpelse
        fields = [
            "id",
            "cause",
            "requirement",
            "deadline",
            "given_at",
            "remedied_at",
            "follow_up_note",
            "enforcement_case",
        ]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    staff_present: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )

    class Meta:
        model = Inspection
        fields = [
            "planned_for",
            "notice_method",
            "agenda",
            "staff_present",
            "visited_at",
            "report_due",
            "report_sent_at",
        ]
        read_only_fields = fields


class OriginSerializer(serializers.Serializer[Any]):
    inspection = serializers.IntegerField()
    indskaerpelse = serializers.IntegerField()


class CaseSerializer(serializers.ModelSerializer[Case]):
    """A case with its servicemål clock, the actions allowed next and its timeline."""

    kle_topic: serializers.SlugRelatedField[KleEntry] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    category: serializers.SlugRelatedField[ServiceTargetCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    clock = serializers.SerializerMethodField(
        help_text="The servicemål clock: applications only, null for inspections and enforcement."
    )
    allowed_actions = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    inspection = serializers.SerializerMethodField()
    indskaerpelser = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField(
        help_text="For an enforcement case started from an indskærpelse: where it came from."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "kind",
            "area",
            "party",
            "property_address",
            "cadastral_number",
            "property_number",
            "kle_topic",
            "category",
            "department",
            "unit",
            "state",
            "service_need_type",
            "decision",
            "received_at",
            "fully_informed_at",
            "decided_at",
            "closed_at",
            "attachments",
            "pre_meeting_on",
            "meeting",
            "deficiency_reply_by",
            "decision_conditions",
            "complaint_guidance",
            "clock",
            "allowed_actions",
            "events",
            "inspection",
            "indskaerpelser",
            "origin",
        ]
        read_only_fields = fields

    @extend_schema_field(ClockSerializer(allow_null=True))
    def get_clock(self, case: Case) -> dict[str, Any] | None:
        clock = clock_of(
            case=case,
            events=events_of(case),
            today=self.context["today"],
            waiting_counts=self.context["waiting_counts"],
        )
        return None if clock is None else ClockSerializer(clock).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(CaseAction.choices)))
    def get_allowed_actions(self, case: Case) -> list[str]:
        return [str(action) for action in allowed_actions(case.state, case.kind)]

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, case: Case) -> list[Any]:
        return list(CaseEventSerializer(events_of(case), many=True).data)

    @extend_schema_field(InspectionSerializer(allow_null=True))
    def get_inspection(self, case: Case) -> dict[str, Any] | None:
        inspection = getattr(case, "inspection", None)  # only inspection cases have one
        return None if inspection is None else InspectionSerializer(inspection).data

    @extend_schema_field(IndskaerpelseSerializer(many=True))
    def get_indskaerpelser(self, case: Case) -> list[Any]:
        return list(IndskaerpelseSerializer(case.indskaerpelser.all(), many=True).data)

    @extend_schema_field(OriginSerializer(allow_null=True))
    def get_origin(self, case: Case) -> dict[str, int] | None:
        origin = getattr(case, "origin_indskaerpelse", None)
        if origin is None:
            return None
        return {"inspection": origin.case_id, "indskaerpelse": origin.pk}


class InspectionCreateSerializer(CaseSubjectSerializer):
    """An inspection (tilsyn) to plan."""

    planned_for = BoundedDateField()


class ComplaintCreateSerializer(CaseSubjectSerializer):
    """A complaint (klagesag) about the party, received directly: an enforcement case."""

    received_at = AwareDateTimeField()
    complaint = Text(max_length=10_000, help_text="What the complaint is about.")


class IndskaerpelseCreateSerializer(serializers.Serializer[Any]):
    cause = Text(max_length=5_000, help_text="Why: the rule the party does not keep.")
    requirement = Text(max_length=5_000, help_text="What the party must do.")
    deadline = BoundedDateField(help_text="The remediation deadline.")


class FollowUpSerializer(serializers.Serializer[Any]):
    note = Text(max_length=10_000)


AT_HELP = "When it happened (administrators only, to migrate history)."


class ChecklistTickSerializer(serializers.Serializer[Any]):
    item = id_field()
    done = serializers.BooleanField()


class DeficiencyLetterSerializer(serializers.Serializer[Any]):
    items = serializers.ListField(
        child=Text(max_length=1000), min_length=1, max_length=MAX_DEFICIENCY_ITEMS
    )
    reply_by = BoundedDateField(help_text="The date the applicant is to answer by.")
    at = AwareDateTimeField(required=False, help_text=AT_HELP)
    note = Text(required=False, allow_blank=True, max_length=10_000)


class AnsweredItemSerializer(serializers.Serializer[Any]):
    item = id_field()
    note = Text(required=False, allow_blank=True, max_length=10_000)


class DeficiencyAnswerSerializer(serializers.Serializer[Any]):
    answered = serializers.ListField(
        child=AnsweredItemSerializer(), max_length=MAX_DEFICIENCY_ITEMS
    )
    at = AwareDateTimeField(required=False, help_text=AT_HELP)
    note = Text(required=False, allow_blank=True, max_length=10_000)


class DeficiencyWaiverSerializer(serializers.Serializer[Any]):
    item = id_field()
    reason = Text(max_length=2_000)


class HearingCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=HearingKind.choices)
    reply_by = BoundedDateField()
    parties = serializers.ListField(child=id_field(), min_length=1, max_length=MAX_HEARING_PARTIES)
    at = AwareDateTimeField(required=False, help_text=AT_HELP)
    note = Text(required=False, allow_blank=True, max_length=10_000)


class HearingReplyCreateSerializer(serializers.Serializer[Any]):
    hearing = id_field()
    party = id_field()
    received_at = AwareDateTimeField()
    objects = serializers.BooleanField(help_text="Whether the party objects.")
    summary = Text(max_length=10_000)


class CasePartyCreateSerializer(serializers.Serializer[Any]):
    party = id_field()
    role = serializers.ChoiceField(choices=CasePartyRole.choices)


class CasePartyByNumberSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=CasePartyRole.choices)
    cpr = Text(required=False, max_length=20, help_text="The citizen's CPR number.")
    cvr = Text(required=False, max_length=20, help_text="The company's CVR number.")
    name = Text(
        required=False, allow_blank=True, max_length=200, help_text="The name, if the party is new."
    )


class ContactLinkSerializer(serializers.Serializer[Any]):
    contact = id_field()


class CaseworkersSerializer(serializers.Serializer[Any]):
    caseworkers = serializers.ListField(
        child=id_field(),
        min_length=1,
        max_length=MAX_CASEWORKERS,
        help_text="The staff members' user ids.",
    )


class CasePartyRemoveSerializer(serializers.Serializer[Any]):
    case_party = id_field(help_text="The id of the party's role on the case.")


class ChecklistItemSerializer(serializers.ModelSerializer[CaseChecklistItem]):
    done_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = CaseChecklistItem
        fields = ["id", "service_need_type", "text", "done_at", "done_by"]
        read_only_fields = fields


class DeficiencyItemSerializer(serializers.ModelSerializer[DeficiencyItem]):
    class Meta:
        model = DeficiencyItem
        fields = ["id", "text", "requested_at", "answered_at", "answer_note", "waived_reason"]
        read_only_fields = fields


class HearingReplySerializer(serializers.ModelSerializer[HearingReply]):
    objects = serializers.BooleanField(source="objects_to", read_only=True)

    class Meta:
        model = HearingReply
        fields = ["id", "party", "received_at", "objects", "summary"]
        read_only_fields = fields


class HearingSerializer(serializers.ModelSerializer[Hearing]):
    replies = HearingReplySerializer(many=True, read_only=True)

    class Meta:
        model = Hearing
        fields = ["id", "kind", "started_at", "reply_by", "parties", "replies"]
        read_only_fields = fields


class CasePartySerializer(serializers.ModelSerializer[CaseParty]):
    class Meta:
        model = CaseParty
        fields = ["id", "party", "role"]
        read_only_fields = fields


class ServiceNeedSuggestionSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=ServiceNeedType.choices)
    reasons = serializers.ListField(child=serializers.CharField())


class NoteCreateSerializer(serializers.Serializer[Any]):
    text = Text(max_length=MAX_NOTE_CHARS)


class CaseDocumentCreateSerializer(serializers.Serializer[Any]):
    title = Text(max_length=300)
    dated = BoundedDateField()
    file = serializers.FileField()


class CaseDocumentSerializer(serializers.ModelSerializer[Document]):
    """A document of the case, with where its file is downloaded through the case."""

    file = serializers.SerializerMethodField(
        help_text="Where the file is downloaded (GET, logged in the access log); null without one."
    )

    class Meta:
        model = Document
        fields = ["id", "title", "dated", "direction", "file"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, document: Document) -> str | None:
        if not document.file:
            return None
        return reverse(
            "case-document",
            kwargs={"pk": document.subject_id, "document_id": document.pk},
            request=self.context.get("request"),
        )


class CaseDetailSerializer(CaseSerializer):
    """One case as its screen needs it: the list's fields, the suggested service-need type and
    why, the checklist, the missing items, the hearings, the other parties and the linked
    contacts."""

    contacts = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    suggested_service_need = serializers.SerializerMethodField()
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    deficiency_items = DeficiencyItemSerializer(many=True, read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)
    other_parties = CasePartySerializer(many=True, read_only=True)
    caseworkers: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "caseworkers",
            "suggested_service_need",
            "checklist",
            "deficiency_items",
            "hearings",
            "other_parties",
            "contacts",
            "documents",
        ]
        read_only_fields = fields

    @extend_schema_field(CaseDocumentSerializer(many=True))
    def get_documents(self, case: Case) -> list[dict[str, Any]]:
        return list(
            CaseDocumentSerializer(
                list_documents(subject=case), many=True, context=self.context
            ).data
        )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_contacts(self, case: Case) -> list[int]:
        return [link.contact_id for link in case.contact_links.all()]

    @extend_schema_field(ServiceNeedSuggestionSerializer)
    def get_suggested_service_need(self, case: Case) -> dict[str, Any]:
        suggestion = suggest_service_need(suggestion_facts(case=case))
        return {"type": str(suggestion.type), "reasons": suggestion.reasons}


class CaseLetterSerializer(serializers.ModelSerializer[Letter]):
    """A letter written on the case, with where to download its PDF."""

    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "kind",
            "title",
            "case_number",
            "recipient",
            "recipient_name",
            "created_at",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, letter: Letter) -> str:
        return reverse("case-letter-pdf", kwargs={"pk": letter.subject_id, "letter_id": letter.pk})


class CaseCreatedSerializer(CaseDetailSerializer):
    """A new case as the intake answers it: the detail, its journal number and receipt letter
    (given in the context as `receipt`)."""

    journal_number = serializers.SerializerMethodField()
    receipt_letter = serializers.SerializerMethodField()

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "journal_number", "receipt_letter"]
        read_only_fields = fields

    def get_journal_number(self, case: Case) -> str:
        return str(self.context["receipt"].journal_number)

    @extend_schema_field(CaseLetterSerializer)
    def get_receipt_letter(self, case: Case) -> dict[str, Any]:
        return dict(CaseLetterSerializer(self.context["receipt"].letter).data)


class PreMeetingSerializer(serializers.Serializer[Any]):
    pre_meeting_on = BoundedDateField(
        allow_null=True, help_text="The day of the pre-application meeting; null: none was held."
    )


class WorkListFilterSerializer(serializers.Serializer[Any]):
    unit = id_field(required=False, help_text="One unit's work list.")
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only the cases you are a caseworker on."
    )
    q = Text(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=(
            "Search: part of the journal number, address, cadastral or BBR number or the "
            "applicant's name, the applicant's CVR number, or an exact CPR number."
        ),
    )


class WorkListRowSerializer(serializers.ModelSerializer[Case]):
    """One open case on a work list, with the days left on its servicemål clock."""

    category: serializers.SlugRelatedField[ServiceTargetCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    days_left = serializers.SerializerMethodField(
        help_text="Days left on the clock today; null until the case is fully informed."
    )
    clock_running = serializers.SerializerMethodField(
        help_text="False while the clock stands (waiting for the applicant, or decided)."
    )
    applicant = serializers.CharField(
        source="party.name", read_only=True, help_text="The applicant's name (may be blank)."
    )
    has_caseworker = serializers.BooleanField(
        read_only=True, help_text="Whether anyone is the case's caseworker yet."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "kind",
            "area",
            "property_address",
            "category",
            "unit",
            "state",
            "service_need_type",
            "received_at",
            "fully_informed_at",
            "days_left",
            "clock_running",
            "party",
            "applicant",
            "has_caseworker",
        ]
        read_only_fields = fields

    def get_days_left(self, case: Case) -> int | None:
        return days_left_of(case)

    def get_clock_running(self, case: Case) -> bool:
        return case.clock_due_on is not None and case.clock_stopped_on is None


class ReportFilterSerializer(serializers.Serializer[Any]):
    decided_from = BoundedDateField(help_text="First day of the period (decisions on it count).")
    decided_to = BoundedDateField(help_text="Last day of the period (decisions on it count).")
    unit = id_field(required=False, help_text="Only this unit's cases.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["decided_from"] > attrs["decided_to"]:
            raise serializers.ValidationError(
                {"decided_to": _("The period must end on or after the day it starts.")}
            )
        return attrs


class ReportRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text="The group: category code, service-need type, with/without."
    )
    name = serializers.CharField(source="label")
    decided = serializers.IntegerField()
    on_target = serializers.IntegerField()
    share_on_target = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)
    open_over_target = serializers.IntegerField()


class ServiceTargetReportSerializer(serializers.Serializer[Any]):
    decided_from = serializers.DateField()
    decided_to = serializers.DateField()
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    by_category = ReportRowSerializer(many=True)
    by_service_need_type = ReportRowSerializer(many=True)
    by_pre_meeting = ReportRowSerializer(many=True)
