"""The statistics API's filters and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from indgang.common.api import BoundedDateField, id_field
from indgang.contacts.constants import Channel
from indgang.statistics.selectors import Slice

PERIODS = ["day", "week", "month", "quarter", "year"]
# Days in the shortest period of each kind: a trend has at most MAX_PERIODS points.
PERIOD_DAYS = {"day": 1, "week": 7, "month": 28, "quarter": 90, "year": 365}
MAX_PERIODS = 400


def check_slice(attrs: dict[str, Any]) -> None:
    """Refuse a period that ends before it starts, or a trend of more than MAX_PERIODS points."""
    start: dt.date = attrs["start"]
    end: dt.date = attrs["end"]
    if start > end:
        raise serializers.ValidationError(
            {"end": _("The period must end on or after the day it starts.")}
        )
    period = attrs.get("period") or "year"
    if (end - start).days // PERIOD_DAYS[period] + 1 > MAX_PERIODS:
        raise serializers.ValidationError(
            {"period": _("Too many periods: choose longer periods or a shorter time span.")}
        )


def slice_of(data: dict[str, Any]) -> Slice:
    return Slice(
        start=data["start"],
        end=data["end"],
        department_id=data.get("department"),
        unit_id=data.get("unit"),
        task_id=data.get("task"),
    )


class SliceFilterSerializer(serializers.Serializer[Any]):
    start = BoundedDateField(help_text="First day of the period (contacts received on it count).")
    end = BoundedDateField(help_text="Last day of the period (contacts received on it count).")
    department = id_field(required=False, help_text="Only this department.")
    unit = id_field(required=False, help_text="Only this unit.")
    task = id_field(required=False, help_text="Only this task.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        check_slice(attrs)
        return attrs


class KpiFilterSerializer(SliceFilterSerializer):
    period = serializers.ChoiceField(
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
    by = serializers.ChoiceField(
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
