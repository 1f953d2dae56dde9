"""The funnel API's shapes: a batch of events in, funnels and advice out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.common.api import AwareDateTimeField, BoundedDateField, Fields, Text, id_field
from indgang.statistics.constants import Advice, FunnelEventKind, SolutionKind
from indgang.statistics.funnels import MAX_BATCH, SYSTEM_LENGTH
from indgang.statistics.models import KEY_LENGTH, STEP_LENGTH

DEFAULT_DAYS = 365  # a period not given: the year up to today


class FunnelEventSerializer(serializers.Serializer[Any]):
    event_id = Text(
        max_length=KEY_LENGTH, help_text="Your id of the event: sent again, it is stored once."
    )
    system = Text(
        max_length=SYSTEM_LENGTH, help_text="The form system, e.g. os2forms or openforms."
    )
    solution = Text(
        max_length=KEY_LENGTH, help_text="The solution's id in that form system, as registered."
    )
    attempt_id = Text(max_length=KEY_LENGTH, help_text="One citizen's attempt, across its events.")
    kind = serializers.ChoiceField(choices=FunnelEventKind.choices)
    step = Text(
        max_length=STEP_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "The step reached (step_reached); for abandoned, the last step reached, if known; "
            "none for started and completed."
        ),
    )
    occurred_at = AwareDateTimeField()


class FunnelBatchSerializer(serializers.Serializer[Any]):
    events = serializers.ListField(
        child=FunnelEventSerializer(), min_length=1, max_length=MAX_BATCH
    )


class RecordedSerializer(serializers.Serializer[Any]):
    accepted = serializers.IntegerField(help_text="Events stored and counted now.")
    duplicate = serializers.IntegerField(
        help_text="Events whose id was stored before (or given twice): acknowledged, not counted."
    )


class PeriodSerializer(serializers.Serializer[Any]):
    """`?from=&to=` (Danish days, both included; the year up to today by default) and
    `?department=`."""

    department = id_field(required=False, help_text="Only this department's solutions.")

    def get_fields(self) -> Fields:
        # `from` is a keyword in Python: the fields are named here rather than declared.
        fields = super().get_fields()
        fields["from"] = BoundedDateField(
            required=False, help_text=f"First day; the {DEFAULT_DAYS} days up to `to` if not given."
        )
        fields["to"] = BoundedDateField(required=False, help_text="Last day; today if not given.")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end: dt.date = attrs.get("to") or timezone.localdate()
        start: dt.date = attrs.get("from") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise serializers.ValidationError(
                {"to": [_("The period must end on or after the day it starts.")]}
            )
        return {"start": start, "end": end, "department_id": attrs.get("department")}


class StepSerializer(serializers.Serializer[Any]):
    step = serializers.CharField()
    reached = serializers.IntegerField()
    drop_off = serializers.IntegerField(help_text="Attempts lost since the step before.")


class FunnelSerializer(serializers.Serializer[Any]):
    solution = serializers.IntegerField(source="solution_id")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SolutionKind.choices)
    department = serializers.IntegerField(source="department_id")
    task = serializers.IntegerField(source="task_id", allow_null=True)
    system = serializers.CharField(source="external_system")
    external_id = serializers.CharField()
    active = serializers.BooleanField(source="is_active")
    started = serializers.IntegerField()
    steps = StepSerializer(many=True)
    completed = serializers.IntegerField()
    abandoned = serializers.IntegerField()
    completion_rate = serializers.FloatField(
        allow_null=True, help_text="Completed per started; null when none started."
    )
    abandoned_per_completed = serializers.FloatField(allow_null=True)
    transactions_per_year = serializers.FloatField(
        help_text="Completed in the period, scaled to a year of 365 days."
    )


class AdviceSerializer(serializers.Serializer[Any]):
    advice = serializers.ChoiceField(choices=Advice.choices)
    reason = serializers.CharField(help_text="The numbers behind the advice, in Danish.")
    funnel = FunnelSerializer()
