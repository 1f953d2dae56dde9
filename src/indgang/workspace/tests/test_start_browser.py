"""The start page in a real browser: a manager logs in, lands on it and reads the trends.

Contacts are registered through the real service, so the rollup triggers count them; each plot
is an inline SVG whose table beside it carries exactly those numbers.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.catalogue.constants import Channel
from indgang.conftest import RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.tests.test_front_desk_browser import (
    chromium,
    log_in,
    new_page,
    screenshot,
)
from indgang.statistics.dashboard.panels import period_label
from indgang.statistics.tests.test_dashboard_browser import svg_texts, table_rows


@pytest.mark.browser
def test_a_manager_lands_on_the_start_page_and_reads_the_trends(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    register: RegisterContact,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    earlier = dt.datetime.combine(last_month, dt.time(10), tzinfo=timezone.get_current_timezone())
    # Last month: one call, resolved. This month: four calls (one resolved) and an e-mail:
    # five contacts, one resolved at first contact (20 %), one digital (20 %).
    register(received_at=earlier, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(received_at=now, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    for _ in range(3):
        register(received_at=now)
    register(received_at=now, channel=Channel.EMAIL)
    before, current = period_label(last_month, "month"), period_label(this_month, "month")

    with chromium() as browser:
        page = new_page(browser, width=1366, height=768)
        log_in(page, base_url=live_server.url, username=staff.manager.username, stay_on_start=True)
        assert page.url == f"{live_server.url}/"
        expect(page.locator("h1")).to_have_text("Start")
        expect(page.locator("#start-manager")).to_be_visible()

        for key in ("first-contact", "digital-share"):
            svg = page.locator(f"[data-chart='{key}'] svg[role='img']")
            expect(svg).to_have_count(1)
            expect(page.locator(f"#{key}-caption")).to_be_visible()
        first = table_rows(page, "first-contact")
        assert len(first) == 13  # a header and twelve months
        assert first[-2:] == [[before, "100,0 %"], [current, "20,0 %"]]
        assert f"{current}: 20,0 %" in svg_texts(page, "first-contact", "title")
        share = table_rows(page, "digital-share")
        assert [row[:2] for row in share[-2:]] == [[before, "0,0 %"], [current, "20,0 %"]]
        assert f"{current}: 20,0 %" in svg_texts(page, "digital-share", "title")
        # The call-backs and overdue figures of the manager's contact centre: none yet.
        expect(page.locator("[data-figure='overdue'] .figure")).to_have_text("0")
        screenshot(page, "start-manager-1366.png", full_page=True)

        # On a phone the panels stack and wide tables scroll inside their own region.
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        expect(page.locator("#start-manager")).to_be_visible()
        widths = page.locator("#start-page").evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert widths[0] <= widths[1] <= 390
        screenshot(page, "start-manager-390.png", full_page=True)
