"""Sign-in by OpenID Connect with any provider: mozilla-django-oidc, configured per provider.

mozilla-django-oidc reads one set of `OIDC_*` settings. Here each provider is one settings dict
(`STAFF_OIDC` for staff; the citizen portal will add its own, say `PORTAL_OIDC`), and its views
and backend are subclasses that name that dict in `provider_setting`, so one process can offer
several providers. The provider's endpoints come from its discovery document
(`<issuer>/.well-known/openid-configuration`), read once per process.

What this module adds to the library: the ID token's issuer and audience are checked, the
userinfo must be about the ID token's subject, an `acr`/`amr` can be required (the provider's
multi-factor sign-in), and every refusal (cancelled at the provider, a tampered state or nonce,
an unknown user) ends on the sign-in page with a message saying why, instead of an error page.
Who the user is, is left to the subclass (`find_users`, `new_user`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

logger = logging.getLogger(__name__)

# Seconds to wait for the provider's discovery, token, keys and userinfo answers.
PROVIDER_TIMEOUT = 10
# Why a sign-in was refused, kept on the request from the backend to the callback view.
REFUSAL_ATTRIBUTE = "indgang_oidc_refusal"
# Which provider's callback the request is, so each provider's backend answers only its own.
PROVIDER_ATTRIBUTE = "indgang_oidc_provider"
# The session's record of the provider the user signed in with (its settings name), for what
# treats such a sign-in differently (the provider has checked the second factor).
SIGNED_IN_WITH = "indgang_signed_in_with"


@dataclass(frozen=True)
class Provider:
    """One OpenID Connect provider, as its settings dict describes it.

    `claim`: the claim that names the user; `user_field`: the User field it is matched with
    (`username` or `email`). `required_acr`: the ID token's `acr` must be one of these;
    `required_amr`: its `amr` must contain one of these (both: no requirement when empty).
    """

    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    claim: str
    user_field: str
    create_users: bool
    required_acr: tuple[str, ...]
    required_amr: tuple[str, ...]
    sign_algorithm: str
    callback_url_name: str

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)


def provider_from_settings(setting: str) -> Provider:
    """The provider a settings dict describes (the dict is read on every use, so tests and a
    changed setting take effect at once)."""
    values: dict[str, Any] = getattr(settings, setting)
    return Provider(
        name=values["name"],
        issuer=values["issuer"].rstrip("/"),
        client_id=values["client_id"],
        client_secret=values["client_secret"],
        scopes=values["scopes"],
        claim=values["claim"],
        user_field=values["user_field"],
        create_users=bool(values["create_users"]),
        required_acr=tuple(values.get("required_acr", ())),
        required_amr=tuple(values.get("required_amr", ())),
        sign_algorithm=values.get("sign_algorithm", "RS256"),
        callback_url_name=values["callback_url_name"],
    )


class ProviderUnavailableError(Exception):
    """The provider's discovery document could not be read, or is not one we can use."""


_discovered: dict[str, dict[str, Any]] = {}
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


def discovery(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, read once per process; its issuer must be ours and it
    must name every endpoint the code flow uses."""
    if issuer not in _discovered:
        try:
            answer = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=PROVIDER_TIMEOUT
            )
            answer.raise_for_status()
            document = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailableError(str(error)) from error
        if not isinstance(document, dict) or not all(
            isinstance(document.get(name), str) for name in ENDPOINTS
        ):
            raise ProviderUnavailableError("The discovery document lacks an endpoint.")
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise ProviderUnavailableError("The discovery document names another issuer.")
        _discovered[issuer] = document
    return _discovered[issuer]


def forget_discovery() -> None:
    """Read discovery documents anew (tests: each provider process has its own keys)."""
    _discovered.clear()


def _library_setting(provider: Provider, attr: str, *default: Any) -> Any:
    """The `OIDC_*` setting mozilla-django-oidc asks for, from the provider's settings."""
    endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }
    if attr in endpoints:
        return discovery(provider.issuer)[endpoints[attr]]
    own: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_RP_SIGN_ALGO": provider.sign_algorithm,
        "OIDC_CREATE_USER": provider.create_users,
        "OIDC_AUTHENTICATION_CALLBACK_URL": provider.callback_url_name,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": PROVIDER_TIMEOUT,
        # The tokens are not kept: Indgang's own session is the sign-in.
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "LOGIN_REDIRECT_URL_FAILURE": settings.LOGIN_URL,
    }
    if attr in own:
        return own[attr]
    return import_from_settings(attr, *default)


def refuse(request: HttpRequest, message: str) -> None:
    """Keep the reason a sign-in is refused for the callback view to show."""
    setattr(request, REFUSAL_ATTRIBUTE, message)


