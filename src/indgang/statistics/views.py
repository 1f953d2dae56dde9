"""The statistics pages: goals and KPIs, costs with the what-if, the KomHen export, and the
self-service solutions' funnels with their advice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indgang.common.forms import BoundedDateField
from indgang.organisation.decorators import staff_view
from indgang.organisation.models import Department
from indgang.organisation.requests import request_scope
from indgang.statistics.forms import (
    CostForm,
    KpiForm,
    PresetForm,
    QueuePeriodForm,
    SliceForm,
    UnitCostsForm,
    WhatIfForm,
)
from indgang.statistics.funnels import funnel_report, self_service_advice
from indgang.statistics.goals import list_kpis
from indgang.statistics.komhen import KomHenSheet, komhen_csv, komhen_sheet, komhen_xlsx
from indgang.statistics.models import UnitCostTable
from indgang.statistics.pricing import (
    create_unit_cost_table_from_preset,
    get_unit_cost_table,
    list_costs,
    list_unit_cost_tables,
    put_unit_cost_table_in_use,
    set_unit_costs,
    unit_costs_of,
    what_if,
)
from indgang.statistics.selectors import statistics_scope
from indgang.statistics.visits import queue_times


def _this_year(today: dt.date) -> dict[str, str]:
    return {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}


def _last_week(today: dt.date) -> dict[str, str]:
    monday = today - dt.timedelta(days=today.weekday() + 7)
    return {"start": monday.isoformat(), "end": (monday + dt.timedelta(days=6)).isoformat()}


def _bound(
    request: HttpRequest, form_class: type[SliceForm], defaults: dict[str, str]
) -> SliceForm:
    """The form from the query, or from the defaults when the query has no period; the
    departments offered are those the user's statistics cover (refused for others)."""
    departments = statistics_scope(request_scope(request))
    query: Any = request.GET if "start" in request.GET else {**defaults, **request.GET.dict()}
    form = form_class(query, departments=departments)
    form.is_valid()
    return form


@staff_view
def goals(request: HttpRequest) -> HttpResponse:
    """The KPIs of a slice against their goals, with the digital share's trend."""
    form = _bound(request, KpiForm, {**_this_year(timezone.localdate()), "period": "month"})
    kpis = (
        list_kpis(
            scope=request_scope(request),
            slice=form.slice(),
            period=form.cleaned_data["period"],
            now=timezone.now(),
        )
        if form.is_valid()
        else []
    )
    return render(
        request,
        "statistics/goals.html",
        {
            "form": form,
            "goal_kpis": [kpi for kpi in kpis if ":" not in kpi.metric],
            "group_kpis": [kpi for kpi in kpis if kpi.metric.startswith("channel_group:")],
            "channel_kpis": [kpi for kpi in kpis if kpi.metric.startswith("channel:")],
            "digital": kpis[0] if kpis else None,
        },
        status=200 if form.is_valid() else 400,
    )


def _costs_context(request: HttpRequest) -> dict[str, Any]:
    scope = request_scope(request)
    form = _bound(request, CostForm, {**_this_year(timezone.localdate()), "by": "channel"})
    context: dict[str, Any] = {
        "form": form,
        "tables": list_unit_cost_tables(scope=scope),
        "may_edit": scope.sees_all,
        "preset_form": PresetForm(),
    }
    if not form.is_valid():
        return context
    chosen = form.cleaned_data["table"]
    try:
        table = get_unit_cost_table(scope=scope, table_id=chosen.pk if chosen else None)
    except ValidationError as error:
        context["table_error"] = error.messages[0]
        return context
    context.update(
        table=table,
        rows=list_costs(
            scope=scope,
            slice=form.slice(),
            unit_costs=unit_costs_of(table),
            by=form.cleaned_data["by"],
        ),
        what_if_form=WhatIfForm(
            initial={"source": "email", "target": "selfservice", "percent": 100}
        ),
        # The what-if form carries the slice shown, so that it prices the same contacts.
        slice_fields=[
            (name, form.data[name])
            for name in ("start", "end", "department", "unit", "task", "table")
            if form.data.get(name)
        ],
    )
    return context


@staff_view
def costs(request: HttpRequest) -> HttpResponse:
    """The cost of a slice's contacts per channel, task or unit, with the what-if form, and the
    unit-cost tables (administrators edit them here)."""
    context = _costs_context(request)
    return render(
        request, "statistics/costs.html", context, status=200 if context["form"].is_valid() else 400
    )


