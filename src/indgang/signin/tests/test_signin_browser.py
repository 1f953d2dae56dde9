"""Sign-in in a real browser: the lockout, a manager's TOTP enrolment, and the CSP.

Drives Debian's chromium through Playwright against pytest-django's live server. Elements are
found by id and name; the Danish messages are the ones a user reads.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from indgang.conftest import PASSWORD, Staff
from indgang.contacts.tests.test_front_desk_browser import (
    TIMEOUT_MS,
    chromium,
    enter_code,
    submit_login,
    totp_secret,
)
from indgang.organisation.models import Unit

LOCKED = (
    "For mange mislykkede login-forsøg. Login med dette brugernavn fra denne adresse er "
    "spærret i 30 minutter."
)
WRONG_CODE = "Koden er forkert eller for gammel. Prøv den kode, appen viser nu."


def csp_violations(page: Page) -> list[str]:
    """Console errors about the Content-Security-Policy, collected as the page runs."""
    seen: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", note)
    return seen


@pytest.mark.browser
def test_the_login_locks_out_and_then_refuses_the_right_password(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    settings: Settings,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.LOGIN_FAILURE_LIMIT = 3
    with chromium() as browser:
        page = browser.new_page(locale="da-DK")
        for _ in range(2):
            submit_login(page, live_server.url, username="byg", password="forkert")
            expect(page.locator("p.error[role=alert]")).to_have_text(
                "Brugernavn eller adgangskode er forkert. Prøv igen.", timeout=TIMEOUT_MS
            )
        submit_login(page, live_server.url, username="byg", password="forkert")
        expect(page.locator("#locked-out")).to_have_text(LOCKED, timeout=TIMEOUT_MS)

        submit_login(page, live_server.url, username="byg", password=PASSWORD)

        expect(page.locator("#locked-out")).to_have_text(LOCKED, timeout=TIMEOUT_MS)
        page.goto(f"{live_server.url}/contacts/")
        expect(page.locator("#id_username")).to_be_visible(timeout=TIMEOUT_MS)


@pytest.mark.browser
def test_a_manager_enrols_totp_and_is_let_in_only_with_the_right_code(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The database is read after the browser closes: a query inside Playwright's event loop
    # opens a connection of its own that outlives the test.
    with chromium() as browser:
        page = browser.new_page(locale="da-DK")
        violations = csp_violations(page)
        submit_login(page, live_server.url, username="leder", password=PASSWORD)
        expect(page.locator(".qr-code svg")).to_be_visible(timeout=TIMEOUT_MS)
        # Until the code is given, staff pages send the manager back.
        page.goto(f"{live_server.url}/contacts/")
        expect(page.locator("#totp-secret")).to_be_visible(timeout=TIMEOUT_MS)
        secret = totp_secret(page)

        page.locator("#id_code").fill("000000")
        page.locator("#id_code").press("Enter")
        expect(page.locator("#code-error")).to_have_text(WRONG_CODE, timeout=TIMEOUT_MS)
        page.goto(f"{live_server.url}/contacts/")
        expect(page.locator("#totp-secret")).to_be_visible(timeout=TIMEOUT_MS)

        # django-otp makes the device wait a second after a failure.
        page.wait_for_timeout(1100)
        enter_code(page, secret)

        expect(page.locator("h1")).to_have_text("Henvendelser", timeout=TIMEOUT_MS)
        # The front desk with htmx and the language switch run under the CSP.
        page.goto(f"{live_server.url}/front-desk/")
        expect(page.locator("#id_identifier")).to_be_visible(timeout=TIMEOUT_MS)
        page.locator(".session summary").click()  # the account menu holds the switch
        page.locator("#language").select_option("en")
        expect(page.locator("html")).to_have_attribute("lang", "en", timeout=TIMEOUT_MS)
        # The front desk's panels load by htmx: let them finish before the server stops.
        page.wait_for_load_state("networkidle")

    device = TOTPDevice.objects.get(user=staff.manager)
    assert (device.bin_key, device.confirmed) == (secret, True)
    assert violations == []


@pytest.mark.browser
def test_the_api_documentation_runs_under_the_csp(
    live_server: LiveServer, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        page = browser.new_page()
        violations = csp_violations(page)
        page.goto(f"{live_server.url}/api/docs/")

        expect(page.locator(".swagger-ui .info .title")).to_contain_text(
            "Indgang API", timeout=TIMEOUT_MS
        )
        assert violations == []


@pytest.mark.browser
def test_a_superuser_reaches_the_admin_with_a_code_and_it_runs_under_the_csp(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    superuser = User.objects.create_superuser("it", "it@example.dk", PASSWORD)
    device = TOTPDevice.objects.create(user=superuser, name="Indgang", confirmed=True)
    code = f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"
    units = Unit.objects.count()
    with chromium() as browser:
        page = browser.new_page(locale="da-DK")
        violations = csp_violations(page)
        # Units are edited in the admin (role assignments are read only there).
        page.goto(f"{live_server.url}/admin/organisation/unit/")
        page.locator("#id_username").fill("it")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.locator("#id_code").fill(code)
        page.locator("#id_code").press("Enter")

        expect(page.locator("#result_list")).to_be_visible(timeout=TIMEOUT_MS)
        # The admin's own scripts work: "select all" ticks every row.
        page.locator("#action-toggle").check()
        expect(page.locator("input.action-select:checked")).to_have_count(units, timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")

    assert violations == []