class ProviderSettings:
    """The library's settings from the provider named by `provider_setting`."""

    provider_setting = ""

    @property
    def provider(self) -> Provider:
        return provider_from_settings(self.provider_setting)

    def get_settings(self, attr: str, *default: Any) -> Any:
        return _library_setting(self.provider, attr, *default)

    def enabled_provider(self) -> Provider:
        """The provider; 404 while it is not set up."""
        provider = self.provider
        if not provider.enabled:
            raise Http404
        return provider


class ProviderBackend(ProviderSettings, OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authenticates the callback of one provider (`provider_setting`), and nothing else: a
    password sign-in passes through it at no cost, as it reads no settings until then."""

    # The provider's key, when given instead of read from its JWKS endpoint (tests).
    OIDC_RP_IDP_SIGN_KEY: bytes | str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = User

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or getattr(request, PROVIDER_ATTRIBUTE, None) != self.provider_setting:
            return None
        provider = self.provider
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algorithm
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def get_user(self, user_id: int) -> User | None:
        # As the password backend: a deactivated user's session ends.
        user: User | None = super(OIDCAuthenticationBackend, self).get_user(user_id)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; the token must also be from
        this issuer and for this client."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        provider = self.provider
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if payload.get("iss", "").rstrip("/") != provider.issuer:
            raise SuspiciousOperation("The ID token is from another issuer.")
        if provider.client_id not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        if len(audiences) > 1 and payload.get("azp") != provider.client_id:
            raise SuspiciousOperation("The ID token was issued to another party.")
        return payload

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The userinfo claims with the ID token's: the ID token's win (`acr`, `amr`)."""
        userinfo: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about another subject.")
        return {**userinfo, **payload}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        provider = self.provider
        if not claims.get(provider.claim):
            refuse(
                self.request,
                _("%(name)s did not say who you are (the claim %(claim)s is missing).")
                % {"name": provider.name, "claim": provider.claim},
            )
            return False
        if not _strong_enough(claims, provider.required_acr, provider.required_amr):
            refuse(
                self.request,
                _("Your sign-in at %(name)s did not use the required second factor.")
                % {"name": provider.name},
            )
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        found = self.find_users(self.provider, str(claims[self.provider.claim]))
        if not found.exists() and not self.provider.create_users:
            refuse(
                self.request,
                _("You are not a user of Indgang. Ask your administrator to create you."),
            )
        return found

    def create_user(self, claims: dict[str, Any]) -> User:
        return self.new_user(self.provider, claims)

    def find_users(self, provider: Provider, value: str) -> QuerySet[User]:
        raise NotImplementedError

    def new_user(self, provider: Provider, claims: dict[str, Any]) -> User:
        raise NotImplementedError


def _strong_enough(
    claims: dict[str, Any], required_acr: Sequence[str], required_amr: Sequence[str]
) -> bool:
    if required_acr and claims.get("acr") not in required_acr:
        return False
    amr = claims.get("amr") or []
    return not required_amr or any(method in amr for method in required_amr)


class ProviderLoginView(ProviderSettings, OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the provider (`provider_setting`); 404 while it is not set up."""

    def __init__(self, **kwargs: Any) -> None:
        # The library reads its settings here; they are read when the request comes.
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get(self, request: HttpRequest) -> HttpResponse:
        provider = self.enabled_provider()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailableError as error:
            logger.warning("OpenID Connect discovery at %s failed: %s", provider.issuer, error)
            return _refused(request, _unreachable(provider))
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response: HttpResponse = super().get(request)
        return response


class ProviderCallbackView(ProviderSettings, OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Where the provider sends the browser back: signs the user in, or shows why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        provider = self.enabled_provider()
        setattr(request, PROVIDER_ATTRIBUTE, self.provider_setting)
        if request.GET.get("error"):
            refuse(request, _("The sign-in at %(name)s was cancelled.") % {"name": provider.name})
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.HTTPError) as error:
            # A state or nonce not ours, an ID token not valid (signature, expiry, issuer,
            # audience), or a code the provider would not exchange.
            logger.warning("OpenID Connect sign-in refused: %s", error)
            return _refused(request, _unconfirmed())
        except (ProviderUnavailableError, requests.RequestException) as error:
            logger.warning("OpenID Connect provider %s failed: %s", provider.issuer, error)
            return _refused(request, _unreachable(provider))
        return response

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        self.request.session[SIGNED_IN_WITH] = self.provider_setting
        return response

    def login_failure(self) -> HttpResponse:
        return _refused(self.request, getattr(self.request, REFUSAL_ATTRIBUTE, _unconfirmed()))


def _unconfirmed() -> str:
    return _("The sign-in could not be confirmed. Start again from the sign-in page.")


def _unreachable(provider: Provider) -> str:
    return _("Indgang could not reach %(name)s. Try again later.") % {"name": provider.name}


def _refused(request: HttpRequest, message: str) -> HttpResponseRedirect:
    messages.error(request, message)
    return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
