"""The queue's API: visits as the screens show them (no personal data), and the actions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.bookings.models import Desk, Visit
from indgang.bookings.queue import DESK_OUTCOMES
from indgang.catalogue.models import Task
from indgang.common.api import DeclaredFieldsShallow, Text, id_field
from indgang.contacts.api.serializers import TaskField
from indgang.organisation.models import Unit

# Named in the schema's ENUM_NAME_OVERRIDES: a subset of the contacts' outcomes.
DESK_OUTCOME_CHOICES = [(outcome.value, outcome.label) for outcome in DESK_OUTCOMES]


def task_field() -> TaskField:
    return TaskField(
        queryset=Task.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Task {pk_value} is not in the task catalogue.")},
    )


class DeskSerializer(serializers.ModelSerializer[Desk]):
    class Meta:
        model = Desk
        fields = ["id", "name"]
        read_only_fields = fields


class CentreSerializer(serializers.ModelSerializer[Unit]):
    desks = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "name", "desks"]
        read_only_fields = fields

    def get_desks(self, unit: Unit) -> list[dict[str, Any]]:
        desks: list[Desk] = self.context["desks"][unit.pk]
        return list(DeskSerializer(desks, many=True).data)


class VisitSerializer(serializers.ModelSerializer[Visit]):
    number = serializers.CharField(source="label", help_text="The queue number shown: A007.")

    class Meta:
        model = Visit
        fields = [
            "id",
            "number",
            "unit",
            "day",
            "kind",
            "status",
            "task",
            "desk",
            "booking",
            "referred_to",
            "drawn_at",
            "called_at",
            "started_at",
            "finished_at",
            "waiting_seconds",
            "handling_seconds",
            "contact",
        ]
        read_only_fields = fields


class DeskChoiceSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    desk = id_field(help_text="The desk calling.")


class CheckInSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    booking = id_field(help_text="Today's desk appointment at the centre.")


class TriageSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    task = task_field()
    desk = id_field(required=False, allow_null=True, help_text="None: the next free desk.")
    cpr = Text(required=False, allow_blank=True, help_text="The visitor's CPR number.")


class ReferSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    slot = id_field(help_text="The free slot to book for the visitor.")
    summary = Text(help_text="What the visitor came for: the contact's summary.")
    cpr = Text(required=False, allow_blank=True, help_text="The visitor's CPR number.")


class FinishSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    summary = Text(help_text="What the visit was about: the contact's summary.")
    outcome = serializers.ChoiceField(choices=DESK_OUTCOME_CHOICES)
    task = task_field()
    cpr = Text(required=False, allow_blank=True, help_text="The visitor's CPR number.")
