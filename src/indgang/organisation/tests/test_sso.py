"""Staff single sign-on without a browser: off by default, and a provider that cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from indgang.common.oidc import forget_discovery
from indgang.common.tests.test_serve import free_port
from indgang.organisation.tests.conftest import staff_sign_on


@pytest.fixture(autouse=True)
def no_discovery_remembered() -> Iterator[None]:
    forget_discovery()
    yield
    forget_discovery()


def test_without_an_issuer_there_is_no_single_sign_on(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")

    page = client.get("/login/").content.decode()

    assert "single-sign-on" not in page
    assert "Log ind med" not in page
    assert client.get("/login/sso/").status_code == 404
    assert client.get("/login/sso/callback/?code=x&state=y").status_code == 404


def test_the_sign_in_page_offers_the_configured_provider(db: None, settings: Settings) -> None:
    settings.STAFF_OIDC = staff_sign_on("http://127.0.0.1:1/o", name="Microsoft Entra ID")

    page = Client(HTTP_ACCEPT_LANGUAGE="da").get("/login/?next=/deadlines/").content.decode()

    assert (
        '<a id="single-sign-on" class="button primary" href="/login/sso/?next=/deadlines/">'
        "Log ind med Microsoft Entra ID</a>"
    ) in page


def test_a_provider_that_cannot_be_reached_is_said_in_danish(db: None, settings: Settings) -> None:
    settings.STAFF_OIDC = staff_sign_on(f"http://127.0.0.1:{free_port()}/o", name="ADFS")
    client = Client(HTTP_ACCEPT_LANGUAGE="da")

    answer = client.get("/login/sso/", follow=True)

    assert answer.redirect_chain == [("/login/", 302)]
    assert "Indgang kunne ikke få forbindelse til ADFS. Prøv igen senere." in (
        answer.content.decode()
    )


def test_a_callback_without_a_started_sign_in_is_refused(db: None, settings: Settings) -> None:
    settings.STAFF_OIDC = staff_sign_on(f"http://127.0.0.1:{free_port()}/o")
    client = Client(HTTP_ACCEPT_LANGUAGE="da")

    answer = client.get("/login/sso/callback/?code=abc&state=def", follow=True)

    assert answer.redirect_chain == [("/login/", 302)]
    assert "Log ind kunne ikke bekræftes. Begynd forfra fra log ind-siden." in (
        answer.content.decode()
    )
    assert "_auth_user_id" not in client.session
