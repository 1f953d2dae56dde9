"""Screens: a staff user's API tokens, which they (and administrators) may revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.organisation.selectors import api_token_owner_shown, get_api_token, list_api_tokens
from indgang.organisation.services import revoke_api_token


@staff_view
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; an administrator's screen lists every user's."""
    owner = api_token_owner_shown(user=acting_user(request), scope=request_scope(request))
    page = Paginator(list_api_tokens(owner=owner), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organisation/api_tokens.html",
        {"page": page, "everyone": owner is None, "now": timezone.now()},
    )


@staff_view
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    owner = api_token_owner_shown(user=acting_user(request), scope=request_scope(request))
    token = get_api_token(token_id=token_id, owner=owner)
    if token is None:
        raise Http404
    revoke_api_token(token=token, now=timezone.now())
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("api-tokens")
