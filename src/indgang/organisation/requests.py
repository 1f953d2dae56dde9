"""The acting staff user and their scope, as the API permission or view decorator set them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.request import Request

from indgang.organisation.selectors import Scope

SCOPE_ATTRIBUTE = "indgang_scope"


def remember_scope(request: HttpRequest | Request, scope: Scope) -> None:
    setattr(request, SCOPE_ATTRIBUTE, scope)


def request_scope(request: HttpRequest | Request) -> Scope:
    scope = getattr(request, SCOPE_ATTRIBUTE)
    assert isinstance(scope, Scope)  # noqa: S101 - set by the guard; narrows the type
    return scope


def acting_user(request: HttpRequest | Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the guard admitted only staff users
    return user
