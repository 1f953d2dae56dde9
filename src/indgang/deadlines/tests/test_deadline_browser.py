"""The deadline page in a real browser: one action open at a time, a refused one kept open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.common.subjects import subject_of
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.tests.test_front_desk_browser import chromium, log_in, new_page
from indgang.deadlines.constants import DeadlineStatus
from indgang.deadlines.models import Deadline


@pytest.mark.browser
def test_choosing_an_action_closes_the_other_and_a_refusal_keeps_it_open(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    register: RegisterContact,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    contact = register(cpr=CPR_A, outcome=Outcome.CALLBACK_PROMISED)
    deadline = Deadline.objects.get(**subject_of(contact))

    with chromium() as browser:
        page = new_page(browser, width=1366, height=768)
        log_in(page, base_url=live_server.url, username=staff.frontline.username)
        page.goto(f"{live_server.url}/deadlines/{deadline.pk}/")
        actions = page.locator("details.deadline-action")
        expect(actions).to_have_count(4)
        expect(page.locator("details.deadline-action[open]")).to_have_count(0)
        expect(page.locator("#id_extend-reason")).to_be_hidden()

        page.locator("#action-extend > summary").click()
        expect(page.locator("#id_extend-reason")).to_be_visible()
        page.locator("#action-suspend > summary").click()

        expect(page.locator("details.deadline-action[open]")).to_have_count(1)
        expect(page.locator("#action-suspend")).to_have_attribute("open", "")
        expect(page.locator("#id_extend-reason")).to_be_hidden()
        page.locator("#id_suspend-reason").focus()
        page.keyboard.press("Enter")  # no reason given

        expect(page.locator("#action-suspend .field-error")).to_have_text(
            "Skriv, hvorfor fristen sættes på pause."
        )
        expect(page.locator("#id_suspend-reason")).to_be_visible()
        assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OPEN
