"""The queue in a real browser: the reception draws a number and sends the visitor to a desk,
which calls it, and the display in a second, signed-out page shows the call without being
reloaded."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.bookings.constants import VisitStatus
from indgang.bookings.models import Visit
from indgang.bookings.queue import issue_display_token
from indgang.bookings.tests.conftest import Centre
from indgang.conftest import Staff
from indgang.contacts.tests.test_front_desk_browser import (
    assert_accessible,
    chromium,
    log_in,
    new_page,
    screenshot,
)


@pytest.mark.browser
def test_a_number_drawn_and_called_appears_on_the_display_without_a_reload(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    centre: Centre,
) -> None:
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    token = issue_display_token(unit=centre.unit, issued_by=staff.manager, now=timezone.now())
    base_url, unit = live_server.url, centre.unit

    with chromium() as browser:
        display = new_page(browser, width=1920, height=1080)  # the TV: its own, signed-out page
        display.goto(f"{base_url}/koe/skaerm/{token}/")
        expect(display.locator("#board")).to_contain_text("Ingen numre er kaldt endnu.")
        expect(display.locator("#board .waiting")).to_have_text("0 venter")
        assert_accessible(display)
        # Set on this document only: still there after the call means the page was not reloaded.
        display.evaluate("window.notReloaded = true")

        page = new_page(browser)
        log_in(page, base_url=base_url, username=staff.frontline.username, stay_on_start=True)
        page.goto(f"{base_url}/koe/")
        page.locator(f"a[href='/koe/{unit.pk}/']").click()
        expect(page.locator("#queue-reception")).to_be_visible()
        page.locator("#draw-number").click()
        expect(page.locator(".messages")).to_have_text("Nummer A001 er trukket.")
        expect(page.locator("#todays-queue tr[data-status=waiting] th")).to_have_text("A001")
        assert_accessible(page)
        screenshot(page, "queue-reception.png", full_page=True)
        expect(display.locator("#board .waiting")).to_have_text("1 venter")

        # Visitation: the visitor is sent to desk 2.
        page.locator("#todays-queue tr[data-status=waiting] a").click()
        expect(page.locator("#queue-visit")).to_contain_text("A001")
        assert_accessible(page)
        page.locator("#id_desk").select_option(str(centre.desk_2.pk))
        page.locator("button[name=triage]").click()
        expect(page.locator(".messages")).to_have_text("Nummer A001 er visiteret.")
        expect(page.locator("#todays-queue tr[data-status=waiting] td").nth(2)).to_have_text(
            "Skranke 2"
        )

        page.goto(f"{base_url}/koe/{unit.pk}/skranke/{centre.desk_2.pk}/")
        expect(page.locator("#desk-waiting li[data-visit]")).to_contain_text("A001")
        page.locator("#call-next").click()
        expect(page.locator(".messages")).to_have_text("Nummer A001 er kaldt.")
        expect(page.locator("#current-visit .queue-number")).to_have_text("A001")
        assert_accessible(page)
        screenshot(page, "queue-desk.png", full_page=True)

        current = display.locator("#board tr.current")
        expect(current).to_have_count(1)
        expect(current.locator("td")).to_have_text(["A001", "Skranke 2"])
        expect(display.locator("#board .waiting")).to_have_text("0 venter")
        assert display.evaluate("window.notReloaded") is True
        assert display.locator("[aria-live=polite] #board").count() == 1
        assert_accessible(display)
        screenshot(display, "queue-display.png")

    visit = Visit.objects.get()
    assert (visit.label, visit.status, visit.desk_id) == (
        "A001",
        VisitStatus.CALLED,
        centre.desk_2.pk,
    )
