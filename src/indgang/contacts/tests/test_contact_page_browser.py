"""The contact page in a real browser: open a contact from the list, correct its summary, and
see the change as a line of its history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.models import ContactChange
from indgang.contacts.tests.test_front_desk_browser import (
    chromium,
    log_in,
    new_page,
    screenshot,
)

TYPED = "Spørger om fjernvarme til carport"
CORRECTED = "Spørger om fjernvarme til nyt hus"


@pytest.mark.browser
def test_a_caseworker_edits_a_contact_and_sees_the_history_line(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    tasks: dict[str, Task],
    register: RegisterContact,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    contact = register(
        by=staff.caseworker,
        cpr=CPR_A,
        party_name="Karen Jensen",
        summary=TYPED,
        task=tasks["heating"],
    )
    base_url = live_server.url

    with chromium() as browser:
        page = new_page(browser, width=1366, height=768)
        log_in(page, base_url=base_url, username=staff.caseworker.username)

        page.goto(f"{base_url}/contacts/")
        page.locator(f"a[href='/contacts/{contact.pk}/']").click()
        page.wait_for_url(f"{base_url}/contacts/{contact.pk}/")
        expect(page.locator(".contact-facts .summary")).to_have_text(TYPED)

        page.locator("#id_summary").fill(CORRECTED)
        page.locator("form.contact-edit button[type=submit]").click()
        page.wait_for_url(f"{base_url}/contacts/{contact.pk}/")

        line = page.locator("table.contact-history tr[data-field=summary]")
        expect(line).to_have_count(1)
        expect(line.locator("td.old")).to_have_text(TYPED)
        expect(line.locator("td.new")).to_have_text(CORRECTED)
        expect(line).to_contain_text("Byg")  # who, by name
        expect(page.locator(".contact-facts .summary")).to_have_text(CORRECTED)
        screenshot(page, "contact_page.png", full_page=True)

    assert list(ContactChange.objects.values_list("field", "old_value", "new_value")) == [
        ("summary", TYPED, CORRECTED)
    ]
