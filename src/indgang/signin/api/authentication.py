"""Token authentication for the API: Indgang's hashed, expiring tokens, with the lockout of
addresses that guess them. It lives in signin, above organisation, as it needs both."""

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from indgang.organisation.models import ApiToken
from indgang.organisation.requests import remember_scope
from indgang.organisation.selectors import Scope, get_token_owner, token_refusal
from indgang.signin.selectors import is_token_client_locked_out
from indgang.signin.services import note_token_failure


class TokenClientLockedOut(Throttled):
    default_detail = _("Too many unknown API tokens from this address. Try again later.")
    default_code = "locked_out"


class ScopedTokenAuthentication(TokenAuthentication):
    """Indgang's hashed, expiring API tokens, finding the user and their scope in one query.

    The header and answers of DRF's TokenAuthentication (`Authorization: Token <secret>`); a
    revoked or expired token is refused with its own message. The scope found with the user is
    kept on the request, so IsStaff needs no query of its own.
    """

    model = ApiToken

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        self._scope: Scope | None = None
        self._request = request._request
        result = super().authenticate(request)
        if result is not None and self._scope is not None:
            remember_scope(request, self._scope)
        return result

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        # A dict look-up unless this process has seen the client's address locked out.
        if is_token_client_locked_out(request=self._request):
            raise TokenClientLockedOut
        now = timezone.now()
        found = get_token_owner(key=key, now=now)
        if found is None or not found[0].user.is_active:
            # django-axes counts it against the address (signin/services.py).
            if note_token_failure(request=self._request):
                raise TokenClientLockedOut
            # Refused: unknown, revoked or expired, or its user deactivated.
            message = (
                token_refusal(key=key, now=now)
                if found is None
                else gettext("User inactive or deleted.")
            )
            raise AuthenticationFailed(message)
        token, self._scope = found
        return token.user, token
