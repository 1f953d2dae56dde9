"""Login with lockout and second factor, TOTP enrolment, the lockout page."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from indgang.organisation.requests import acting_user
from indgang.signin.forms import CodeForm
from indgang.signin.selectors import get_confirmed_device
from indgang.signin.services import (
    ask_for_second_factor,
    confirm_enrolment,
    start_enrolment,
    verify_second_factor,
)

WRONG_CODE = 400


class SignInView(LoginView):
    """Django's login page; a user who must give a second factor goes on to it."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if ask_for_second_factor(request=self.request, user=form.get_user()):
            return redirect(_with_next(reverse("second-factor"), self.get_success_url()))
        return response


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enter the code of the enrolled device; without one, enrol first."""
    user = acting_user(request)
    if get_confirmed_device(user=user) is None:
        return redirect(_with_next(reverse("second-factor-enrol"), _next(request)))
    return _code_page(
        request,
        template="signin/second_factor.html",
        accept=lambda code: verify_second_factor(request=request, user=user, code=code),
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Show a new TOTP secret as a QR code and confirm it with a first code from the app.

    A user who already has a device gives its code instead: a stolen password must not be
    enough to enrol a device of the thief's.
    """
    user = acting_user(request)
    if get_confirmed_device(user=user) is not None:
        return redirect(_with_next(reverse("second-factor"), _next(request)))
    device = start_enrolment(user=user)
    secret = b32encode(device.bin_key).decode()
    return _code_page(
        request,
        template="signin/enrol.html",
        accept=lambda code: confirm_enrolment(request=request, user=user, code=code),
        qr_code=_svg(device.config_url),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


def locked_out(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a page in the user's language.

    The API's own answer to a locked-out token (JSON, 429) stands.
    """
    if original_response is not None and request.path.startswith("/api/"):
        return original_response  # type: ignore[return-value]
    context = {"minutes": settings.LOCKOUT_MINUTES}
    return render(request, "signin/locked_out.html", context, status=429)


def _code_page(
    request: HttpRequest, *, template: str, accept: Callable[[str], bool], **context: Any
) -> HttpResponse:
    """A page asking for a code: on to `next` once `accept` takes it, else 400 and a message."""
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and accept(form.cleaned_data["code"]):
            return redirect(_next(request))
        if not form.errors:
            form.add_error("code", _("The code is wrong or too old. Try the app's current code."))
    context.update(form=form, next=_next(request))
    return render(request, template, context, status=WRONG_CODE if form.errors else 200)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}"


def _svg(text: str) -> SafeString:
    """A QR code as inline SVG: no image request, no inline style (the CSP allows none)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    # The SVG is qrcode's own markup: a path of squares, no text from the user.
    return mark_safe(str(image.to_string(encoding="unicode")))  # noqa: S308
