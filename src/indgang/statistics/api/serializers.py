from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.catalogue.constants import Channel
from indgang.common.api import BoundedDateField, DeclaredFieldsShallow, id_field
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


# --- goals, costs and KomHen ---------------------------------------------------------------

# Days in the shortest period of each kind: a trend has at most MAX_PERIODS points.
PERIOD_DAYS = {"day": 1, "week": 7, "month": 28, "quarter": 90, "year": 365}
MAX_PERIODS = 400


def check_slice(attrs: dict[str, Any]) -> None:
    """Refuse a trend of more than MAX_PERIODS points."""
    days = (attrs["to"] - attrs["from"]).days
    if days // PERIOD_DAYS[attrs.get("period") or "year"] + 1 > MAX_PERIODS:
        raise serializers.ValidationError(
            {"period": _("Too many periods: choose longer periods or a shorter time span.")}
        )


def slice_of(data: dict[str, Any]) -> Slice:
    return Slice(
        start=data["from"],
        end=data["to"],
        department_id=data.get("department"),
        unit_id=data.get("unit"),
        task_id=data.get("task"),
    )


class SliceFilterSerializer(ContactCountsQuerySerializer):
    """The slice of the contact counts (`from`, `to`, one department, unit or task), without
    their grouping."""

    by = None  # type: ignore[assignment]
    period = None  # type: ignore[assignment]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        check_slice(attrs)
        return attrs


class KpiFilterSerializer(SliceFilterSerializer):
    period = serializers.ChoiceField(  # type: ignore[assignment]
        choices=PERIODS, required=False, default="month", help_text="The trend's periods."
    )


class TrendPointSerializer(serializers.Serializer[Any]):
    period = serializers.DateField(help_text="The first day of the period.")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)
    goal = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class KpiSerializer(serializers.Serializer[Any]):
    metric = serializers.CharField(
        help_text="A goal metric, or channel:<code> or channel_group:<code>."
    )
    name = serializers.CharField(source="label")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text="The share, from 0 to 1.")
    goal = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    trend = TrendPointSerializer(many=True)


class CostFilterSerializer(SliceFilterSerializer):
    by = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["channel", "task", "unit"], required=False, default="channel"
    )
    table = id_field(required=False, help_text="The unit-cost table; the one in use by default.")


class WhatIfFilterSerializer(SliceFilterSerializer):
    table = id_field(required=False, help_text="The unit-cost table; the one in use by default.")
    from_channel = serializers.ChoiceField(choices=Channel.choices, help_text="Move contacts from.")
    to_channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        help_text="Move them to this channel; none: they are not made at all.",
    )
    share = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=0, max_value=1, help_text="From 0 to 1."
    )


class CostLineSerializer(serializers.Serializer[Any]):
    channel = serializers.CharField()
    count = serializers.IntegerField()
    unit_cost = serializers.DecimalField(max_digits=9, decimal_places=2)
    cost = serializers.DecimalField(max_digits=20, decimal_places=2)


class ChannelCostsSerializer(serializers.Serializer[Any]):
    lines = CostLineSerializer(many=True)
    total = serializers.DecimalField(max_digits=20, decimal_places=2)


class CostRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Channel code, or task or unit id (0: none).")
    name = serializers.CharField(source="label")
    costs = ChannelCostsSerializer()
    unpriced = serializers.IntegerField(
        help_text="Contacts in channels the table has no price for."
    )


class UnitCostSerializer(serializers.Serializer[Any]):
    channel = serializers.CharField()
    kroner = serializers.DecimalField(max_digits=9, decimal_places=2)


class UnitCostTableSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    in_use = serializers.BooleanField()
    origin = serializers.CharField(source="source", help_text="Where the prices come from.")
    costs = UnitCostSerializer(many=True, source="costs.all")


class CostsSerializer(serializers.Serializer[Any]):
    table = UnitCostTableSerializer()
    by = serializers.CharField()
    rows = CostRowSerializer(many=True)


class WhatIfSerializer(serializers.Serializer[Any]):
    table = UnitCostTableSerializer()
    from_channel = serializers.CharField(source="source")
    to_channel = serializers.CharField(source="target", allow_null=True)
    share = serializers.DecimalField(max_digits=5, decimal_places=4)
    before = ChannelCostsSerializer()
    after = ChannelCostsSerializer()
    saving = serializers.DecimalField(max_digits=20, decimal_places=2)
    unpriced = serializers.IntegerField()


class KomHenLineSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="label")
    counts = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class KomHenSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    start = serializers.DateField(source="slice.start")
    end = serializers.DateField(source="slice.end")
    channels = serializers.ListField(
        child=serializers.CharField(),
        source="channel_codes",
        help_text="The channel codes, in the counts' order.",
    )
    areas = KomHenLineSerializer(many=True)
    total = KomHenLineSerializer()
    kle_groups = KomHenLineSerializer(many=True)


class QueueTimesFilterSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    start = BoundedDateField(help_text="The first day drawn, included.")
    end = BoundedDateField(help_text="The last day drawn, included; at most 92 days in all.")


class QueueTimesSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField(help_text="The service centre (a unit).")
    unit_name = serializers.CharField()
    hour = serializers.IntegerField(help_text="The hour of the day the numbers were drawn (0-23).")
    visits = serializers.IntegerField(help_text="Finished visits.")
    mean_waiting_seconds = serializers.IntegerField(help_text="From drawn to called.")
    longest_waiting_seconds = serializers.IntegerField()
    mean_handling_seconds = serializers.IntegerField(
        help_text="From started (or called) to finished."
    )
