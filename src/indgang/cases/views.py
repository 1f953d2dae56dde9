"""The caseworker's case screen: read through the cases selector, act through its services."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.cases.constants import DecisionOutcome, ServiceNeedType
from indgang.cases.forms import CaseActionForm, ServiceNeedForm
from indgang.cases.lifecycle import DECIDING
from indgang.cases.models import Case
from indgang.cases.selectors import get_case_screen
from indgang.cases.services import change_service_need_type, take_action
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope


@staff_view
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case at a glance; reading it logs the applicant's personal data as read."""
    try:
        screen = get_case_screen(
            scope=request_scope(request), case_id=case_id, today=timezone.localdate()
        )
    except Case.DoesNotExist as error:
        raise Http404 from error
    log_reads(
        user=acting_user(request),
        party_ids=[screen.case.party_id],
        action=AccessAction.VIEWED_CASE,
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        at=timezone.now(),
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "screen": screen,
            "case": screen.case,
            "deciding": DECIDING,
            "outcomes": DecisionOutcome.choices,
            "service_need_types": ServiceNeedType.choices,
        },
    )


def _submit(
    request: HttpRequest, case_id: int, form: forms.Form, service: Callable[[forms.Form], Case]
) -> HttpResponse:
    """Validate the form and call the service; a refusal shows its Danish message(s) on the
    case screen, and the service has changed nothing."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("cases:detail", case_id=case_id)
    try:
        service(form)
    except Case.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("cases:detail", case_id=case_id)


@staff_view
@require_POST
def case_action(request: HttpRequest, case_id: int) -> HttpResponse:
    """Take one step of the state machine from the case screen."""
    return _submit(
        request,
        case_id,
        CaseActionForm(request.POST),
        lambda form: take_action(
            case_id=case_id,
            action=form.cleaned_data["action"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
            note=form.cleaned_data["note"],
            outcome=form.cleaned_data["decision"],
        ),
    )


@staff_view
@require_POST
def change_service_need(request: HttpRequest, case_id: int) -> HttpResponse:
    """Change the case's service-need type, with the reason."""
    return _submit(
        request,
        case_id,
        ServiceNeedForm(request.POST),
        lambda form: change_service_need_type(
            case_id=case_id,
            to_type=form.cleaned_data["service_need_type"],
            reason=form.cleaned_data["reason"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        ),
    )
