from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access, log_reads
from indgang.common.inputs import parse_id
from indgang.common.paging import CappedPaginator
from indgang.contacts.constants import Channel, Outcome
from indgang.contacts.forms import FrontDeskContactForm
from indgang.contacts.models import Thread
from indgang.contacts.selectors import (
    is_redacted,
    list_contacts_for,
    recent_threads_for,
    visible_threads,
)
from indgang.contacts.services import NewContact, register_contact
from indgang.knowledge.services import record_knowledge_choice
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.parties.identifiers import InvalidIdentifierError, parse_identifier
from indgang.parties.selectors import find_citizen, find_company
from indgang.triage.services import record_front_desk_routing


@staff_view
def front_desk(request: HttpRequest) -> HttpResponse:
    """Register a contact in a few keystrokes: identifier, summary, task, outcome button."""
    scope = request_scope(request)
    form = FrontDeskContactForm(request.POST or None, threads=visible_threads(scope=scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cpr, cvr = data["identifier"]
        try:
            contact = register_contact(
                new=NewContact(
                    channel=Channel(data["channel"]),
                    received_at=data["received_at"],
                    summary=data["summary"],
                    cpr=cpr,
                    cvr=cvr,
                    party_name=data["name"],
                    task=data["task"],
                    unit=data["unit"],
                    outcome=Outcome(data["outcome"]),
                    thread=data["thread"],
                    duration_seconds=(
                        data["duration_minutes"] * 60
                        if data["duration_minutes"] is not None
                        else None
                    ),
                ),
                registered_by=acting_user(request),
                registrar=scope,
                now=timezone.now(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            record_front_desk_routing(
                contact=contact, decided_by=acting_user(request), now=timezone.now()
            )
            record_knowledge_choice(
                contact=contact,
                used=data["knowledge_used"],
                by=acting_user(request),
                now=timezone.now(),
            )
            messages.success(
                request,
                _("The contact is registered: %(outcome)s.")
                % {"outcome": contact.get_outcome_display()},
            )
            if contact.party_id:
                return redirect("party-overview", party_id=contact.party_id)
            return redirect("front-desk")
    # A refused form keeps its look-up, threads and choice, so nothing typed is lost.
    lookup = _look_up(request, request.POST.get("identifier", "")) if form.errors else {}
    return render(
        request,
        "contacts/front_desk.html",
        {
            "form": form,
            "outcomes": Outcome.choices,
            "lookup": lookup,
            "chosen_thread": request.POST.get("thread", ""),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_view
def party_lookup(request: HttpRequest) -> HttpResponse:
    """The front desk's live look-up: exact CPR or CVR only, and every hit is logged.

    A POST, so the number never stands in a URL or a web server's access log. A known party
    comes with its recent threads, so a follow-up joins the matter it belongs to.
    """
    return render(
        request, "contacts/party_lookup.html", _look_up(request, request.POST.get("identifier", ""))
    )


def _look_up(request: HttpRequest, typed: str) -> dict[str, Any]:
    try:
        cpr, cvr = parse_identifier(typed)
    except InvalidIdentifierError as error:
        digits = sum(ch.isdigit() for ch in typed)
        # Stay quiet while a number is still being typed.
        return {"error": str(error) if digits > 10 else ""}
    party = find_citizen(cpr=cpr) if cpr else find_company(cvr=cvr) if cvr else None
    threads: list[tuple[Thread, bool]] = []
    if party is not None:
        log_access(
            user=acting_user(request),
            party_id=party.pk,
            action=AccessAction.LOOKED_UP,
            purpose=Purpose.CONTACT,
            via=Via.UI,
            at=timezone.now(),
        )
        scope = request_scope(request)
        threads = [
            (thread, scope.sees_in_full(thread.department_id))
            for thread in recent_threads_for(scope=scope, party_id=party.pk)
        ]
    return {
        "party": party,
        "threads": threads,
        "searched": bool(cpr or cvr),
        "is_company": bool(cvr),
    }


@staff_view
def contact_list(request: HttpRequest) -> HttpResponse:
    """The register page by page; `?channel=` and `?party=` narrow it (the 360 links the latter)."""
    scope = request_scope(request)
    filters = {
        "channel": request.GET.get("channel", "") if request.GET.get("channel") in Channel else "",
        "party": request.GET.get("party", "") if parse_id(request.GET.get("party")) else "",
    }
    contacts = list_contacts_for(
        scope=scope,
        channel=filters["channel"] or None,
        party_id=parse_id(filters["party"]),
    )
    page = CappedPaginator(contacts, 50).get_page(request.GET.get("page"))
    log_reads(
        user=acting_user(request),
        party_ids=(contact.party_id for contact in page),
        action=AccessAction.LISTED_CONTACTS,
        purpose=Purpose.CONTACT,
        via=Via.UI,
        at=timezone.now(),
    )
    rows = [(contact, is_redacted(scope=scope, contact=contact)) for contact in page]
    return render(
        request,
        "contacts/contact_list.html",
        {
            "page": page,
            "rows": rows,
            "channels": Channel.choices,
            **filters,
            "query": urlencode({name: value for name, value in filters.items() if value}),
        },
    )
