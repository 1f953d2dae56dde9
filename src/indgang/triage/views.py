from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.triage import selectors, services
from indgang.triage.forms import QueueRouteForm
from indgang.triage.models import QueueItem

QUEUE_PAGE = 50


@staff_view
@require_POST
def front_desk_suggestions(request: HttpRequest) -> HttpResponse:
    """The front desk's live panel: suggestions for the summary typed so far (POST: no text in
    URLs or access logs)."""
    text = request.POST.get("summary", "").strip()
    suggestions = (
        selectors.suggest(text=text, channel=request.POST.get("channel", "")) if text else None
    )
    return render(
        request,
        "triage/suggestions.html",
        {"suggestions": suggestions, "chosen": request.POST.get("task", "")},
    )


@staff_view
def queue(request: HttpRequest) -> HttpResponse:
    """Contacts triage was not sure about, oldest first, with the suggestions and their words."""
    scope = request_scope(request)
    page = selectors.open_queue_page(scope=scope, limit=QUEUE_PAGE)
    log_reads(
        user=acting_user(request),
        party_ids=(row.item.contact.party_id for row in page),
        action=AccessAction.LISTED_CONTACTS,
        purpose=Purpose.ROUTING,
        via=Via.UI,
        at=timezone.now(),
    )
    rows = [(row.item, row.redacted, row.suggestions) for row in page]
    return render(
        request,
        "triage/queue.html",
        {
            "rows": rows,
            "total": selectors.list_open_queue(scope=scope).count(),
            "form": QueueRouteForm(),
        },
    )


@staff_view
@require_POST
def route_queue_item(request: HttpRequest, item_id: int) -> HttpResponse:
    scope = request_scope(request)
    try:
        item = selectors.get_open_queue_item_for(scope=scope, item_id=item_id)
    except QueueItem.DoesNotExist:
        messages.error(request, _("The contact has already been routed, or you may not see it."))
        return redirect("triage-queue")
    form = QueueRouteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("triage-queue")
    try:
        decision = services.route_from_queue(
            item=item,
            task=form.cleaned_data["task"],
            unit=form.cleaned_data["unit"],
            decided_by=acting_user(request),
            now=timezone.now(),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Routed to %(task)s (%(unit)s).")
            % {"task": decision.task.title, "unit": decision.unit or "-"},
        )
    return redirect("triage-queue")
