"""Staff single sign-on in a real browser against a real OpenID Connect provider process.

Chromium (Playwright) signs in at the test provider (django-oauth-toolkit, conftest.py), which
sends it back to pytest-django's live server; Indgang exchanges the code with the provider
over HTTP and checks the ID token. Nothing of the protocol is mocked.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from playwright.sync_api import Page, Route, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from indgang.common.oidc import SIGNED_IN_WITH
from indgang.conftest import Staff
from indgang.contacts.tests.test_front_desk_browser import TIMEOUT_MS, chromium, new_page
from indgang.organisation.tests.conftest import PROVIDER_PASSWORD, OidcProvider, staff_sign_on

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def allow_orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def sign_in_at_provider(page: Page, *, base_url: str, username: str) -> None:
    """From Indgang's sign-in page, through the provider's sign-in and consent pages."""
    page.goto(f"{base_url}/login/")
    button = page.locator("#single-sign-on")
    expect(button).to_have_text("Log ind med Testkommunens IdP")
    button.click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PROVIDER_PASSWORD)
    page.locator("#sign-in").click()
    page.locator("input[name=allow]").click()


def assert_signed_out(page: Page, *, base_url: str) -> None:
    page.goto(f"{base_url}/")
    assert page.url == f"{base_url}/login/?next=/"


def session_key(page: Page) -> str | None:
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    return cookies.get("sessionid")


def refusal(page: Page) -> str:
    message = page.locator(".messages .message.error")
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    return message.inner_text()


def test_a_staff_user_signs_in_at_the_provider_and_out_again(
    live_server: LiveServer, staff: Staff, sign_on: OidcProvider
) -> None:
    base_url = live_server.url
    with chromium() as browser:
        page = new_page(browser)

        sign_in_at_provider(page, base_url=base_url, username="byg")

        # The start page, as the caseworker the provider vouched for.
        expect(page.locator("#start-caseworker")).to_be_visible()
        assert page.url == f"{base_url}/"
        expect(page.locator(".session .identity-name")).to_have_text("Byg")
        signed_in = session_key(page)
        session = Session.objects.get(session_key=signed_in).get_decoded()
        # The ORM's connection inside Playwright's block is its own: closed here.
        connection.close()
        assert (session["_auth_user_id"], session[SIGNED_IN_WITH]) == (
            str(staff.caseworker.pk),
            "STAFF_OIDC",
        )
        assert "oidc_id_token" not in session
        assert "oidc_access_token" not in session

        page.locator(".session summary").click()  # the account menu
        page.locator(".session button").click()
        expect(page.locator("#id_username")).to_be_visible()
        assert_signed_out(page, base_url=base_url)
        signed_out = session_key(page)

    assert signed_in is not None
    assert signed_out != signed_in
    assert not Session.objects.filter(session_key=signed_in).exists()
    assert Session.objects.count() == (0 if signed_out is None else 1)


def test_someone_the_provider_knows_but_indgang_does_not_is_refused_in_danish(
    live_server: LiveServer, staff: Staff, sign_on: OidcProvider
) -> None:
    users_before = User.objects.count()
    with chromium() as browser:
        page = new_page(browser)

        sign_in_at_provider(page, base_url=live_server.url, username="ukendt")

        assert refusal(page) == (
            "Du er ikke bruger af Indgang. Bed din administrator om at oprette dig."
        )
        assert page.url == f"{live_server.url}/login/"
        assert_signed_out(page, base_url=live_server.url)
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="ukendt").exists()


@pytest.mark.parametrize(
    ("changed", "where", "method"),
    [
        # The provider's answer to the consent sends the browser back with another state.
        ({"state": "forfalsket"}, "provider", "POST"),
        # Indgang sends the browser to the provider with another nonce than it keeps; the
        # provider signs that one into the ID token.
        ({"nonce": "forfalsket"}, "indgang", "GET"),
    ],
    ids=["state", "nonce"],
)
def test_a_tampered_state_or_nonce_is_refused(
    live_server: LiveServer,
    staff: Staff,
    sign_on: OidcProvider,
    changed: dict[str, str],
    where: str,
    method: str,
) -> None:
    routed = {
        "provider": f"{sign_on.issuer}/authorize/**",
        "indgang": f"{live_server.url}/login/sso/",
    }
    with chromium() as browser:
        page = new_page(browser)
        tampered = redirect_changing(method=method, **changed)
        page.route(routed[where], tampered)

        sign_in_at_provider(page, base_url=live_server.url, username="byg")

        assert refusal(page) == "Log ind kunne ikke bekræftes. Begynd forfra fra log ind-siden."
        assert tampered.changed == 1
        assert_signed_out(page, base_url=live_server.url)


def test_a_sign_in_without_the_required_second_factor_is_refused(
    live_server: LiveServer, staff: Staff, sign_on: OidcProvider, settings: Settings
) -> None:
    # The test provider says the user signed in with a password only (amr: pwd).
    settings.STAFF_OIDC = staff_sign_on(sign_on.issuer, required_amr=["mfa"])
    with chromium() as browser:
        page = new_page(browser)

        sign_in_at_provider(page, base_url=live_server.url, username="byg")

        assert refusal(page) == (
            "Dit log ind hos Testkommunens IdP brugte ikke den krævede anden faktor."
        )
        assert_signed_out(page, base_url=live_server.url)


def test_a_user_created_on_first_sign_in_has_no_role_and_is_refused(
    live_server: LiveServer, staff: Staff, sign_on: OidcProvider, settings: Settings
) -> None:
    settings.STAFF_OIDC = staff_sign_on(sign_on.issuer, create_users=True)
    with chromium() as browser:
        page = new_page(browser)

        sign_in_at_provider(page, base_url=live_server.url, username="ukendt")

        expect(page.locator("h1")).to_have_text("Ingen adgang")
    created = User.objects.get(username="ukendt")
    assert (created.email, created.has_usable_password(), created.role_assignments.count()) == (
        "ukendt@kommune.example",
        False,
        0,
    )


class redirect_changing:  # noqa: N801 - used as a function
    """A route handler: the redirect the server answers with, with query values changed.

    Playwright routes only the first request of a chain of redirects, so the redirect is
    fetched here, its Location changed, and answered to the browser as the server sent it.
    """

    def __init__(self, *, method: str, **changes: str) -> None:
        self.method = method
        self.changes = changes
        self.changed = 0

    def __call__(self, route: Route) -> None:
        if route.request.method != self.method:
            route.continue_()
            return
        answer = route.fetch(max_redirects=0)
        headers = dict(answer.headers)
        parts = urlsplit(headers["location"])
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        assert set(self.changes) <= set(query)
        query.update(self.changes)
        headers["location"] = urlunsplit(parts._replace(query=urlencode(query)))
        self.changed += 1
        route.fulfill(response=answer, headers=headers)
