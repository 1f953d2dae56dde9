"""Error pages in Danish, from the demo as from production: a missing page and a server error."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from indgang.common.views import server_error
from indgang.conftest import Staff, staff_client


def test_a_server_error_page_is_danish_and_needs_no_database() -> None:
    # No django_db mark: pytest-django fails the test if the page touches the database.
    with translation.override("da"):
        page = server_error(RequestFactory().get("/cases/"))

    assert isinstance(page, HttpResponse)
    body = page.content.decode()
    assert page.status_code == 500
    assert "<h1>Noget gik galt</h1>" in body
    assert "Server Error" not in body
    assert 'href="/static/indgang/favicon.svg"' in body


@pytest.mark.django_db
def test_a_missing_page_is_danish_with_the_staff_header(staff: Staff) -> None:
    page = staff_client(staff.caseworker).get("/ingen-side/", HTTP_ACCEPT_LANGUAGE="da")
    body = page.content.decode()

    assert page.status_code == 404
    assert "<h1>Findes ikke</h1>" in body
    # The header's menu, so the way back is one click.
    assert '<span class="identity-role">Sagsbehandler · Byggesager</span>' in body
    assert 'href="/static/indgang/favicon.svg"' in body


def test_a_missing_page_is_danish_without_a_sign_in() -> None:
    page = Client().get("/ingen-side/", HTTP_ACCEPT_LANGUAGE="da")

    assert page.status_code == 404
    assert "<h1>Findes ikke</h1>" in page.content.decode()
