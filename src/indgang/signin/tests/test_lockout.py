"""Lockout (django-axes): logins by user name and address, API tokens by address."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from indgang.common.tests.test_handlers import _call
from indgang.conftest import PASSWORD, ApiFor, Staff
from indgang.contacts.models import Contact
from indgang.signin.constants import API_TOKEN_USERNAME

LOCKED_PAGE = (
    "For mange mislykkede login-forsøg. Login med dette brugernavn fra denne adresse er "
    "spærret i 30 minutter."
)
LOCKED_API = {"detail": "For mange ukendte API-nøgler fra denne adresse. Prøv igen senere."}
UNKNOWN_TOKEN = "0123456789abcdef0123456789abcdef01234567"
CONTACT = {"channel": "phone", "received_at": "2026-11-30T09:15:00+01:00", "summary": "Varme"}


def _log_in(client: Client, username: str, password: str) -> tuple[int, str]:
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code, response.content.decode()


def test_the_login_locks_a_user_name_out_after_the_limit_even_for_the_right_password(
    staff: Staff, settings: Settings
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client(HTTP_ACCEPT_LANGUAGE="da", REMOTE_ADDR="10.0.0.7")

    answers = [_log_in(client, "leder", "wrong") for _ in range(3)]

    assert [status for status, _ in answers] == [200, 200, 429]
    assert "Brugernavn eller adgangskode er forkert. Prøv igen." in answers[0][1]
    assert LOCKED_PAGE in answers[2][1]
    status, page = _log_in(client, "leder", PASSWORD)
    assert status == 429
    assert LOCKED_PAGE in page
    assert SESSION_KEY not in client.session
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "leder",
        "10.0.0.7",
        4,
    )


def test_a_lockout_holds_one_user_name_from_one_address_only(
    staff: Staff, settings: Settings
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    attacker = Client(HTTP_ACCEPT_LANGUAGE="da", REMOTE_ADDR="10.0.0.7")
    for _ in range(2):
        _log_in(attacker, "leder", "wrong")

    # The same user from their own desk, and a colleague from the attacker's address.
    assert _log_in(Client(REMOTE_ADDR="10.0.0.8"), "leder", PASSWORD)[0] == 302
    assert _log_in(attacker, "byg", PASSWORD)[0] == 302


def test_axes_reset_lifts_a_lockout(staff: Staff, settings: Settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 1
    client = Client(REMOTE_ADDR="10.0.0.7")
    assert _log_in(client, "byg", "wrong")[0] == 429

    call_command("axes_reset", verbosity=0)

    assert _log_in(client, "byg", PASSWORD)[0] == 302
    assert AccessAttempt.objects.count() == 0


def test_the_admin_signs_in_through_the_login_page(db: None) -> None:
    response = Client().get("/admin/login/?next=/admin/")

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/admin/")


def test_unknown_api_tokens_lock_the_address_out_even_for_a_good_token(
    staff: Staff, api_for: ApiFor, settings: Settings
) -> None:
    settings.API_TOKEN_FAILURE_LIMIT = 3
    guesser = APIClient(REMOTE_ADDR="10.0.0.9", HTTP_ACCEPT_LANGUAGE="da")
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {UNKNOWN_TOKEN}")
    good = api_for(staff.frontline)

    # Form-encoded, with a CPR number in the query and the body: neither is recorded.
    statuses = [
        guesser.post("/api/v1/contacts/?cpr=0101901234", {**CONTACT, "cpr": "0101901234"})
        for _ in range(3)
    ]

    assert [r.status_code for r in statuses] == [401, 401, 429]
    assert statuses[0].json() == {"detail": "Ugyldigt token."}
    assert statuses[2].json() == LOCKED_API
    # The guesser's address is refused whatever token it sends; nothing is registered.
    good_from_guesser = good.post(
        "/api/v1/contacts/", CONTACT, format="json", REMOTE_ADDR="10.0.0.9"
    )
    assert (good_from_guesser.status_code, good_from_guesser.json()) == (429, LOCKED_API)
    assert Contact.objects.count() == 0
    assert good.post("/api/v1/contacts/", CONTACT, format="json").status_code == 201
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        API_TOKEN_USERNAME,
        "10.0.0.9",
        3,
    )
    assert (attempt.path_info, attempt.get_data.strip("-\n"), attempt.post_data.strip("-\n")) == (
        "/api/v1/contacts/",
        "",
        "",
    )


def test_a_token_lockout_through_the_token_api_chain_answers_json_in_danish(
    staff: Staff, settings: Settings
) -> None:
    settings.API_TOKEN_FAILURE_LIMIT = 2
    headers = {
        "HTTP_AUTHORIZATION": f"Token {UNKNOWN_TOKEN}",
        "HTTP_ACCEPT_LANGUAGE": "da",
        "REMOTE_ADDR": "10.0.0.9",
    }
    body = json.dumps(CONTACT).encode()

    answers = [_call("POST", "/api/v1/contacts/", body=body, **headers) for _ in range(2)]

    assert [status for status, _, _ in answers] == ["401 Unauthorized", "429 Too Many Requests"]
    assert json.loads(answers[1][2]) == LOCKED_API
    assert answers[1][1]["cache-control"] == ["no-store"]
    assert Contact.objects.count() == 0


def test_a_reset_token_lockout_ends_when_the_process_asks_again(
    staff: Staff, api_for: ApiFor, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.API_TOKEN_FAILURE_LIMIT = 1
    guesser = APIClient(REMOTE_ADDR="10.0.0.9")
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {UNKNOWN_TOKEN}")
    assert guesser.get("/api/v1/contacts/").status_code == 429
    good = api_for(staff.frontline)
    assert good.get("/api/v1/contacts/", REMOTE_ADDR="10.0.0.9").status_code == 429

    call_command("axes_reset", verbosity=0)
    # The process asks the database again once its remembered lockout is due for a check.
    monkeypatch.setattr("indgang.signin.selectors.LOCKOUT_RECHECK_SECONDS", 0)
    from indgang.signin.selectors import remember_locked_token_client

    remember_locked_token_client(address="10.0.0.9")

    assert good.get("/api/v1/contacts/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_good_token_costs_no_query_for_the_lockout(
    staff: Staff, api_for: ApiFor, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    api = api_for(staff.frontline)
    # The token with its owner and roles, and the (empty) page: as before the lockout.
    with django_assert_num_queries(2):
        assert api.get("/api/v1/contacts/").status_code == 200


def test_behind_trusted_proxies_the_address_is_the_one_the_first_proxy_saw(
    staff: Staff, settings: Settings
) -> None:
    settings.TRUSTED_PROXIES = 1
    settings.LOGIN_FAILURE_LIMIT = 1
    # The client forges a first address; the proxy appends the one it saw.
    proxied = Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")

    assert _log_in(proxied, "byg", "wrong")[0] == 429

    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    other = Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert _log_in(other, "byg", PASSWORD)[0] == 302
