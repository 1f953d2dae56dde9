"""Writes: the session's clock, the second factor and failed API tokens."""

from __future__ import annotations

import time
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from indgang.signin.constants import (
    API_TOKEN_USERNAME,
    SECOND_FACTOR_PENDING,
    SEEN_RESOLUTION_SECONDS,
    SESSION_SEEN,
    SESSION_STARTED,
)
from indgang.signin.selectors import (
    client_address,
    get_confirmed_device,
    remember_locked_token_client,
    second_factor_required,
    token_attempt,
)

ENROLMENT_DEVICE_NAME = "Indgang"


def start_session_clock(
    sender: type[AbstractBaseUser], request: HttpRequest | None, user: AbstractBaseUser, **_: Any
) -> None:
    """Note when a session began (receives django.contrib.auth's user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now


def end_stale_session(*, request: HttpRequest, now: float) -> str | None:
    """Log out a session past its idle or absolute limit; say which, or None if still fresh.

    A fresh session's last-seen time is written again once it is SEEN_RESOLUTION_SECONDS
    old, not on every request.
    """
    session: SessionBase = request.session
    started = session.get(SESSION_STARTED)
    if started is None:
        return None
    seen = float(session.get(SESSION_SEEN, started))
    if now - float(started) > settings.SESSION_HOURS * 3600:
        logout(request)
        return "absolute"
    if now - seen > settings.SESSION_IDLE_MINUTES * 60:
        logout(request)
        return "idle"
    if now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN] = now
    return None


def ask_for_second_factor(*, request: HttpRequest, user: User) -> bool:
    """After a password login: hold the session until the user gives a second factor, if
    they must. Whether they must."""
    if not second_factor_required(user=user):
        return False
    request.session[SECOND_FACTOR_PENDING] = True
    return True


@transaction.atomic
def start_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made if they have none (the same secret on reload)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)
    return device


def confirm_enrolment(*, request: HttpRequest, user: User, code: str) -> bool:
    """Confirm the user's new device with a code from their app; the session is then verified."""
    device = start_enrolment(user=user)
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
    _verified(request=request, device=device)
    return True


def verify_second_factor(*, request: HttpRequest, user: User, code: str) -> bool:
    """Check a code against the user's device (django-otp slows repeated failures down)."""
    device = get_confirmed_device(user=user)
    if device is None or not device.verify_token(code):
        return False
    _verified(request=request, device=device)
    return True


def _verified(*, request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    request.session.pop(SECOND_FACTOR_PENDING, None)
    # A new session key for the verified session, as a login gives one.
    request.session.cycle_key()


def note_token_failure(*, request: HttpRequest) -> bool:
    """Count an unknown API token against the client's address; whether it is now locked out."""
    attempt = token_attempt(request)
    AxesProxyHandler.user_login_failed(
        sender=note_token_failure, credentials={"username": API_TOKEN_USERNAME}, request=attempt
    )
    if getattr(attempt, "axes_locked_out", False):
        remember_locked_token_client(address=client_address(request))
        return True
    return False
