"""django-axes' lockout check, first among the authentication backends."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.models import User
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes has no types
    """Refuse a locked-out user name and address before any password is checked.

    django-axes raises when `authenticate()` is called without a request, as the test client's
    `login()` and a shell do; no request means no client to lock out, so those go on to the
    password check. Every login form (the login page, the admin's) passes its request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None
