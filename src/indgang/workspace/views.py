"""The start page: what each of the user's roles needs to see first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indgang.audit.constants import Via
from indgang.audit.services import log_reads
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
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
