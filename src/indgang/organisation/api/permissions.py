from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from indgang.organisation.models import ApiToken
from indgang.organisation.requests import SCOPE_ATTRIBUTE, remember_scope
from indgang.organisation.selectors import Scope, get_scope, get_token_owner, token_refusal


class ScopedTokenAuthentication(TokenAuthentication):
    """Indgang's hashed, expiring API tokens, finding the user and their scope in one query.

    The header and answers of DRF's TokenAuthentication (`Authorization: Token <secret>`); a
    revoked or expired token is refused with its own message. The scope found with the user is
    kept on the request, so IsStaff needs no query of its own.
    """

    model = ApiToken

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        self._scope: Scope | None = None
        result = super().authenticate(request)
        if result is not None and self._scope is not None:
            remember_scope(request, self._scope)
        return result

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        now = timezone.now()
        found = get_token_owner(key=key, now=now)
        if found is None or not found[0].user.is_active:
            # Refused: unknown, revoked or expired, or its user deactivated.
            message = (
                token_refusal(key=key, now=now)
                if found is None
                else gettext("User inactive or deleted.")
            )
            raise AuthenticationFailed(message)
        token, self._scope = found
        return token.user, token


class IsStaff(BasePermission):
    """Any user with a role in the municipality; the scope is kept on the request for the view."""

    message = _("You have no role in the municipality and cannot use the API.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user  # authenticates; token authentication remembers the scope
        scope = getattr(request, SCOPE_ATTRIBUTE, None)
        if not isinstance(scope, Scope):
            scope = get_scope(user=user)
            remember_scope(request, scope)
        return scope.is_staff
