"""Staff single sign-on: the municipality's OpenID Connect provider (Entra ID, ADFS) vouches for
a staff user Indgang already knows (STAFF_OIDC; common.oidc does the protocol).

The user is found by the configured claim (`preferred_username`, `email`, `oid` …) in their
user name or e-mail address, so an organisation loaded with `import-organisation` needs no extra
field. Roles stay in Indgang: a user the provider knows but who holds no role signs in and is
refused by every screen, as after a password sign-in. With `create_users`, an unknown user is
created on first sign-in, without roles and without a usable password.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from indgang.common.oidc import Provider, ProviderBackend, ProviderCallbackView, ProviderLoginView
from indgang.organisation.services import create_signed_on_user

SETTING = "STAFF_OIDC"


class StaffOidcBackend(ProviderBackend):
    provider_setting = SETTING

    def find_users(self, provider: Provider, value: str) -> QuerySet[User]:
        if provider.user_field == "email":
            return User.objects.filter(email__iexact=value)
        return User.objects.filter(username=value)

    def new_user(self, provider: Provider, claims: dict[str, Any]) -> User:
        value = str(claims[provider.claim])
        return create_signed_on_user(
            username=value,
            email=str(claims.get("email") or (value if provider.user_field == "email" else "")),
            first_name=str(claims.get("given_name", "")),
            last_name=str(claims.get("family_name", "")),
        )


class StaffLoginView(ProviderLoginView):
    provider_setting = SETTING


class StaffCallbackView(ProviderCallbackView):
    provider_setting = SETTING
