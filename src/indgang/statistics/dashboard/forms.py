"""The dashboard's filters and the status report's choice of department and half-year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.organisation.models import Department
from indgang.statistics.dashboard.panels import PANEL_PERIODS, period_starts
from indgang.statistics.forms import SliceForm, visible_departments
from indgang.statistics.selectors import Period

# More columns than this do not fit a chart: a year by week is the most.
MAX_PERIODS = 60
PERIOD_CHOICES = [
    ("week", gettext_lazy("Week")),
    ("month", gettext_lazy("Month")),
    ("quarter", gettext_lazy("Quarter")),
]


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the first day of the month eleven months back to today: twelve months by month."""
    month = today.year * 12 + today.month - 1 - 11
    return dt.date(month // 12, month % 12 + 1, 1), today


class DashboardForm(SliceForm):
    """The statistics pages' slice, by week, month or quarter: one chart column each."""

    period = forms.ChoiceField(label=gettext_lazy("By"), choices=PERIOD_CHOICES)

    @classmethod
    def initial_query(cls, today: dt.date) -> dict[str, str]:
        start, end = last_twelve_months(today)
        return {"start": start.isoformat(), "end": end.isoformat(), "period": "month"}

    def check_periods(self, start: dt.date, end: dt.date, period: Period) -> None:
        if len(period_starts(start, end, period)) > MAX_PERIODS:
            self.add_error(
                "period",
                _("More than %(count)d columns: choose a shorter period or a coarser one.")
                % {"count": MAX_PERIODS},
            )

    @property
    def period_value(self) -> Period:
        period = self.cleaned_data["period"]
        assert period in PANEL_PERIODS  # noqa: S101 - the field's choices
        return period  # type: ignore[no-any-return]


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
