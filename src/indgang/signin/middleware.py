"""Sign-in middleware: answers not stored, sessions that end, the second factor enforced."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from indgang.common.handlers import API_PREFIX, SCHEME
from indgang.signin.constants import SECOND_FACTOR_PENDING
from indgang.signin.services import end_stale_session

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer that sets no Cache-Control of its own.

    It stands below WhiteNoise, so static files keep their long caching; every page and API
    answer may carry personal data, so none may be kept by a browser or a proxy. It runs in the
    token API's short chain too (common/handlers.py): one header, no look-up.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Cache-Control", "no-store")
        return response


class SessionTimeoutMiddleware:
    """End a session idle for SESSION_IDLE_MINUTES or older than SESSION_HOURS, and say why."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        ended = end_stale_session(request=request, now=time.time())
        if ended == "idle":
            messages.info(request, _("You were logged out because you had not been active."))
        elif ended == "absolute":
            messages.info(request, _("You were logged out because your session was too old."))
        return self.get_response(request)


class SecondFactorMiddleware:
    """Hold a session whose password login still needs its second factor.

    Staff pages send it to the second-factor page; the API answers 403 to its session. A
    request with an API token is not held: the token is a credential of its own.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.session.get(SECOND_FACTOR_PENDING) and not self._exempt(request):
            if request.path.startswith(API_PREFIX):
                message = _("Log in with your second factor before you use the API.")
                return JsonResponse({"detail": message}, status=403)
            return self._to_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        authorization = request.headers.get("Authorization", "")
        if authorization[: len(SCHEME)].lower() == SCHEME:
            return True
        try:
            return resolve(request.path_info).url_name in SECOND_FACTOR_OPEN_VIEWS
        except Resolver404:
            return False

    @staticmethod
    def _to_second_factor(request: HttpRequest) -> HttpResponse:
        target = reverse("second-factor")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


# What a session waiting for its second factor may still reach.
SECOND_FACTOR_OPEN_VIEWS = frozenset(
    {"second-factor", "second-factor-enrol", "login", "logout", "set_language", "health"}
)
