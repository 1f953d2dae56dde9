"""The dashboard's filters and the status report's choice of department and half-year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.catalogue.models import Task
from indgang.common.forms import BoundedDateField
from indgang.organisation.models import Department, Unit
from indgang.statistics.dashboard.panels import PANEL_PERIODS, period_starts
from indgang.statistics.selectors import Period, Slice

# More columns than this do not fit a chart: a year by week is the most.
MAX_PERIODS = 60
PERIOD_CHOICES = [
    ("week", gettext_lazy("Week")),
    ("month", gettext_lazy("Month")),
    ("quarter", gettext_lazy("Quarter")),
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the first day of the month eleven months back to today: twelve months by month."""
    month = today.year * 12 + today.month - 1 - 11
    return dt.date(month // 12, month % 12 + 1, 1), today


def visible_departments(departments: frozenset[int] | None) -> QuerySet[Department]:
    """The departments a statistics scope covers (None: all of them)."""
    queryset = Department.objects.order_by("name")
    return queryset if departments is None else queryset.filter(pk__in=departments)


class DashboardForm(forms.Form):
    start = BoundedDateField(label=gettext_lazy("From"), widget=DATE_INPUT)
    end = BoundedDateField(label=gettext_lazy("To"), widget=DATE_INPUT)
    period = forms.ChoiceField(label=gettext_lazy("By"), choices=PERIOD_CHOICES)
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label=gettext_lazy("Department"),
        empty_label=gettext_lazy("All"),
    )
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=gettext_lazy("Unit"),
        empty_label=gettext_lazy("All"),
    )
    task: forms.ModelChoiceField[Task] = forms.ModelChoiceField(
        queryset=Task.objects.none(),
        required=False,
        label=gettext_lazy("Task"),
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, data: Any, *, departments: frozenset[int] | None) -> None:
        super().__init__(data)
        visible = visible_departments(departments)
        self.fields["department"].queryset = visible  # type: ignore[attr-defined]
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(department__in=visible)
            .select_related("department")
            .order_by("department__name", "name")
        )
        self.fields["task"].queryset = Task.objects.filter(  # type: ignore[attr-defined]
            department__in=visible
        ).order_by("title")

    @classmethod
    def initial_query(cls, today: dt.date) -> dict[str, str]:
        start, end = last_twelve_months(today)
        return {"start": start.isoformat(), "end": end.isoformat(), "period": "month"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, period = data.get("start"), data.get("end"), data.get("period")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if start > end:
                self.add_error("end", _("The period must end on or after the day it starts."))
            elif period and len(period_starts(start, end, period)) > MAX_PERIODS:
                self.add_error(
                    "period",
                    _("More than %(count)d columns: choose a shorter period or a coarser one.")
                    % {"count": MAX_PERIODS},
                )
        return data

    @property
    def period_value(self) -> Period:
        period = self.cleaned_data["period"]
        assert period in PANEL_PERIODS  # noqa: S101 - the field's choices
        return period  # type: ignore[no-any-return]

    def slice(self) -> Slice:
        data = self.cleaned_data
        return Slice(
            start=data["start"],
            end=data["end"],
            department_id=data["department"].pk if data["department"] else None,
            unit_id=data["unit"].pk if data["unit"] else None,
            task_id=data["task"].pk if data["task"] else None,
        )


HALF_CHOICES = [
    ("1", gettext_lazy("First half (January–June)")),
    ("2", gettext_lazy("Second half (July–December)")),
]
FORMAT_CHOICES = [("html", "HTML"), ("pdf", "PDF")]


class StatusReportForm(forms.Form):
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=gettext_lazy("Department")
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=gettext_lazy("Half-year"), choices=HALF_CHOICES, coerce=int)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, required=False)

    def __init__(self, data: Any, *, departments: frozenset[int] | None) -> None:
        super().__init__(data)
        self.fields["department"].queryset = visible_departments(departments)  # type: ignore[attr-defined]
