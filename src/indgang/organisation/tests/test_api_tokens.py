"""API tokens: how long a web process remembers a token's owner (API_CACHE_SECONDS)."""

from __future__ import annotations

import time

from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indgang.conftest import ApiFor, Staff

URL = "/api/v1/contacts/"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_deleted_token_is_refused_once_the_remembered_owner_expires(
    api_for: ApiFor,
    staff: Staff,
    settings: Settings,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    settings.API_CACHE_SECONDS = 0.5
    api = api_for(staff.frontline)
    assert api.get(URL).status_code == 200
    Token.objects.filter(user=staff.frontline).delete()

    # Remembered: the (empty) page is the only query, none for the token.
    with django_assert_num_queries(1):
        assert api.get(URL).status_code == 200
    time.sleep(0.6)
    refused = api.get(URL)

    assert (refused.status_code, refused.json()) == (401, {"detail": "Ugyldigt token."})


def test_without_a_cache_time_a_deleted_token_is_refused_at_once(
    api_for: ApiFor, staff: Staff, settings: Settings
) -> None:
    settings.API_CACHE_SECONDS = 0
    api = api_for(staff.frontline)
    assert api.get(URL).status_code == 200
    Token.objects.filter(user=staff.frontline).delete()

    assert api.get(URL).status_code == 401


def test_an_unknown_token_is_not_remembered_so_a_new_one_works_at_once(staff: Staff) -> None:
    key = "0123456789abcdef0123456789abcdef01234567"
    assert client_with(key).get(URL).status_code == 401

    Token.objects.create(user=staff.frontline, key=key)

    assert client_with(key).get(URL).status_code == 200
