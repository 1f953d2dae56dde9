from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.common.inputs import parse_id
from indgang.common.paging import CappedPaginator
from indgang.contacts.exporting import EXPORT_LIMIT, write_contacts_csv
from indgang.contacts.forms import ContactFilterForm
from indgang.contacts.models import Contact
from indgang.contacts.selectors import (
    CONTACT_ORDERINGS,
    DEFAULT_CONTACT_ORDER,
    is_redacted,
    list_contacts_for,
)
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope


def _filtered(request: HttpRequest) -> tuple[ContactFilterForm, QuerySet[Contact]]:
    """The contact list's filter form and the rows it finds, through list_contacts_for (the
    register's one permission path); none while a filter is refused."""
    scope = request_scope(request)
    form = ContactFilterForm(request.GET)
    if not form.is_valid():
        return form, list_contacts_for(scope=scope).none()
    data = form.cleaned_data
    zone = timezone.get_current_timezone()
    start, end = data["received_from"], data["received_to"]
    return form, list_contacts_for(
        scope=scope,
        # Set by the 360's link, not typed: a malformed one is ignored.
        party_id=parse_id(request.GET.get("party")),
        channel=data["channel"] or None,
        received_from=dt.datetime.combine(start, dt.time.min, zone) if start else None,
        received_to=(
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone) if end else None
        ),
        unit_id=data["unit"].pk if data["unit"] else None,
        task_id=data["task"].pk if data["task"] else None,
        outcome=data["outcome"] or None,
        text=data["text"],
        order=_sort_of(request),
    )


def _sort_of(request: HttpRequest) -> str:
    """The list's order from the column links; anything else is the default, newest first."""
    sort = request.GET.get("sort", "")
    return sort if sort.removeprefix("-") in CONTACT_ORDERINGS else DEFAULT_CONTACT_ORDER


def _query(request: HttpRequest, *, drop: tuple[str, ...] = ("page",)) -> str:
    """The list's query string without `drop`, for the links that keep its filters."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the link that sorts by it (a second click reverses the order) and
    its aria-sort value."""
    base = _query(request, drop=("page", "sort"))
    links = {}
    for key in CONTACT_ORDERINGS:
        ascending, descending = current == key, current == f"-{key}"
        # Time is read newest first; the other columns from A.
        first = f"-{key}" if key == "received" else key
        target = key if descending else f"-{key}" if ascending else first
        links[key] = {
            "href": "?" + "&".join(part for part in (base, urlencode({"sort": target})) if part),
            "aria_sort": "ascending" if ascending else "descending" if descending else "none",
        }
    return links


@staff_view
def contact_list(request: HttpRequest) -> HttpResponse:
    """The register page by page, filtered by period, unit, task, channel, outcome, text in
    the summary and party (the 360 links the latter), sorted by a column."""
    scope = request_scope(request)
    form, contacts = _filtered(request)
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
    sort = _sort_of(request)
    return render(
        request,
        "contacts/contact_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "sorting": _sort_links(request, sort),
            "sort": "" if sort == DEFAULT_CONTACT_ORDER else sort,
            "query": _query(request),
            "party": parse_id(request.GET.get("party")) or "",
        },
        status=400 if form.errors else 200,
    )


@staff_view
def contact_export(request: HttpRequest) -> HttpResponse:
    """Exactly the rows the list's filters find, as CSV; each party in it is logged as
    exported. More than EXPORT_LIMIT rows are refused, so an export is never silently cut."""
    form, contacts = _filtered(request)
    back = f"{reverse('contact-list')}?{_query(request)}"
    if form.errors:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    found = list(contacts[: EXPORT_LIMIT + 1])
    if len(found) > EXPORT_LIMIT:
        messages.error(
            request,
            _("More than %(most)s contacts match. Narrow the filters to export them.")
            % {"most": EXPORT_LIMIT},
        )
        return redirect(back)
    scope = request_scope(request)
    rows = [(contact, is_redacted(scope=scope, contact=contact)) for contact in found]
    now = timezone.now()
    log_reads(
        user=acting_user(request),
        # A withheld contact's party is not in the file, so it is not read.
        party_ids=(contact.party_id for contact, redacted in rows if not redacted),
        action=AccessAction.EXPORTED_CONTACTS,
        purpose=Purpose.CONTACT,
        via=Via.UI,
        at=now,
    )
    zone = timezone.get_current_timezone()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="henvendelser-{now.astimezone(zone):%Y-%m-%d-%H%M}.csv"'
    )
    # A byte-order mark, so that a spreadsheet reads the file as UTF-8 (æ, ø, å).
    response.write("\ufeff")
    write_contacts_csv(rows, response, zone=zone)
    return response
