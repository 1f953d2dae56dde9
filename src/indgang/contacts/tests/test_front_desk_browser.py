"""The front desk in a real browser: log in, look up a citizen, register a call, see the 360.

Drives Debian's chromium through Playwright against pytest-django's live server. The pages are
translated, so elements are found by id, name and value, never by their label text.
"""

from __future__ import annotations

from base64 import b32decode
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from indgang.audit.constants import AccessAction
from indgang.audit.models import AccessLogEntry
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, PASSWORD, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"
TIMEOUT_MS = 10_000
# axe-core's impacts that fail a test; "moderate" and "minor" ones are for a person to weigh.
AXE_BLOCKING = ("serious", "critical")

EARLIER_SUMMARY = "Spørger om byggetilladelse til carport"
NEW_SUMMARY = "Ringer om tilslutning til fjernvarme i ny bolig"


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless chromium, closed however the test ends."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser, *, width: int = 1280, height: int = 720) -> Page:
    """A Danish page (as at the municipality's desks) that waits up to TIMEOUT_MS; 1280 x 720
    is Playwright's own default size."""
    page = browser.new_page(viewport={"width": width, "height": height}, locale="da-DK")
    page.set_default_timeout(TIMEOUT_MS)
    return page


def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    """The page as var/screenshots/NAME, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=full_page)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now and fail listing every serious or critical violation:
    the rule, its impact and help, and each element (CSS selectors) with what to fix there.
    axe.min.js comes with axe-playwright-python, so nothing is fetched at run time."""
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    {', '.join(map(str, node['target']))}: {' '.join(node['failureSummary'].split())}"
            for node in violation["nodes"]
        )
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in AXE_BLOCKING
    ]
    assert not found, f"axe-core on {page.url}:\n" + "\n".join(found)


def submit_login(page: Page, base_url: str, *, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    # Submit from the keyboard, as staff do.
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def totp_secret(page: Page) -> bytes:
    """The second factor's secret, as the enrolment page shows it to be typed into an app."""
    return b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))


def enter_code(page: Page, secret: bytes) -> None:
    """Type the code an authenticator app with `secret` shows now, and submit it."""
    page.locator("#id_code").fill(f"{totp(secret, step=30, t0=0, digits=6):06d}")
    page.locator("#id_code").press("Enter")


def log_in(page: Page, *, base_url: str, username: str, stay_on_start: bool = False) -> None:
    """Log in through the login page, which lands on the start page; then open the front desk
    unless told to stay there."""
    submit_login(page, base_url, username=username)
    # Managers and administrators set up their second factor first, as at their first login.
    expect(page.locator("#start-page, #totp-secret").first).to_be_visible(timeout=TIMEOUT_MS)
    if page.locator("#totp-secret").is_visible():
        enter_code(page, totp_secret(page))
    # A failed log-in re-renders the form with an alert; only the start page has this heading.
    expect(page.locator("#start-page")).to_be_visible(timeout=TIMEOUT_MS)
    if not stay_on_start:
        page.goto(f"{base_url}/front-desk/")
        expect(page.locator("#id_identifier")).to_be_visible(timeout=TIMEOUT_MS)


@pytest.mark.browser
def test_front_desk_registers_a_call_that_shows_in_the_360(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    tasks: dict[str, Task],
    register: RegisterContact,
) -> None:
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    heating = tasks["heating"]
    earlier = register(cpr=CPR_A, party_name="Karen Jensen", summary=EARLIER_SUMMARY, task=heating)
    party = earlier.party
    assert party is not None
    user = staff.frontline
    base_url = live_server.url

    with chromium() as browser:
        # A Danish browser, as at the municipality's front desk.
        page = new_page(browser, width=1280, height=900)

        log_in(page, base_url=base_url, username=user.username)
        assert page.url == f"{base_url}/front-desk/"
        # Keyboard first: the identifier field has focus as soon as the page loads.
        assert page.evaluate("document.activeElement && document.activeElement.id") == (
            "id_identifier"
        )

        page.locator("#id_identifier").press_sequentially(CPR_A)
        card = page.locator("#party-result .party-card")
        expect(card).to_contain_text("Karen Jensen")
        expect(card).to_have_attribute("data-party", str(party.pk))
        # The call follows up the earlier matter: one keystroke-free choice joins its thread.
        earlier_thread = page.locator(f"label[data-thread='{earlier.thread_id}'] input")
        expect(earlier_thread).not_to_be_checked()
        earlier_thread.check()

        page.locator("#id_summary").fill(NEW_SUMMARY)

        page.locator("#task-search").press_sequentially("fjernvarme")
        option = page.locator("label.task-option", has_text=heating.title)
        expect(option).to_have_count(1)
        radio = option.locator("input[type=radio][name=task]")
        expect(radio).to_have_value(str(heating.pk))
        radio.check()
        expect(radio).to_be_checked()

        phone = page.locator("input[name=channel][value=phone]")
        phone.check()
        expect(phone).to_be_checked()

        screenshot(page, "front_desk.png", full_page=True)
        page.locator(
            f"button[name=outcome][value={Outcome.RESOLVED_AT_FIRST_CONTACT.value}]"
        ).click()
        page.wait_for_url(f"{base_url}/parties/{party.pk}/")

        expect(page.locator(".messages")).to_have_text(
            "Henvendelsen er registreret: Løst ved første kontakt."
        )
        expect(page.locator("h1")).to_contain_text("Karen Jensen")
        phone_calls = page.locator("li.contact[data-channel=phone]")
        expect(phone_calls.filter(has_text=NEW_SUMMARY)).to_have_count(1)
        expect(page.locator("li.contact").filter(has_text=EARLIER_SUMMARY)).to_have_count(1)

        screenshot(page, "front_desk_360.png", full_page=True)

    contacts = list(Contact.objects.filter(party=party).order_by("pk"))
    assert len(contacts) == 2
    assert contacts[0].pk == earlier.pk
    new = contacts[1]
    assert new.summary == NEW_SUMMARY
    assert new.channel == Channel.PHONE
    assert new.outcome == Outcome.RESOLVED_AT_FIRST_CONTACT
    assert new.task_id == heating.pk
    assert new.handled_by_id == user.pk
    assert new.thread_id == earlier.thread_id
    log = AccessLogEntry.objects.filter(party=party, user=user)
    assert log.filter(action=AccessAction.LOOKED_UP).exists()
    assert log.filter(action=AccessAction.VIEWED_OVERVIEW).exists()
