"""The statistics pages' forms: the slice every page reads, the what-if and the unit costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.forms import BoundedDateField, PlainSelect
from indgang.organisation.models import Department, Unit
from indgang.statistics.api.serializers import MAX_PERIODS, PERIOD_DAYS
from indgang.statistics.costs import PRESETS
from indgang.statistics.models import UnitCostTable
from indgang.statistics.selectors import Period, Slice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERIOD_CHOICES = [
    ("day", _("Day")),
    ("week", _("Week")),
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
]


def visible_departments(departments: frozenset[int] | None) -> QuerySet[Department]:
    """The departments a statistics scope covers (None: all of them)."""
    queryset = Department.objects.order_by("name")
    return queryset if departments is None else queryset.filter(pk__in=departments)


class SliceForm(forms.Form):
    """A period and, optionally, one department, unit or task; the departments offered are the
    ones whose statistics the user sees."""

    start = BoundedDateField(label=_("From"), widget=DATE)
    end = BoundedDateField(label=_("To"), widget=DATE)
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label=_("Department"),
        empty_label=_("All"),
        widget=PlainSelect,
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Unit"),
        empty_label=_("All"),
        widget=PlainSelect,
    )
    task = forms.ModelChoiceField(
        queryset=Task.objects.none(),
        required=False,
        label=_("Task"),
        empty_label=_("All"),
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, departments: frozenset[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seen = visible_departments(departments)
        self.fields["department"].queryset = seen  # type: ignore[attr-defined]
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(department__in=seen)
            .select_related("department")
            .order_by("department__name", "name")
        )
        # A task's label names its department: one join, not a statement per task; and only
        # the label's columns, for the catalogue's hundreds of tasks on every statistics page.
        self.fields["task"].queryset = (  # type: ignore[attr-defined]
            Task.objects.filter(department__in=seen)
            .select_related("department")
            .only("title", "department__abbreviation")
            .order_by("title")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if start > end:
                self.add_error("end", _("The period must end on or after the day it starts."))
            else:
                self.check_periods(start, end, data.get("period") or "year")
        return data

    def check_periods(self, start: dt.date, end: dt.date, period: Period) -> None:
        """Refuse a span of more periods than a page shows."""
        if (end - start).days // PERIOD_DAYS[period] + 1 > MAX_PERIODS:
            self.add_error(
                None, _("Too many periods: choose longer periods or a shorter time span.")
            )

    def slice(self) -> Slice:
        data = self.cleaned_data
        return Slice(
            start=data["start"],
            end=data["end"],
            department_id=data["department"].pk if data["department"] else None,
            unit_id=data["unit"].pk if data["unit"] else None,
            task_id=data["task"].pk if data["task"] else None,
        )


class KpiForm(SliceForm):
    period = forms.ChoiceField(
        label=_("Trend per"), choices=PERIOD_CHOICES, initial="month", required=False
    )

    def clean_period(self) -> str:
        return str(self.cleaned_data.get("period") or "month")


class CostForm(SliceForm):
    by = forms.ChoiceField(
        label=_("Cost per"),
        choices=[("channel", _("Channel")), ("task", _("Task")), ("unit", _("Unit"))],
        initial="channel",
        required=False,
    )
    table = forms.ModelChoiceField(
        queryset=UnitCostTable.objects.all(),
        required=False,
        label=_("Unit-cost table"),
        empty_label=_("The one in use"),
    )

    def clean_by(self) -> str:
        return str(self.cleaned_data.get("by") or "channel")


class WhatIfForm(forms.Form):
    source = forms.ChoiceField(label=_("Move contacts from"), choices=Channel.choices)
    target = forms.ChoiceField(
        label=_("To"),
        choices=[("", _("Nowhere: they are not made")), *Channel.choices],
        required=False,
    )
    percent = forms.DecimalField(
        label=_("Share moved (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )

    @property
    def share(self) -> Decimal:
        return Decimal(self.cleaned_data["percent"]) / 100


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Preset"), choices=[(name, name) for name in PRESETS])
    name = forms.CharField(label=_("Name"), max_length=100, required=False)


class UnitCostsForm(forms.Form):
    """A field per channel: kroner per contact; blank removes the channel's price."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for channel, label in Channel.choices:
            self.fields[channel] = forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=9, decimal_places=2
            )

    def costs(self) -> dict[str, Decimal | None]:
        return {channel: self.cleaned_data[channel] for channel in Channel.values}


class QueuePeriodForm(forms.Form):
    """The days of the service centres' waiting and handling time."""

    start = BoundedDateField(label=_("From"), widget=DATE)
    end = BoundedDateField(label=_("To"), widget=DATE)
