"""A caseworker in a real browser: a 360 by id is refused until the look-up by number gives a
reason, and then the look-up's link opens it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.audit.models import AccessLogEntry
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.tests.test_front_desk_browser import chromium, log_in, new_page


@pytest.mark.browser
def test_a_caseworker_opens_another_departments_citizen_only_after_a_look_up(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    register: RegisterContact,
) -> None:
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    theirs = register(
        by=staff.other_caseworker, cpr=CPR_A, party_name="Karen Jensen", summary="Boligstøtte"
    )
    base_url = live_server.url

    with chromium() as browser:
        page = new_page(browser)
        log_in(page, base_url=base_url, username=staff.caseworker.username)

        refused = page.goto(f"{base_url}/parties/{theirs.party_id}/")
        assert refused is not None and refused.status == 403
        expect(page.locator("p.refusal")).to_contain_text(
            "Du har ingen grund til at se denne borger eller virksomhed"
        )
        expect(page.locator("body")).not_to_contain_text("Karen Jensen")

        page.goto(f"{base_url}/front-desk/")
        page.locator("#id_identifier").press_sequentially(CPR_A)
        card = page.locator("#party-result .party-card")
        expect(card).to_contain_text("Karen Jensen")
        card.locator("a").click()
        page.wait_for_url(f"{base_url}/parties/{theirs.party_id}/")

        expect(page.locator("h1")).to_contain_text("Karen Jensen")
        # The look-up opens the party, not the benefits department's contacts.
        expect(page.locator("body")).not_to_contain_text("Boligstøtte")

    assert list(
        AccessLogEntry.objects.order_by("pk").values_list("user__username", "action", "via")
    ) == [("byg", "looked_up", "ui"), ("byg", "viewed_overview", "ui")]
