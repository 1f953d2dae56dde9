"""The WSGI application: token API requests take the lean middleware, everything else all of it."""

from __future__ import annotations

import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from indgang.common.handlers import get_application, is_token_api_request
from indgang.conftest import CPR_A, Staff, token_secret
from indgang.contacts.models import Contact


def _call(
    method: str, path: str, *, body: bytes = b"", **headers: str
) -> tuple[str, dict[str, list[str]], bytes]:
    """One request through the project's WSGI application, in this process.

    As Django's test client does, the request keeps the test's database connection open.
    """
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **headers,
    }
    setup_testing_defaults(environ)
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        answer["status"] = status
        answer["headers"] = response_headers

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = get_application()(environ, start_response)
        content = b"".join(response)
        getattr(response, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    named: dict[str, list[str]] = {}
    for name, value in answer["headers"]:
        named.setdefault(name.lower(), []).append(value)
    return answer["status"], named, content


def _post_contact(
    staff: Staff, cpr: str, *, keyword: str = "Token", **headers: str
) -> tuple[str, dict[str, list[str]], bytes]:
    """A phone contact for `cpr`, registered through the application with a front-desk token."""
    secret = token_secret(staff.frontline)
    contact = {"channel": "phone", "received_at": "2026-11-30T09:15:00+01:00", "summary": "Varme"}
    return _call(
        "POST",
        "/api/v1/contacts/",
        body=json.dumps({**contact, "cpr": cpr}).encode(),
        HTTP_AUTHORIZATION=f"{keyword} {secret}",
        **headers,
    )


@pytest.mark.django_db
def test_a_token_api_request_skips_the_browser_middleware_and_keeps_the_rest(
    staff: Staff,
) -> None:
    status, headers, body = _post_contact(staff, CPR_A)
    assert status == "201 Created", body
    assert Contact.objects.get().pk == json.loads(body)["id"]
    # Security headers, language and Content-Length stay; no cookie, no frame rule.
    assert headers["x-content-type-options"] == ["nosniff"]
    assert headers["content-language"] == ["da"]
    assert headers["content-length"] == [str(len(body))]
    assert "set-cookie" not in headers
    assert "x-frame-options" not in headers
    assert "Cookie" not in ", ".join(headers.get("vary", []))
    assert "Accept-Language" in ", ".join(headers["vary"])

    # The keyword in any case, as DRF reads it.
    status, _headers, body = _post_contact(staff, "3201901234", keyword="token")
    assert (status, json.loads(body)) == (
        "400 Bad Request",
        {"cpr": ["CPR-nummeret begynder ikke med en gyldig fødselsdato."]},
    )
    assert Contact.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "cookie", "language", "message"),
    [
        ("en-GB,en;q=0.8", "", "en", "The CPR number does not start with a valid date of birth."),
        (
            "",
            "django_language=en",
            "en",
            "The CPR number does not start with a valid date of birth.",
        ),
        ("fr", "", "da", "CPR-nummeret begynder ikke med en gyldig fødselsdato."),
    ],
)
def test_a_token_api_request_answers_in_the_language_locale_middleware_would_choose(
    staff: Staff, accept_language: str, cookie: str, language: str, message: str
) -> None:
    status, headers, body = _post_contact(
        staff, "3201901234", HTTP_ACCEPT_LANGUAGE=accept_language, HTTP_COOKIE=cookie
    )
    assert (status, json.loads(body)) == ("400 Bad Request", {"cpr": [message]})
    assert headers["content-language"] == [language]
    assert "Accept-Language" in ", ".join(headers["vary"])
    assert Contact.objects.count() == 0


@pytest.mark.django_db
def test_browsers_and_api_calls_without_a_token_get_every_middleware() -> None:
    status, headers, _body = _call("GET", "/login/")
    assert status == "200 OK"
    assert headers["x-frame-options"] == ["DENY"]
    assert any(cookie.strip().startswith("csrftoken=") for cookie in headers["set-cookie"])

    status, headers, _body = _call("GET", "/api/v1/contacts/")
    assert status == "401 Unauthorized"
    assert headers["x-frame-options"] == ["DENY"]
    assert "Cookie" in ", ".join(headers["vary"])


@pytest.mark.parametrize(
    ("path", "authorization", "token_api"),
    [
        ("/api/v1/contacts/", "Token abc", True),
        ("/api/v1/contacts/", "TOKEN abc", True),
        ("/api/v1/contacts/", "Bearer abc", False),
        ("/api/v1/contacts/", "", False),
        ("/contacts/", "Token abc", False),
        ("/apis/", "Token abc", False),
    ],
)
def test_only_api_paths_with_a_token_take_the_lean_middleware(
    path: str, authorization: str, token_api: bool
) -> None:
    environ = {"PATH_INFO": path, "HTTP_AUTHORIZATION": authorization}
    assert is_token_api_request(environ) is token_api
