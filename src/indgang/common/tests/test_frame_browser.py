"""The staff header and page width in a real browser: one line from 1280 px for every role, and
no page wider than a 390 px phone.

Drives Debian's chromium through Playwright against pytest-django's live server, as the front
desk's browser test does; screenshots go to var/screenshots.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.tests.test_front_desk_browser import (
    chromium,
    log_in,
    new_page,
    screenshot,
)

# The pages each role opens most: their own links in the bar.
PAGES = {
    "front": ["front-desk", "contact-list", "triage-queue", "my-deadlines", "knowledge-articles"],
    "byg": ["cases:work-list", "cases:my-cases", "contact-list", "catalogue", "search"],
    "leder": ["statistics:dashboard", "overdue-deadlines", "cases:servicemal-report"],
    "admin": ["staff-list", "letter-template-list", "api-tokens", "api-docs"],
}
# An e-mail address pasted into a summary: one word, wider than a phone.
UNBROKEN = "henvendelse-fra-borger-" * 6 + "@example.dk"
# The innermost elements that reach past the window's right edge, to say what widened a page.
WIDER = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth
    && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth))
  .slice(0, 5).map((e) => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""


def header_rows(page: Page) -> dict[str, float]:
    """The header's height, and how far apart (in px) the tops of its items are."""
    measured: dict[str, float] = page.evaluate(
        """() => {
          const bar = document.querySelector('.topbar');
          const items = [...bar.children, ...bar.querySelectorAll('.main-nav > ul > li')];
          const middles = items.map((item) => {
            const box = item.getBoundingClientRect();
            return box.top + box.height / 2;
          });
          return {height: bar.getBoundingClientRect().height,
                  spread: Math.max(...middles) - Math.min(...middles)};
        }"""
    )
    return measured


@pytest.mark.browser
def test_the_header_is_one_line_at_1280_and_1366_px_for_every_role(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Long names and a unit, as real staff have.
    User.objects.filter(pk=staff.manager.pk).update(
        first_name="Hanne-Marie", last_name="Østergaard Christiansen"
    )
    with chromium() as browser:
        for username, names in PAGES.items():
            page = new_page(browser, width=1280, height=800)
            log_in(page, base_url=live_server.url, username=username, stay_on_start=True)
            for width in (1280, 1366):
                page.set_viewport_size({"width": width, "height": 800})
                for name in names:
                    page.goto(f"{live_server.url}{reverse(name)}")
                    measured = header_rows(page)
                    # One row: every item centred on one line, and no taller than one.
                    assert measured["spread"] <= 4, (username, width, name, measured)
                    assert measured["height"] <= 64, (username, width, name, measured)
                screenshot(page, f"header-{username}-{width}.png")
                # Both menus open inside the window.
                for menu in (".main-nav details", "details.session"):
                    page.locator(f"{menu} > summary").click()
                    last = page.locator(f"{menu} > ul > li").last
                    expect(last).to_be_visible()
                    box = last.bounding_box()
                    assert box is not None and box["x"] + box["width"] <= width, (
                        username,
                        width,
                        menu,
                        box,
                    )
                    page.locator(f"{menu} > summary").click()
            page.close()


@pytest.mark.browser
def test_no_page_is_wider_than_a_390_px_phone(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    tasks: dict[str, Task],
    register: RegisterContact,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    register(cpr=CPR_A, party_name="Karen Jensen", summary=UNBROKEN, task=tasks["heating"])
    # In the caseworker's department: shown to them in full.
    register(by=staff.caseworker, cpr=CPR_A, summary=UNBROKEN, task=tasks["groundwater"])
    with chromium() as browser:
        for username, names in PAGES.items():
            page = new_page(browser, width=390, height=844)
            log_in(page, base_url=live_server.url, username=username, stay_on_start=True)
            for name in names:
                page.goto(f"{live_server.url}{reverse(name)}")
                # What htmx or a script draws after the load (the API docs) counts too.
                page.wait_for_load_state("networkidle")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 390:
                    screenshot(page, f"phone-{name.replace(':', '-')}.png")
                assert width <= 390, (username, name, width, page.evaluate(WIDER))
            screenshot(page, f"phone-{username}.png", full_page=True)
            # An open menu stays inside the phone's width too.
            for menu in (".main-nav details", "details.session"):
                page.locator(f"{menu} > summary").click()
                expect(page.locator(f"{menu} > ul > li").last).to_be_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, menu
                screenshot(page, f"phone-{username}-menu.png")
                page.locator(f"{menu} > summary").click()
            page.close()
