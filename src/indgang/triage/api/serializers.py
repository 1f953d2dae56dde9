from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indgang.catalogue.constants import Channel, KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.common.api import Text
from indgang.organisation.models import Unit
from indgang.parties.constants import PartyKind
from indgang.triage.constants import Verdict
from indgang.triage.models import RoutingDecision
from indgang.triage.selectors import Suggestion, Suggestions


@extend_schema_field(
    {"type": "string", "enum": [*PartyKind.values, ""], "description": "citizen or company"}
)
class PartyKindField(serializers.ChoiceField):
    """Documented inline: the PartyKind enum component is named after the parties' `kind`."""


class SuggestRequestSerializer(serializers.Serializer[Any]):
    text = Text(
        max_length=10_000,
        error_messages={
            "required": _("Write the text to suggest tasks for."),
            "blank": _("Write the text to suggest tasks for."),
            "max_length": _("The text may be at most {max_length} characters."),
        },
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": _("{input} is not a channel.")},
    )
    party_kind = PartyKindField(
        choices=PartyKind.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": _("{input} is not a kind of party.")},
    )


class SuggestionSerializer(serializers.Serializer[Suggestion]):
    task = serializers.IntegerField(
        source="task.pk",
        allow_null=True,
        default=None,
        help_text="Null for a KLE topic that no task in the catalogue owns.",
    )
    task_title = serializers.CharField(source="task.title", allow_null=True, default=None)
    kle_topic = serializers.CharField(source="kle_topic.number", allow_null=True, default=None)
    kle_title = serializers.CharField(source="kle_topic.title", allow_null=True, default=None)
    unit = serializers.IntegerField(source="unit.pk", allow_null=True, default=None)
    unit_name = serializers.CharField(source="unit.name", allow_null=True, default=None)
    department = serializers.CharField(
        source="department.abbreviation",
        allow_null=True,
        default=None,
        help_text="The task's department; for a topic no task owns, its main group's.",
    )
    confidence = serializers.FloatField()
    words = serializers.ListField(child=serializers.CharField(), help_text="Words that drove it.")


class SuggestionsSerializer(serializers.Serializer[Suggestions]):
    model_version = serializers.IntegerField(
        source="model_version.pk", allow_null=True, default=None
    )
    threshold = serializers.FloatField()
    confident = serializers.BooleanField(
        help_text="Whether the first suggestion reaches the threshold for automatic routing."
    )
    suggestions = SuggestionSerializer(source="items", many=True)


class RoutingRequestSerializer(serializers.Serializer[Any]):
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.select_related("unit"),
        error_messages={
            "required": _("Choose the task the contact is about."),
            "null": _("Choose the task the contact is about."),
            "does_not_exist": _("Task {pk_value} is not in the task catalogue."),
            "incorrect_type": _("Give the task as its id (a number)."),
        },
    )
    kle_topic = serializers.SlugRelatedField(
        slug_field="number",
        queryset=KleEntry.objects.filter(level=KleLevel.TOPIC),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("KLE topic {value} does not exist.")},
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": _("Unit {pk_value} does not exist."),
            "incorrect_type": _("Give the unit as its id (a number)."),
        },
    )


class RoutingDecisionSerializer(serializers.ModelSerializer[RoutingDecision]):
    kle_topic: serializers.SlugRelatedField[KleEntry] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices, read_only=True)

    class Meta:
        model = RoutingDecision
        fields = [
            "id",
            "contact",
            "task",
            "kle_topic",
            "unit",
            "verdict",
            "suggested",
            "suggested_task",
            "confidence",
            "model_version",
            "decided_at",
        ]
        read_only_fields = fields