@staff_view
def costs_what_if(request: HttpRequest) -> HttpResponse:
    """The what-if's answer, which htmx swaps into the costs page (without htmx: the costs page
    with the answer in place). The slice comes from the query, the move from the form."""
    scope = request_scope(request)
    form = _bound(request, CostForm, _this_year(timezone.localdate()))
    move = WhatIfForm(request.GET)
    result = None
    error = ""
    if form.is_valid() and move.is_valid():
        chosen = form.cleaned_data["table"]
        try:
            table = get_unit_cost_table(scope=scope, table_id=chosen.pk if chosen else None)
            result = what_if(
                scope=scope,
                slice=form.slice(),
                unit_costs=unit_costs_of(table),
                source=move.cleaned_data["source"],
                target=move.cleaned_data["target"] or None,
                share=move.share,
            )
        except ValidationError as refused:
            error = refused.messages[0]
    answer = {"result": result, "error": error, "move": move}
    status = 200 if result else 400
    if request.headers.get("HX-Request"):
        return render(request, "statistics/_what_if.html", {**answer, "form": form}, status=status)
    context = _costs_context(request)
    context.update(answer, what_if_form=move)
    return render(request, "statistics/costs.html", context, status=status)


@require_POST
@staff_view
def unit_cost_table_from_preset(request: HttpRequest) -> HttpResponse:
    form = PresetForm(request.POST)
    if form.is_valid():
        create_unit_cost_table_from_preset(
            scope=request_scope(request),
            preset=form.cleaned_data["preset"],
            name=form.cleaned_data["name"],
        )
    return redirect("statistics:costs")


@require_POST
@staff_view
def unit_cost_table_edit(request: HttpRequest, table_id: int) -> HttpResponse:
    table = get_object_or_404(UnitCostTable, pk=table_id)
    form = UnitCostsForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors.as_text())
    set_unit_costs(scope=request_scope(request), table=table, costs=form.costs())
    return redirect("statistics:costs")


@require_POST
@staff_view
def unit_cost_table_use(request: HttpRequest, table_id: int) -> HttpResponse:
    table = get_object_or_404(UnitCostTable, pk=table_id)
    put_unit_cost_table_in_use(scope=request_scope(request), table=table)
    return redirect("statistics:costs")


def _komhen(request: HttpRequest) -> tuple[SliceForm, KomHenSheet | None]:
    form = _bound(request, SliceForm, _last_week(timezone.localdate()))
    if not form.is_valid():
        return form, None
    return form, komhen_sheet(scope=request_scope(request), slice=form.slice())


@staff_view
def komhen(request: HttpRequest) -> HttpResponse:
    """The KomHen counting sheet of a period (last week by default) with its downloads."""
    form, sheet = _komhen(request)
    return render(
        request,
        "statistics/komhen.html",
        {"form": form, "sheet": sheet, "query": request.GET.urlencode()},
        status=200 if sheet else 400,
    )


def _download(request: HttpRequest, *, extension: str) -> HttpResponse:
    form, sheet = _komhen(request)
    if sheet is None:
        return render(request, "statistics/komhen.html", {"form": form, "sheet": None}, status=400)
    if extension == "csv":
        response = HttpResponse(komhen_csv(sheet), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            komhen_xlsx(sheet),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="komhen-{sheet.slice.start}-{sheet.slice.end}.{extension}"'
    )
    return response


@staff_view
def komhen_csv_download(request: HttpRequest) -> HttpResponse:
    return _download(request, extension="csv")


@staff_view
def komhen_xlsx_download(request: HttpRequest) -> HttpResponse:
    return _download(request, extension="xlsx")


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


@staff_view
def queue_statistics(request: HttpRequest) -> HttpResponse:
    """Waiting and handling time per service centre and hour of the day (the last 30 days by
    default)."""
    today = timezone.localdate()
    query: Any = (
        request.GET
        if "start" in request.GET
        else {"start": (today - dt.timedelta(days=29)).isoformat(), "end": today.isoformat()}
    )
    form = QueuePeriodForm(query)
    rows = None
    if form.is_valid():
        try:
            rows = queue_times(
                scope=request_scope(request),
                first=form.cleaned_data["start"],
                last=form.cleaned_data["end"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
    return render(
        request,
        "statistics/queue.html",
        {"form": form, "rows": rows},
        status=200 if rows is not None else 400,
    )
