"""Finding a party in a real browser: type part of a name, see the hit, open the 360; and the
front desk recognising a caller's number."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.audit.models import AccessLogEntry
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.tests.test_front_desk_browser import chromium, log_in, new_page
from indgang.parties.services import update_party


@pytest.mark.browser
def test_a_caseworker_types_part_of_a_name_and_opens_the_hit(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    register: RegisterContact,
) -> None:
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    contact = register(
        by=staff.other_caseworker, cpr=CPR_A, party_name="Karen Ødegaard", summary="Boligstøtte"
    )
    assert contact.party is not None
    update_party(party=contact.party, name="Karen Ødegaard", email="", phone="23456789", address="")
    base_url = live_server.url

    with chromium() as browser:
        page = new_page(browser)
        log_in(page, base_url=base_url, username=staff.other_caseworker.username)

        page.goto(f"{base_url}/parties/find/")
        page.locator("#party-q").press_sequentially("karen øde")
        hit = page.locator(f'#party-hits li[data-party="{contact.party_id}"]')
        expect(hit).to_contain_text("Karen Ødegaard")
        expect(hit).to_contain_text("Navnets begyndelse")
        hit.locator("a").click()
        page.wait_for_url(f"{base_url}/parties/{contact.party_id}/?purpose=contact")
        expect(page.locator("h1")).to_contain_text("Karen Ødegaard")

        # At the front desk, the caller's number names them before anything else is typed.
        page.goto(f"{base_url}/front-desk/")
        page.locator("#caller-phone").press_sequentially("23 45 67 89")
        expect(page.locator("#caller-result .caller-hit")).to_contain_text(
            "Kendt nummer: Karen Ødegaard"
        )

    actions = AccessLogEntry.objects.order_by("pk").values_list("action", flat=True)
    # Typing may search more than once (each debounced pause); the last search found her.
    assert set(actions) == {"found", "viewed_overview", "recognised_caller"}
    assert list(actions)[-2:] == ["viewed_overview", "recognised_caller"]
