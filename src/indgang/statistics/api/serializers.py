from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.common.api import BoundedDateField, id_field
from indgang.statistics.selectors import DIMENSIONS, PERIODS, Dimension, Slice

# Five years, two leap days included: one request reads at most this many days' buckets.
MAX_DAYS = 5 * 365 + 2


class DimensionsField(serializers.CharField):
    """A comma-separated list of dimensions to group by: `channel,outcome`."""

    default_error_messages = {
        "unknown": _(
            "Group by one or more of: channel, direction, outcome, department, unit, task."
        )
    }

    def to_internal_value(self, data: Any) -> tuple[Dimension, ...]:  # type: ignore[override]
        text = super().to_internal_value(data)
        names = [name.strip() for name in text.split(",") if name.strip()]
        if any(name not in DIMENSIONS for name in names):
            self.fail("unknown")
        return tuple(dimension for dimension in DIMENSIONS if dimension in names)


class ContactCountsQuerySerializer(serializers.Serializer[Any]):
    """The slice and the grouping of a count of contacts."""

    start = BoundedDateField(help_text=_("First day, YYYY-MM-DD."))
    end = BoundedDateField(help_text=_("Last day, included."))
    department = id_field(required=False)
    unit = id_field(required=False)
    task = id_field(required=False)
    by = DimensionsField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Comma-separated: channel, direction, outcome, department, unit, task."),
    )
    period = serializers.ChoiceField(choices=PERIODS, required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `from` and `to` are Python keywords: declared as start and end, named in the query so.
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start: dt.date = attrs["from"]
        end: dt.date = attrs["to"]
        if start > end:
            raise serializers.ValidationError({"to": _("The last day comes before the first.")})
        if (end - start).days + 1 > MAX_DAYS:
            raise serializers.ValidationError({"to": _("Ask for at most five years at a time.")})
        return attrs

    def slice(self) -> Slice:
        data = self.validated_data
        return Slice(
            start=data["from"],
            end=data["to"],
            department_id=data.get("department"),
            unit_id=data.get("unit"),
            task_id=data.get("task"),
        )


class CountRowSerializer(serializers.Serializer[Any]):
    """One group's sums; a dimension not grouped by is null. Grouped, 0 is no department, unit
    or task, and "" no outcome."""

    period = serializers.DateField(allow_null=True, help_text=_("First day of the period."))
    channel = serializers.CharField(allow_null=True)
    direction = serializers.CharField(allow_null=True)
    outcome = serializers.CharField(allow_null=True, allow_blank=True)
    department_id = serializers.IntegerField(allow_null=True)
    unit_id = serializers.IntegerField(allow_null=True)
    task_id = serializers.IntegerField(allow_null=True)
    contacts = serializers.IntegerField()
    with_knowledge = serializers.IntegerField(help_text=_("Contacts with a knowledge use."))
    duration_seconds = serializers.IntegerField(help_text=_("Sum of the durations given."))
    timed = serializers.IntegerField(help_text=_("Contacts with a duration."))
