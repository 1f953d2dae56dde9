from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.bookings.constants import MAX_PERIOD_DAYS, MeetingType
from indgang.bookings.models import Booking, Slot
from indgang.common.api import BoundedDateField, DeclaredFieldsShallow, Text, id_field


class SlotSerializer(serializers.ModelSerializer[Slot]):
    staff = serializers.ListField(
        child=serializers.IntegerField(),
        source="staff_ids",
        read_only=True,
        help_text="The staff taking part, by user id.",
    )

    class Meta:
        model = Slot
        fields = [
            "id",
            "unit",
            "meeting_type",
            "starts_at",
            "ends_at",
            "mode",
            "place",
            "staff",
            "task",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Slot) -> dict[str, Any]:
        """What the fields above give, written out: a quarter's free slots are hundreds, and
        DRF's field-by-field walk cost 0.2 ms a slot, most of the free-slots request
        (benchmarks/bookings.py). `test_api` checks the output field by field."""
        return {
            "id": instance.pk,
            "unit": instance.unit_id,
            "meeting_type": instance.meeting_type,
            "starts_at": _local_iso(instance.starts_at),
            "ends_at": _local_iso(instance.ends_at),
            "mode": instance.mode,
            "place": instance.place,
            "staff": instance.staff_ids,
            "task": instance.task_id,
        }


def _local_iso(instant: dt.datetime) -> str:
    """As DRF's DateTimeField writes an aware datetime: in the current time zone, UTC as Z."""
    text = timezone.localtime(instant).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class FreeSlotFilterSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    unit = id_field()
    first = BoundedDateField(help_text="The first day (local time), included.")
    last = BoundedDateField(
        help_text=f"The last day (local time), included; at most {MAX_PERIOD_DAYS} days in all."
    )
    meeting_type = serializers.ChoiceField(choices=MeetingType.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first: dt.date = attrs["first"]
        last: dt.date = attrs["last"]
        if not first <= last < first + dt.timedelta(days=MAX_PERIOD_DAYS):
            raise serializers.ValidationError(
                {"last": _("Ask for 1 to %(most)s days at a time.") % {"most": MAX_PERIOD_DAYS}}
            )
        return attrs


class BookingSerializer(serializers.ModelSerializer[Booking]):
    slot = SlotSerializer(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "slot",
            "party",
            "status",
            "booked_at",
            "booked_by",
            "cancelled_at",
            "cancelled_by",
            "replaces",
            "task",
            "material_arrived_at",
            "material_note",
            "confirmed_at",
            "confirmation_note",
            "summary",
            "summary_at",
        ]
        read_only_fields = fields


class BookingCreateSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    """A booking as a client sends it: the party by id, or found or created by CPR or CVR."""

    slot = id_field()
    party = id_field(required=False)
    cpr = Text(required=False, help_text="CPR number.")
    cvr = Text(required=False, help_text="CVR number.")
    name = Text(required=False, max_length=200, help_text="Name of a new party.")
    task = id_field(
        required=False,
        help_text="What a pre-application meeting is about, when its slot names no task.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [key for key in ("party", "cpr", "cvr") if attrs.get(key)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"party": _("Give the party as one of party, cpr or cvr.")}
            )
        return attrs


class RebookSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    slot = id_field(help_text="The new slot; the booking keeps its old one if this is taken.")


class MeetingNoteSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    note = Text(required=False, allow_blank=True, max_length=10000)


class MeetingSummarySerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    summary = Text(
        max_length=20000, help_text="What the application must contain, one item a line."
    )
