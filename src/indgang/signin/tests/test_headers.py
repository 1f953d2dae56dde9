"""Security headers: CSP, no-store on everything but static files, HSTS in production."""

from __future__ import annotations

import importlib

from django.test import Client, override_settings

from indgang.common.tests.test_handlers import _call
from indgang.conftest import Staff, token_secret

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)


def test_a_staff_page_has_the_csp_and_is_not_stored(staff: Staff) -> None:
    client = Client()
    client.force_login(staff.caseworker)

    response = client.get("/contacts/")

    assert response.status_code == 200
    assert sorted(response["Content-Security-Policy"].split("; ")) == sorted(POLICY.split("; "))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_login_page_and_an_api_answer_by_session_are_not_stored(staff: Staff) -> None:
    # The login page says so itself (Django's never_cache), no-store included.
    assert "no-store" in Client().get("/login/")["Cache-Control"].split(", ")
    client = Client()
    client.force_login(staff.caseworker)
    assert client.get("/api/v1/contacts/")["Cache-Control"] == "no-store"


def test_token_api_answers_are_not_stored(staff: Staff) -> None:
    secret = token_secret(staff.caseworker)

    status, headers, _body = _call("GET", "/api/v1/contacts/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert status == "200 OK"
    assert headers["cache-control"] == ["no-store"]
    assert headers["x-content-type-options"] == ["nosniff"]
    # The token API's short chain sends no CSP: it serves no pages.
    assert "content-security-policy" not in headers


def test_a_view_that_sets_its_own_cache_control_keeps_it(db: None) -> None:
    response = Client().get("/health/")

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_production_sends_hsts_with_subdomains(staff: Staff) -> None:
    production = importlib.import_module("indgang.conf.production")
    with override_settings(
        SECURE_HSTS_SECONDS=production.SECURE_HSTS_SECONDS,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=production.SECURE_HSTS_INCLUDE_SUBDOMAINS,
        SESSION_COOKIE_SECURE=production.SESSION_COOKIE_SECURE,
    ):
        client = Client()
        response = client.post(
            "/login/", {"username": "byg", "password": "test-password-1"}, secure=True
        )

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["sessionid"]["secure"] is True
