"""The manager's dashboard and the half-yearly status report as pages (and the report as PDF)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from indgang.letters.rendering import pdf_of
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import request_scope
from indgang.statistics.dashboard.forms import DashboardForm, StatusReportForm
from indgang.statistics.dashboard.panels import build_dashboard
from indgang.statistics.dashboard.report import build_status_report
from indgang.statistics.selectors import statistics_scope


@staff_view
def dashboard(request: HttpRequest) -> HttpResponse:
    """The panels for the filters in the query (the last twelve months by month by default);
    an htmx request gets the panels alone."""
    scope = request_scope(request)
    departments = statistics_scope(scope)  # refuses everyone but managers and administrators
    query = (
        request.GET if "start" in request.GET else DashboardForm.initial_query(timezone.localdate())
    )
    form = DashboardForm(query, departments=departments)
    valid = form.is_valid()
    context = {
        "form": form,
        "panels": build_dashboard(
            scope=scope, slice=form.slice(), period=form.period_value, now=timezone.now()
        )
        if valid
        else [],
    }
    template = (
        "statistics/_panels.html"
        if request.headers.get("HX-Request")
        else "statistics/dashboard.html"
    )
    return render(request, template, context, status=200 if valid else 400)


@staff_view
def status_report(request: HttpRequest) -> HttpResponse:
    """The half-yearly status report of a department, as a page or (`format=pdf`) a PDF."""
    scope = request_scope(request)
    departments = statistics_scope(scope)
    form = StatusReportForm(request.GET if request.GET else None, departments=departments)
    if not form.is_valid():
        return render(
            request,
            "statistics/status_report.html",
            {"form": form, "report": None},
            status=400 if request.GET else 200,
        )
    data = form.cleaned_data
    report = build_status_report(
        scope=scope,
        department=data["department"],
        year=data["year"],
        half=data["half"],
        now=timezone.now(),
    )
    if data["format"] == "pdf":
        html = render_to_string("statistics/status_report_pdf.html", {"report": report}, request)
        response = HttpResponse(pdf_of(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{report.file_name}.pdf"'
        return response
    pdf_query = request.GET.copy()
    pdf_query["format"] = "pdf"
    return render(
        request,
        "statistics/status_report.html",
        {"form": form, "report": report, "pdf_query": pdf_query.urlencode()},
    )
