"""API tokens: hashed, expiring and revocable; how long a web process remembers a token's owner
(API_CACHE_SECONDS)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from indgang.conftest import ApiFor, Staff
from indgang.organisation.models import ApiToken
from indgang.organisation.services import issue_api_token, revoke_api_token

URL = "/api/v1/contacts/"


def client_with(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="da")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_only_the_digest_of_the_secret_is_stored(staff: Staff) -> None:
    now = timezone.now()
    issued = issue_api_token(user=staff.frontline, name="ESDH", expires_in_days=30, now=now)

    stored = ApiToken.objects.get()
    assert len(issued.secret) == 43
    assert (stored.name, stored.prefix, stored.created_at, stored.expires_at) == (
        "ESDH",
        issued.secret[:8],
        now,
        now + dt.timedelta(days=30),
    )
    assert stored.digest == hashlib.sha256(issued.secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM organisation_apitoken")
        assert not any(issued.secret in str(value) for value in cursor.fetchone())
    assert client_with(issued.secret).get(URL).status_code == 200


def test_a_token_is_valid_for_the_configured_days_by_default(
    staff: Staff, settings: Settings
) -> None:
    settings.API_TOKEN_DAYS = 90
    now = timezone.now()

    token = issue_api_token(user=staff.frontline, name="x", expires_in_days=None, now=now).token

    assert token.expires_at == now + dt.timedelta(days=90)


@pytest.mark.parametrize(
    ("days", "name", "errors"),
    [
        (731, "ESDH", {"expires_in_days": ["Et token gælder i 1 til 730 dage."]}),
        (0, "ESDH", {"expires_in_days": ["Et token gælder i 1 til 730 dage."]}),
        (30, " \t", {"name": ["Giv tokenet et navn på 1 til 100 tegn."]}),
        (30, "x" * 101, {"name": ["Giv tokenet et navn på 1 til 100 tegn."]}),
    ],
)
def test_a_token_beyond_the_longest_validity_or_without_a_name_is_refused(
    staff: Staff, days: int, name: str, errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as refused:
        issue_api_token(user=staff.frontline, name=name, expires_in_days=days, now=timezone.now())

    assert refused.value.message_dict == errors
    assert ApiToken.objects.count() == 0


def test_an_expired_token_is_refused_with_a_danish_message(staff: Staff) -> None:
    issued = issue_api_token(
        user=staff.frontline,
        name="x",
        expires_in_days=1,
        now=timezone.now() - dt.timedelta(days=1, seconds=1),
    )

    refused = client_with(issued.secret).get(URL)

    assert (refused.status_code, refused.json()) == (401, {"detail": "Tokenet er udløbet."})


def test_a_revoked_token_is_refused_with_a_danish_message(staff: Staff) -> None:
    issued = issue_api_token(
        user=staff.frontline, name="x", expires_in_days=None, now=timezone.now()
    )
    api = client_with(issued.secret)
    assert api.get(URL).status_code == 200

    revoke_api_token(token=issued.token, now=timezone.now())
    refused = api.get(URL)

    assert (refused.status_code, refused.json()) == (401, {"detail": "Tokenet er tilbagekaldt."})


def test_an_unknown_token_is_refused_with_a_danish_message(staff: Staff) -> None:
    refused = client_with("ukendt-token").get(URL)

    assert (refused.status_code, refused.json()) == (401, {"detail": "Ugyldigt token."})


def test_a_revoked_token_is_refused_once_the_remembered_owner_expires(
    staff: Staff,
    settings: Settings,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    settings.API_CACHE_SECONDS = 0.5
    issued = issue_api_token(
        user=staff.frontline, name="x", expires_in_days=None, now=timezone.now()
    )
    api = client_with(issued.secret)
    assert api.get(URL).status_code == 200
    revoke_api_token(token=issued.token, now=timezone.now())

    # Remembered: the (empty) page is the only query, none for the token.
    with django_assert_num_queries(1):
        assert api.get(URL).status_code == 200
    time.sleep(0.6)
    refused = api.get(URL)

    assert (refused.status_code, refused.json()) == (401, {"detail": "Tokenet er tilbagekaldt."})


def test_the_token_and_its_owners_scope_are_one_query(
    api_for: ApiFor, staff: Staff, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    api = api_for(staff.frontline)

    # The token with its user and roles, then the (empty) page.
    with django_assert_num_queries(2):
        assert api.get(URL).status_code == 200


def test_without_a_cache_time_a_deleted_token_is_refused_at_once(
    api_for: ApiFor, staff: Staff, settings: Settings
) -> None:
    settings.API_CACHE_SECONDS = 0
    api = api_for(staff.frontline)
    assert api.get(URL).status_code == 200
    ApiToken.objects.filter(user=staff.frontline).delete()

    assert api.get(URL).status_code == 401


def test_a_deactivated_users_token_is_refused(api_for: ApiFor, staff: Staff) -> None:
    api = api_for(staff.frontline)
    staff.frontline.is_active = False
    staff.frontline.save()

    refused = api.get(URL, HTTP_ACCEPT_LANGUAGE="da")

    assert (refused.status_code, refused.json()) == (
        401,
        {"detail": "Brugeren er inaktiv eller slettet."},
    )


def test_an_unknown_token_is_not_remembered_so_a_new_one_works_at_once(
    staff: Staff, settings: Settings
) -> None:
    settings.API_CACHE_SECONDS = 5
    issued = issue_api_token(
        user=staff.frontline, name="x", expires_in_days=None, now=timezone.now()
    )
    ApiToken.objects.all().delete()
    assert client_with(issued.secret).get(URL).status_code == 401

    ApiToken.objects.create(
        user=staff.frontline,
        name="x",
        prefix=issued.secret[:8],
        digest=issued.token.digest,
        created_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=1),
    )

    assert client_with(issued.secret).get(URL).status_code == 200
