"""Reads: who must give a second factor, lockout limits and the client's address."""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from indgang.organisation.constants import Role
from indgang.organisation.models import RoleAssignment
from indgang.signin.constants import API_TOKEN_USERNAME, LOCKOUT_RECHECK_SECONDS

# Roles that must sign in with a second factor: they see and change the most.
SECOND_FACTOR_ROLES = (Role.MANAGER, Role.ADMIN)

# Addresses this process has seen locked out for token guessing -> when to ask the database
# again (monotonic seconds). Empty in normal operation, so a request with a good token pays
# one dict check.
_locked_token_clients: dict[str, float] = {}
MAX_LOCKED_TOKEN_CLIENTS = 10_000


def second_factor_required(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Managers, administrators, superusers and Django admin staff, and anyone who enrolled."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return (
        RoleAssignment.objects.filter(user_id=user.pk, role__in=SECOND_FACTOR_ROLES).exists()
        or get_confirmed_device(user=user) is not None
    )


def get_confirmed_device(*, user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """django-axes' failure limit: API tokens have their own."""
    if credentials and credentials.get("username") == API_TOKEN_USERNAME:
        return int(settings.API_TOKEN_FAILURE_LIMIT)
    return int(settings.LOGIN_FAILURE_LIMIT)


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or the one the trusted proxies saw."""
    proxies: int = settings.TRUSTED_PROXIES
    remote: str = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    # Each proxy appends the address it was called from; a client can only forge the left part.
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def is_token_client_locked_out(*, request: HttpRequest) -> bool:
    """Whether the request's address is locked out for guessing API tokens.

    Asks the database only for an address this process has already seen locked out, and then
    at most once a LOCKOUT_RECHECK_SECONDS; every other request costs a dict look-up.
    """
    if not _locked_token_clients:
        return False
    address = client_address(request)
    recheck_at = _locked_token_clients.get(address)
    if recheck_at is None:
        return False
    if time.monotonic() < recheck_at:
        return True
    if AxesProxyHandler.is_locked(token_attempt(request), {"username": API_TOKEN_USERNAME}):
        remember_locked_token_client(address=address)
        return True
    _locked_token_clients.pop(address, None)
    return False


# What django-axes may see of a token request: who sent it, not what was asked. Axes stores a
# failed attempt's query string and form fields, and an API request's may hold a CPR number.
TOKEN_ATTEMPT_META = (
    "REMOTE_ADDR",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_USER_AGENT",
    "HTTP_ACCEPT",
    "PATH_INFO",
)


def token_attempt(request: HttpRequest) -> HttpRequest:
    """The request as django-axes is to record a token failure: address, agent and path only."""
    attempt = HttpRequest()
    attempt.META = {name: request.META[name] for name in TOKEN_ATTEMPT_META if name in request.META}
    attempt.method = request.method
    attempt.path = request.path
    attempt.path_info = request.path_info
    return attempt


def remember_locked_token_client(*, address: str) -> None:
    if len(_locked_token_clients) >= MAX_LOCKED_TOKEN_CLIENTS:
        _locked_token_clients.clear()  # a flood of addresses: the database still holds them
    _locked_token_clients[address] = time.monotonic() + LOCKOUT_RECHECK_SECONDS


def forget_locked_token_clients() -> None:
    """Forget what this process remembered (tests: each starts with no lockout)."""
    _locked_token_clients.clear()
