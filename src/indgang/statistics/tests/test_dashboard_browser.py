"""The dashboard in a real browser: a manager opens it from the header and reads each plot.

Contacts are registered through the real service, so the rollup triggers count them; every plot
must be an inline SVG whose bar titles and labels, like its table, carry exactly those numbers.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
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
from indgang.organisation.selectors import get_scope
from indgang.statistics.constants import GoalMetric
from indgang.statistics.dashboard.panels import period_label
from indgang.statistics.models import Goal
from indgang.statistics.pricing import (
    create_unit_cost_table_from_preset,
    put_unit_cost_table_in_use,
)

CHARTS = ("channel-mix", "digital-share", "cost-per-channel", "deadlines", "first-contact")


def table_rows(page: Page, key: str) -> list[list[str]]:
    """The chart's table as the browser shows it, header row first."""
    rows = page.locator(f"#{key}-table tr")
    return [
        [cell.strip() for cell in rows.nth(index).locator("th, td").all_inner_texts()]
        for index in range(rows.count())
    ]


def svg_texts(page: Page, key: str, element: str) -> list[str]:
    """The text of every <title> or <text> in the chart's SVG."""
    return [
        text.strip()
        for text in page.locator(f"[data-chart='{key}'] svg").evaluate(
            f"svg => [...svg.querySelectorAll('{element}')].map(node => node.textContent)"
        )
    ]


@pytest.mark.browser
def test_a_manager_reads_the_registered_contacts_in_every_plot(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    register: RegisterContact,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The migration's unit costs and goals are there unless a transactional test before this
    # one flushed them: the test sets its own.
    admin_scope = get_scope(user=staff.admin)
    put_unit_cost_table_in_use(
        scope=admin_scope,
        table=create_unit_cost_table_from_preset(
            scope=admin_scope, preset="kl-2011", name="Dashboard test"
        ),
    )
    Goal.objects.get_or_create(
        metric=GoalMetric.DIGITAL_SHARE,
        department=None,
        valid_from=dt.date(2015, 1, 1),
        defaults={"target": Decimal("0.5")},
    )
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    earlier = dt.datetime.combine(last_month, dt.time(10), tzinfo=timezone.get_current_timezone())
    # Last month: a call and an e-mail. This month: three calls (one resolved at first
    # contact) and two self-service applications.
    register(received_at=earlier)
    register(received_at=earlier, channel=Channel.EMAIL)
    register(received_at=now - dt.timedelta(minutes=5), outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    for _ in range(2):
        register(received_at=now - dt.timedelta(minutes=5))
        register(received_at=now - dt.timedelta(minutes=5), channel=Channel.SELFSERVICE)
    before, current = period_label(last_month, "month"), period_label(this_month, "month")

    with chromium() as browser:
        page = new_page(browser, width=1280, height=900)
        log_in(page, base_url=live_server.url, username=staff.manager.username)
        page.locator("header a[href='/statistik/']").click()
        expect(page.locator("h1")).to_have_text("Statistik")

        for key in CHARTS:
            svg = page.locator(f"[data-chart='{key}'] svg[role='img']")
            expect(svg).to_have_count(1)
            expect(svg).to_have_attribute("aria-labelledby", f"{key}-caption")
            expect(page.locator(f"#{key}-caption")).to_be_visible()

        mix = table_rows(page, "channel-mix")
        assert mix[0] == ["Periode", "Telefon", "E-mail", "Selvbetjening"]
        assert len(mix) == 13  # a header and twelve months
        assert mix[-2:] == [[before, "1", "1", "0"], [current, "3", "0", "2"]]
        assert all(row[1:] == ["0", "0", "0"] for row in mix[1:-2])
        titles = svg_texts(page, "channel-mix", "title")
        assert f"Telefon, {current}: 3" in titles
        assert f"Selvbetjening, {current}: 2" in titles
        assert f"E-mail, {before}: 1" in titles
        assert {"2", "5"} <= set(svg_texts(page, "channel-mix", "text"))  # column totals

        share = table_rows(page, "digital-share")
        assert share[-2:] == [[before, "50,0 %", "50,0 %"], [current, "40,0 %", "50,0 %"]]
        assert f"{current}: 40,0 %" in svg_texts(page, "digital-share", "title")
        assert {"50,0 %", "40,0 %"} <= set(svg_texts(page, "digital-share", "text"))

        # kl-2011: 4 calls × 40 kr., an e-mail at 55 kr., 2 self-service at 5 kr.
        assert table_rows(page, "cost-per-channel") == [
            ["Kanal", "Omkostning"],
            ["Telefon", "160 kr."],
            ["E-mail", "55 kr."],
            ["Selvbetjening", "10 kr."],
        ]
        assert svg_texts(page, "cost-per-channel", "title") == [
            "Telefon: 160 kr.",
            "E-mail: 55 kr.",
            "Selvbetjening: 10 kr.",
        ]
        assert {"160 kr.", "55 kr.", "10 kr."} <= set(svg_texts(page, "cost-per-channel", "text"))

        assert table_rows(page, "first-contact")[-2:] == [[before, "0,0 %"], [current, "20,0 %"]]
        assert f"{current}: 20,0 %" in svg_texts(page, "first-contact", "title")

        if target := os.environ.get("INDGANG_DASHBOARD_SCREENSHOT"):
            page.screenshot(path=target, full_page=True)
        screenshot(page, "dashboard.png", full_page=True)

        # The filters work through htmx and the address keeps them.
        page.locator("#id_period").select_option("quarter")
        expect(page).to_have_url(re.compile(r"/statistik/\?.*period=quarter"))
        expect(page.locator("#channel-mix-table tr")).not_to_have_count(13)
        quarters = table_rows(page, "channel-mix")
        assert sum(int(row[1]) for row in quarters[1:]) == 4
