"""The ID token checks of staff single sign-on (common.oidc's, added to the library's), on
tokens signed with a real key."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from pytest_django.fixtures import Settings

from indgang.organisation.sso import StaffOidcBackend
from indgang.organisation.tests.conftest import CLIENT_ID, staff_sign_on

ISSUER = "https://idp.kommune.example/adfs"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def backend(settings: Settings) -> StaffOidcBackend:
    """The staff backend as it stands when it checks an ID token, with the provider's public
    key given instead of read from its JWKS endpoint."""
    settings.STAFF_OIDC = staff_sign_on(ISSUER)
    backend = StaffOidcBackend()
    backend.OIDC_RP_SIGN_ALGO = "RS256"
    backend.OIDC_RP_CLIENT_SECRET = "not-used-for-rs256"
    backend.OIDC_RP_IDP_SIGN_KEY = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return backend


def id_token(key: rsa.RSAPrivateKey = KEY, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "42",
        "iat": now,
        "exp": now + 300,
        "nonce": "n-1",
        **claims,
    }
    return jwt.encode(
        {name: value for name, value in payload.items() if value is not None}, key, "RS256"
    )


def test_a_token_from_the_issuer_for_this_client_is_accepted(backend: StaffOidcBackend) -> None:
    payload = backend.verify_token(id_token(aud=[CLIENT_ID, "other"], azp=CLIENT_ID), nonce="n-1")

    assert (payload["sub"], payload["iss"]) == ("42", ISSUER)


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example/adfs"},
        {"iss": None},
        {"aud": "another-client"},
        {"aud": [CLIENT_ID, "other"]},  # several audiences, and not issued to us (no azp)
        {"aud": [CLIENT_ID, "other"], "azp": "other"},
        {"nonce": "n-2"},
    ],
    ids=["issuer", "no-issuer", "audience", "audiences-without-azp", "azp", "nonce"],
)
def test_a_token_not_from_the_issuer_for_this_client_and_sign_in_is_refused(
    backend: StaffOidcBackend, claims: dict[str, Any]
) -> None:
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(id_token(**claims), nonce="n-1")


def test_an_expired_token_is_refused(backend: StaffOidcBackend) -> None:
    with pytest.raises(jwt.ExpiredSignatureError):
        backend.verify_token(id_token(exp=int(time.time()) - 60), nonce="n-1")


def test_a_token_signed_with_another_key_or_unsigned_is_refused(
    backend: StaffOidcBackend,
) -> None:
    unsigned = jwt.encode({"iss": ISSUER, "aud": CLIENT_ID, "nonce": "n-1"}, "", "none")

    with pytest.raises(SuspiciousOperation):
        backend.verify_token(id_token(OTHER_KEY), nonce="n-1")
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(unsigned, nonce="n-1")
