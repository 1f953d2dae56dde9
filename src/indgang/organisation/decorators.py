"""Guard staff screens: logged in, with a role; the scope is kept on the request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from indgang.organisation.requests import remember_scope
from indgang.organisation.selectors import get_scope, may_manage_roles

View = Callable[..., HttpResponseBase]


def staff_view(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        scope = get_scope(user=request.user)
        if not scope.is_staff:
            raise PermissionDenied
        remember_scope(request, scope)
        return view(request, *args, **kwargs)

    return wrapper


def role_admin_view(view: View) -> View:
    """The roles screens: administrators and superusers only."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        scope = get_scope(user=request.user)
        if not may_manage_roles(user=request.user, scope=scope):
            raise PermissionDenied
        remember_scope(request, scope)
        return view(request, *args, **kwargs)

    return wrapper
