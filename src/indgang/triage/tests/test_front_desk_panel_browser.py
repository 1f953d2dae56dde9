"""The triage panel in a real browser: type a summary, see suggestions, pick one, register.

Drives Debian's chromium through Playwright against pytest-django's live server, as the
front desk's own browser test does. Elements are found by id, name and value.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.catalogue.models import Task
from indgang.conftest import Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.contacts.tests.test_front_desk_browser import chromium, log_in, new_page
from indgang.triage.constants import Verdict
from indgang.triage.models import RoutingDecision


@pytest.mark.browser
def test_suggestions_appear_as_the_summary_is_typed_and_picking_one_sets_the_task(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    catalogue: dict[str, Task],
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    rats = catalogue["rats"]

    with chromium() as browser:
        page = new_page(browser, width=1280, height=900)
        log_in(page, base_url=live_server.url, username=staff.frontline.username)

        page.locator("#id_summary").press_sequentially("Der er rotter i haven")
        option = page.locator("#triage-suggestions label.triage-option").first
        expect(option).to_contain_text("Rotter")
        expect(option).to_contain_text("09.13.01")
        expect(option).to_contain_text("På grund af: rotter")
        radio = option.locator("input[type=radio][name=task]")
        expect(radio).to_have_value(str(rats.pk))
        radio.check()
        page.locator(
            f"button[name=outcome][value={Outcome.RESOLVED_AT_FIRST_CONTACT.value}]"
        ).click()
        expect(page.locator(".messages")).to_contain_text("Henvendelsen er registreret")

    contact = Contact.objects.get()
    assert contact.task == rats
    decision = RoutingDecision.objects.get()
    assert (decision.contact, decision.task, decision.verdict) == (contact, rats, Verdict.CONFIRMED)
