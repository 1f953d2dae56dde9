from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user
from indgang.parties.identifiers import InvalidIdentifierError, parse_identifier
from indgang.parties.selectors import find_citizen, find_company


@require_POST
@staff_view
def party_lookup(request: HttpRequest) -> HttpResponse:
    """The front desk's live look-up: exact CPR or CVR only, and every hit is logged.

    A POST, so the number never stands in a URL or a web server's access log.
    """
    typed = request.POST.get("identifier", "")
    try:
        cpr, cvr = parse_identifier(typed)
    except InvalidIdentifierError as error:
        digits = sum(ch.isdigit() for ch in typed)
        # Stay quiet while a number is still being typed.
        message = str(error) if digits > 10 else ""
        return render(request, "parties/lookup.html", {"error": message})
    party = find_citizen(cpr=cpr) if cpr else find_company(cvr=cvr) if cvr else None
    if party is not None:
        log_access(
            user=acting_user(request),
            party=party,
            action=AccessAction.LOOKED_UP,
            purpose=Purpose.CONTACT,
            via=Via.UI,
            at=timezone.now(),
        )
    return render(
        request,
        "parties/lookup.html",
        {"party": party, "searched": bool(cpr or cvr), "is_company": bool(cvr)},
    )
