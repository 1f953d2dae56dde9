from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indgang.audit.constants import Purpose, Via
from indgang.contacts.constants import Channel
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import is_redacted
from indgang.deadlines.constants import CONTACT_KIND_CHOICES
from indgang.deadlines.selectors import open_deadlines_of
from indgang.journal.selectors import journal_entries_of
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.overview.selectors import get_party_overview, read_access_log_for
from indgang.parties.models import Party


@staff_view
def party_overview(request: HttpRequest, party_id: int) -> HttpResponse:
    scope = request_scope(request)
    purpose = request.GET.get("purpose", Purpose.CONTACT)
    try:
        overview = get_party_overview(
            user=acting_user(request),
            scope=scope,
            party_id=party_id,
            purpose=Purpose(purpose) if purpose in Purpose.values else Purpose.CONTACT,
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
