from __future__ import annotations

from copy import deepcopy
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indgang.cases.constants import (
    MAX_ATTACHMENTS,
    Area,
    CaseAction,
    CaseEventKind,
    CaseState,
    DecisionOutcome,
    ServiceNeedType,
)
from indgang.cases.lifecycle import allowed_actions
from indgang.cases.models import Case, CaseEvent, ServiceTargetCategory
from indgang.cases.reports import days_left_of
from indgang.cases.selectors import clock_of, events_of
from indgang.catalogue.models import KleEntry
from indgang.common.api import AwareDateTimeField, BoundedDateField, Text, id_field
from indgang.contacts.api.serializers import ContactCreateSerializer


class CaseCreateSerializer(serializers.Serializer[Any]):
    """An application as the building and environment portal delivers it."""

    area = serializers.ChoiceField(choices=Area.choices)
    category = Text(max_length=40, help_text="Service target category code, e.g. building-housing.")
    received_at = AwareDateTimeField()
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
    attachments = serializers.ListField(
        child=Text(max_length=200), required=False, max_length=MAX_ATTACHMENTS
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


class CaseSerializer(serializers.ModelSerializer[Case]):
    """A case with its servicemål clock, the actions allowed next and its timeline."""

    kle_topic: serializers.SlugRelatedField[KleEntry] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    category: serializers.SlugRelatedField[ServiceTargetCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    clock = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

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
            "clock",
            "allowed_actions",
            "events",
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
        return [str(action) for action in allowed_actions(case.state)]

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, case: Case) -> list[Any]:
        return list(CaseEventSerializer(events_of(case), many=True).data)


class PreMeetingSerializer(serializers.Serializer[Any]):
    pre_meeting_on = BoundedDateField(
        allow_null=True, help_text="The day of the pre-application meeting; null: none was held."
    )


class WorkListFilterSerializer(serializers.Serializer[Any]):
    unit = id_field(required=False, help_text="One unit's work list.")
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only the cases you are a caseworker on."
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
