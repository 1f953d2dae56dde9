from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from indgang.audit.constants import Purpose, Via
from indgang.catalogue.constants import Channel
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import is_redacted
from indgang.deadlines.constants import CONTACT_KIND_CHOICES
from indgang.deadlines.selectors import open_deadlines_of
from indgang.journal.selectors import journal_entries_of
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.overview.selectors import (
    PartyHit,
    find_parties_for,
    get_party_overview,
    read_access_log_for,
    recognise_caller,
)
from indgang.parties.models import Party
from indgang.parties.selectors import SEARCH_LIMIT, phone_digits_enough


@require_http_methods(["GET", "POST"])
@staff_view
def party_find(request: HttpRequest) -> HttpResponse:
    """Find a citizen or company as one types: the page, and (htmx) its result list.

    The query is posted, never put in the address: it may be a CPR number.
    """
    text = request.POST.get("q", "")
    purpose = _purpose(request.POST.get("purpose"))
    hits: list[PartyHit] = []
    error = ""
    if text.strip():
        try:
            hits = find_parties_for(
                user=acting_user(request),
                scope=request_scope(request),
                text=text,
                purpose=purpose,
                via=Via.UI,
                now=timezone.now(),
            )
        except ValidationError as refused:
            error = refused.messages[0]
    context = {
        "text": text,
        "purpose": purpose,
        "purposes": Purpose.choices,
        "hits": hits,
        "error": error,
        "searched": bool(text.strip()) and not error,
        "limit": SEARCH_LIMIT,
    }
    if request.headers.get("HX-Request"):
        return render(request, "overview/party_hits.html", context)
    return render(request, "overview/party_find.html", context, status=400 if error else 200)


@require_POST
@staff_view
def caller_lookup(request: HttpRequest) -> HttpResponse:
    """The front desk's caller look-up: who has this phone number, and their newest contact."""
    phone = request.POST.get("caller_phone", "")
    hits = recognise_caller(
        user=acting_user(request), scope=request_scope(request), phone=phone, now=timezone.now()
    )
    return render(
        request,
        "overview/caller.html",
        {
            "hits": [
                (hit, Channel(hit.last_channel).label if hit.last_channel else "") for hit in hits
            ],
            "whole": phone_digits_enough(phone),
        },
    )


def _purpose(value: str | None) -> Purpose:
    return Purpose(value) if value in Purpose.values else Purpose.CONTACT


@staff_view
def party_overview(request: HttpRequest, party_id: int) -> HttpResponse:
    scope = request_scope(request)
    try:
        overview = get_party_overview(
            user=acting_user(request),
            scope=scope,
            party_id=party_id,
            purpose=_purpose(request.GET.get("purpose")),
            via=Via.UI,
            now=timezone.now(),
        )
    except Party.DoesNotExist as error:
        raise Http404 from error
    threads = [
        (view, [(c, is_redacted(scope=scope, contact=c)) for c in view.contacts])
        for view in overview.threads
    ]
    return render(
        request,
        "overview/party_overview.html",
        {
            "overview": overview,
            "threads": threads,
            "channel_counts": [
                (Channel(code).label, count) for code, count in overview.channel_counts.items()
            ],
            "may_read_access_log": scope.may_read_access_log,
            "deadlines": open_deadlines_of(
                scope=scope,
                user=acting_user(request),
                model=Contact,
                ids=[c.pk for view in overview.threads for c in view.contacts],
            ),
            "journal": journal_entries_of(
                model=Thread,
                ids=[view.thread.pk for view in overview.threads if view.subject_visible],
            ),
            "now": timezone.now(),
            "deadline_kinds": CONTACT_KIND_CHOICES,
        },
    )


@staff_view
def party_access_log(request: HttpRequest, party_id: int) -> HttpResponse:
    try:
        party, entries = read_access_log_for(
            user=acting_user(request),
            scope=request_scope(request),
            party_id=party_id,
            via=Via.UI,
            now=timezone.now(),
        )
    except Party.DoesNotExist as error:
        raise Http404 from error
    return render(
        request, "overview/access_log.html", {"party": party, "entries": list(entries[:500])}
    )
