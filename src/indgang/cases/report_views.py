"""The work lists and the servicemål report as pages (the case screen is views.py's)."""

from __future__ import annotations

import csv
import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.cases.reports import (
    ReportRow,
    ServiceTargetReport,
    list_work_for,
    servicemal_report,
    work_list_units,
)
from indgang.common.inputs import parse_id
from indgang.organisation.decorators import staff_view
from indgang.organisation.models import Unit
from indgang.organisation.requests import acting_user, request_scope

ROWS_PER_PAGE = 50
MAX_QUERY = 200


def _work_page(
    request: HttpRequest, *, title: str, caseworker: User | None, unit_id: int | None
) -> HttpResponse:
    """A page of the work list; the applicants shown are logged as read."""
    scope = request_scope(request)
    q = request.GET.get("q", "")[:MAX_QUERY]
    cases = list_work_for(
        scope=scope, today=timezone.localdate(), unit_id=unit_id, caseworker=caseworker, q=q
    )
    page = Paginator(cases, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    log_reads(
        user=acting_user(request),
        party_ids=(case.party_id for case in page.object_list),
        action=AccessAction.LISTED_CASES,
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        at=timezone.now(),
    )
    template = (
        "cases/_work_rows.html" if request.headers.get("HX-Request") else "cases/work_list.html"
    )
    return render(
        request,
        template,
        {
            "title": title,
            "page": page,
            "unit_id": unit_id,
            "units": None if caseworker else work_list_units(scope=scope),
            "q": q,
            "query": urlencode(
                {key: value for key, value in (("unit", unit_id), ("q", q)) if value}
            ),
        },
    )


@staff_view
def work_list(request: HttpRequest) -> HttpResponse:
    """A unit's open cases, most urgent first (your own unit's unless another is chosen)."""
    unit_id = parse_id(request.GET.get("unit")) or request_scope(request).home_unit_id
    return _work_page(request, title=_("Work list"), caseworker=None, unit_id=unit_id)


@staff_view
def my_cases(request: HttpRequest) -> HttpResponse:
    """The open cases you are a caseworker on, most urgent first."""
    return _work_page(request, title=_("My cases"), caseworker=acting_user(request), unit_id=None)


class ReportForm(forms.Form):
    decided_from = forms.DateField(
        label=gettext_lazy("Decided from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decided_to = forms.DateField(
        label=gettext_lazy("Decided to"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Unit"), empty_label=gettext_lazy("All")
    )

    def __init__(self, *args: object, request: HttpRequest, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = work_list_units(scope=request_scope(request))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("decided_from"), data.get("decided_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("decided_to", _("The period must end on or after the day it starts."))
        return data


def _report_from(request: HttpRequest) -> tuple[ReportForm, ServiceTargetReport | None]:
    """The form from the query (this year so far by default) and its report, if it is valid."""
    today = timezone.localdate()
    query = (
        request.GET
        if "decided_from" in request.GET
        else {
            "decided_from": today.replace(month=1, day=1).isoformat(),
            "decided_to": today.isoformat(),
        }
    )
    form = ReportForm(query, request=request)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, servicemal_report(
        scope=request_scope(request),
        decided_from=data["decided_from"],
        decided_to=data["decided_to"],
        today=today,
        unit_id=data["unit"].pk if data["unit"] else None,
    )


def _tables(report: ServiceTargetReport) -> list[tuple[str, list[ReportRow]]]:
    return [
        (_("By servicemål category"), report.by_category),
        (_("By service-need type"), report.by_service_need_type),
        (_("With and without a pre-application meeting"), report.by_pre_meeting),
    ]


@staff_view
def report(request: HttpRequest) -> HttpResponse:
    """The servicemål report with a bar for each group's share on target."""
    form, result = _report_from(request)
    return render(
        request,
        "cases/servicemal_report.html",
        {
            "form": form,
            "tables": _tables(result) if result else [],
            "csv_query": request.GET.urlencode(),
        },
        status=200 if result else 400,
    )


@staff_view
def report_csv(request: HttpRequest) -> HttpResponse:
    """The same report as CSV (semicolons and decimal commas, as Danish spreadsheets read it)."""
    form, result = _report_from(request)
    if result is None:
        return render(
            request, "cases/servicemal_report.html", {"form": form, "tables": []}, status=400
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="servicemaal-{result.decided_from}-{result.decided_to}.csv"'
    )
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Table"),
            _("Group"),
            _("Decided"),
            _("On target"),
            _("Share on target (%)"),
            _("Median days"),
            _("Open over target"),
        ]
    )
    for title, rows in _tables(result):
        for row in rows:
            share = row.share_on_target
            writer.writerow(
                [
                    title,
                    row.label,
                    row.decided,
                    row.on_target,
                    "" if share is None else f"{share * 100:.1f}".replace(".", ","),
                    "" if row.median_days is None else f"{row.median_days:g}".replace(".", ","),
                    row.open_over_target,
                ]
            )
    return response
