"""The self-service page: each solution's funnel and the advice, for managers and
administrators."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.common.forms import BoundedDateField
from indgang.organisation.decorators import staff_view
from indgang.organisation.models import Department
from indgang.organisation.requests import request_scope
from indgang.statistics.funnels import funnel_report, self_service_advice
from indgang.statistics.selectors import statistics_scope

DEFAULT_DAYS = 365

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = BoundedDateField(label=gettext_lazy("From"), widget=DATE)
    end = BoundedDateField(label=gettext_lazy("To"), widget=DATE)
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label=gettext_lazy("Department"),
        empty_label=gettext_lazy("All you may see"),
    )

    def __init__(self, *args: object, departments: frozenset[int] | None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        queryset = Department.objects.order_by("name")
        if departments is not None:
            queryset = queryset.filter(pk__in=departments)
        self.fields["department"].queryset = queryset  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("end", _("The period must end on or after the day it starts."))
        return data


@staff_view
def self_service(request: HttpRequest) -> HttpResponse:
    """Each self-service solution's funnel (steps, reached, drop-off) and the solutions to
    retire or fix, for the year up to today unless another period is chosen."""
    scope = request_scope(request)
    departments = statistics_scope(scope)  # refuses the front line and caseworkers (403)
    today = timezone.localdate()
    query = (
        request.GET
        if "start" in request.GET
        else {
            "start": (today - dt.timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
            "end": today.isoformat(),
        }
    )
    form = PeriodForm(query, departments=departments)
    if not form.is_valid():
        return render(
            request, "statistics/self_service.html", {"form": form, "funnels": None}, status=400
        )
    data = form.cleaned_data
    period = {
        "scope": scope,
        "start": data["start"],
        "end": data["end"],
        "department_id": data["department"].pk if data["department"] else None,
    }
    return render(
        request,
        "statistics/self_service.html",
        {
            "form": form,
            "funnels": funnel_report(**period),
            "advice": self_service_advice(**period),
        },
    )
