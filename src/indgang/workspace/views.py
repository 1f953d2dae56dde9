"""The staff pages that compose several apps: the start page, the front desk and the contact
page. They sit above contacts, triage, knowledge and cases, so those never import each other's
views (docs/architecture.md, "Layering")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access, log_reads
from indgang.cases.selectors import cases_linked_to, list_party_cases_for
from indgang.cases.services import link_contact
from indgang.catalogue.constants import Channel
from indgang.common.forms import add_refusal
from indgang.contacts.constants import Outcome
from indgang.contacts.forms import CaseLinkForm, ContactEditForm, ContactNoteForm, RerouteForm
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import (
    get_contact_in_full,
    get_contact_page,
    recent_threads_for,
    visible_contacts,
    visible_threads,
)
from indgang.contacts.services import (
    ContactEdit,
    NewContact,
    add_contact_note,
    edit_contact,
    register_contact,
)
from indgang.deadlines.constants import CONTACT_KIND_CHOICES
from indgang.deadlines.selectors import open_deadlines_of
from indgang.journal.forms import DocumentForm
from indgang.journal.selectors import list_documents
from indgang.knowledge.services import record_knowledge_choice
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.organisation.selectors import Scope
from indgang.parties.identifiers import InvalidIdentifierError, parse_identifier
from indgang.parties.selectors import find_citizen, find_company
from indgang.triage.services import record_front_desk_routing, record_routing
from indgang.workspace.forms import FrontDeskContactForm
from indgang.workspace.selectors import get_start_page


@staff_view
def start(request: HttpRequest) -> HttpResponse:
    """The panels of every role the user holds; the parties they show are logged as read."""
    user, now = acting_user(request), timezone.now()
    page = get_start_page(scope=request_scope(request), user=user, now=now)
    for read in page.party_reads():
        log_reads(
            user=user,
            party_ids=read.party_ids,
            action=read.action,
            purpose=read.purpose,
            via=Via.UI,
            at=now,
        )
    return render(request, "workspace/start.html", {"page": page, "now": now})


# --- The front desk ------------------------------------------------------------------------


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
            add_refusal(form, error)
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


# --- The contact page -----------------------------------------------------------------------


@staff_view
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Everything about one contact, with its history, notes, documents, deadlines and cases."""
    return _contact_page(request, contact_id)


def _contact_page(
    request: HttpRequest, contact_id: int, *, refused: dict[str, forms.Form] | None = None
) -> HttpResponse:
    """The page, with a refused form (by name) shown with its errors and the status 400."""
    scope = request_scope(request)
    try:
        page = get_contact_page(scope=scope, contact_id=contact_id)
    except Contact.DoesNotExist as error:
        raise Http404 from error
    contact = page.contact
    log_reads(
        user=acting_user(request),
        party_ids=[contact.party_id],
        action=AccessAction.VIEWED_CONTACT,
        purpose=Purpose.CONTACT,
        via=Via.UI,
        at=timezone.now(),
    )
    refused = refused or {}
    context: dict[str, Any] = {
        "page": page,
        "contact": contact,
        "route_form": refused.get("route") or RerouteForm(initial={"task": contact.task_id}),
    }
    if not page.redacted:
        context |= {
            "edit_form": refused.get("edit") or ContactEditForm.for_contact(contact),
            "note_form": refused.get("note") or ContactNoteForm(),
            "document_form": refused.get("document") or DocumentForm(),
            "case_form": refused.get("case") or CaseLinkForm(),
            "documents": list(list_documents(subject=contact)),
            "deadlines": open_deadlines_of(
                scope=scope, user=acting_user(request), model=Contact, ids=[contact.pk]
            ).get(contact.pk, []),
            "deadline_kinds": CONTACT_KIND_CHOICES,
            "cases": cases_linked_to(scope=scope, contact_id=contact.pk),
            "party_cases": (
                list_party_cases_for(scope=scope, party_id=contact.party_id, limit=20)
                if contact.party_id
                else []
            ),
        }
    return render(request, "contacts/contact_detail.html", context, status=400 if refused else 200)


def _contact_or_404(scope: Scope, contact_id: int) -> Contact:
    """The contact in full, if the scope may see it; else 404, as for one that does not exist."""
    try:
        return get_contact_in_full(scope=scope, contact_id=contact_id)
    except Contact.DoesNotExist as error:
        raise Http404 from error


def _done(request: HttpRequest, contact_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("contact-detail", contact_id=contact_id)


@require_POST
@staff_view
def edit_contact_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Save the edit form: each changed field becomes a line of the contact's history."""
    scope = request_scope(request)
    contact = _contact_or_404(scope, contact_id)
    form = ContactEditForm.for_contact(contact, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = edit_contact(
                contact_id=contact.pk,
                edit=ContactEdit(
                    summary=data["summary"],
                    channel=data["channel"],
                    outcome=data["outcome"],
                    duration_seconds=form.duration_seconds(contact),
                ),
                scope=scope,
                by=acting_user(request),
                now=timezone.now(),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if not changes:
                return _done(request, contact.pk, _("Nothing was changed."))
            return _done(request, contact.pk, _("The contact is saved."))
    return _contact_page(request, contact_id, refused={"edit": form})


@require_POST
@staff_view
def add_note_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    scope = request_scope(request)
    form = ContactNoteForm(request.POST)
    if form.is_valid():
        try:
            add_contact_note(
                contact_id=contact_id,
                text=form.cleaned_data["text"],
                scope=scope,
                by=acting_user(request),
                now=timezone.now(),
            )
        except Contact.DoesNotExist as error:
            raise Http404 from error
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return _done(request, contact_id, _("The note is added."))
    return _contact_page(request, contact_id, refused={"note": form})


@require_POST
@staff_view
def attach_document_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Attach a document to the contact, through the journal's upload rules (type, size, scan)."""
    contact = _contact_or_404(request_scope(request), contact_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            form.upload_to(contact, by=acting_user(request), now=timezone.now())
        except ValidationError as error:
            add_refusal(form, error)
        else:
            return _done(request, contact.pk, _("The document is attached to the contact."))
    return _contact_page(request, contact_id, refused={"document": form})


@require_POST
@staff_view
def reroute_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Route the contact to another task (and unit), as triage's queue does: a labelled example."""
    scope = request_scope(request)
    try:
        contact = visible_contacts(scope=scope).select_related("party", "unit").get(pk=contact_id)
    except Contact.DoesNotExist as error:
        raise Http404 from error
    form = RerouteForm(request.POST)
    if form.is_valid():
        try:
            record_routing(
                contact=contact,
                task=form.cleaned_data["task"],
                unit=form.cleaned_data["unit"],
                decided_by=acting_user(request),
                now=timezone.now(),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if visible_contacts(scope=scope).filter(pk=contact.pk).exists():
                return _done(request, contact.pk, _("The contact is routed."))
            messages.success(request, _("The contact is routed to a unit you cannot see."))
            return redirect("contact-list")
    return _contact_page(request, contact_id, refused={"route": form})


@require_POST
@staff_view
def link_case_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Link the contact to one of the cases the user may change."""
    scope = request_scope(request)
    contact = _contact_or_404(scope, contact_id)
    form = CaseLinkForm(request.POST)
    if form.is_valid():
        try:
            link_contact(
                case_id=form.cleaned_data["case"],
                contact_id=contact.pk,
                by=acting_user(request),
                scope=scope,
                now=timezone.now(),
            )
        except ObjectDoesNotExist:
            form.add_error("case", _("There is no such case that you may see."))
        except ValidationError as error:
            add_refusal(form, error, field="case")
        else:
            return _done(request, contact.pk, _("The contact is linked to the case."))
    return _contact_page(request, contact_id, refused={"case": form})
