"""The faster front desk in a real browser: keyboard flow, call timer, outcomes in view,
summary templates, and the keystrokes of the README's phone example.

Helpers (chromium, log_in) come from test_front_desk_browser.py; elements are found by id,
name and value, never by their translated text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.catalogue.services import add_summary_templates
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.contacts.tests.test_front_desk_browser import (
    chromium,
    log_in,
    new_page,
    screenshot,
)

pytestmark = pytest.mark.browser

# The README's phone example (README.md, "Register the first contact through the API").
README_CPR = "0101901234"
README_NAME = "Anna Hansen"
README_SUMMARY = "Spørger om fjernvarme"


@dataclass
class Keyboard:
    """The keyboard, counting key presses: characters typed and every other key (a chord such
    as Ctrl+Enter is one press)."""

    page: Page
    typed: int = 0
    other: int = 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.typed += len(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.other += 1


@pytest.fixture
def desk(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
) -> Iterator[Page]:
    """The front line's front desk at 1366×768, in Danish, with a controllable clock."""
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        page = new_page(browser, width=1366, height=768)
        page.clock.install()
        log_in(page, base_url=live_server.url, username=staff.frontline.username)
        page.goto(live_server.url + reverse("front-desk"))
        expect(page.locator("#id_identifier")).to_be_focused()
        yield page


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_the_readme_phone_example_takes_twelve_keys_plus_the_summary(
    desk: Page, live_server: LiveServer
) -> None:
    """The quick start's call (README.md, "Register the first contact through the API"): a new
    citizen by number, a summary, resolved at first contact. Before issue 21 the same call took
    19 other keys: two Tabs to the summary, two to the closed "Forwarding, time and duration",
    Enter, nine Tabs through unit and the received time's parts to the duration, its digit, two
    Tabs to "Resolved at first contact" and Enter."""
    keys = Keyboard(desk)

    keys.type(README_CPR)
    expect(desk.locator("#party-result")).not_to_be_empty()  # "unknown citizen"
    keys.press("Enter")  # the name is optional: on to the summary
    assert focused_id(desk) == "id_summary"
    keys.type(README_SUMMARY)
    desk.clock.run_for(95_000)  # the call goes on while the citizen is helped
    keys.press("Control+Enter")

    desk.wait_for_url(f"{live_server.url}/parties/*/")
    contact = Contact.objects.select_related("party").get()
    assert contact.party is not None and contact.party.name == ""
    assert (contact.summary, contact.channel, contact.outcome) == (
        README_SUMMARY,
        Channel.PHONE,
        Outcome.RESOLVED_AT_FIRST_CONTACT,
    )
    # The timer filled the duration: 1 min 35 s, in whole minutes rounded up.
    assert contact.duration_seconds == 2 * 60
    assert (keys.typed - len(README_SUMMARY), keys.other) == (10, 2)


def test_a_name_for_a_new_citizen_costs_a_tab_and_the_name(
    desk: Page, live_server: LiveServer
) -> None:
    keys = Keyboard(desk)

    keys.type(README_CPR)
    expect(desk.locator("#party-result")).not_to_be_empty()
    keys.press("Tab")
    assert focused_id(desk) == "id_name"
    keys.type(README_NAME)
    keys.press("Enter")
    assert focused_id(desk) == "id_summary"
    keys.type(README_SUMMARY)
    keys.press("Control+Enter")

    desk.wait_for_url(f"{live_server.url}/parties/*/")
    contact = Contact.objects.select_related("party").get()
    assert contact.party is not None and contact.party.name == README_NAME
    assert (keys.typed, keys.other) == (len(README_CPR + README_NAME + README_SUMMARY), 3)


def test_a_known_citizens_call_takes_the_same_twelve_keys(
    desk: Page, live_server: LiveServer, register: RegisterContact
) -> None:
    earlier = register(cpr=CPR_A, party_name=README_NAME, summary="Spørger om carport")
    keys = Keyboard(desk)

    keys.type(CPR_A)
    expect(desk.locator("#party-result .party-card")).to_be_visible()
    keys.press("Enter")
    assert focused_id(desk) == "id_summary"
    keys.type(README_SUMMARY)
    keys.press("Control+Enter")

    desk.wait_for_url(f"{live_server.url}/parties/{earlier.party_id}/")
    assert Contact.objects.filter(party=earlier.party_id).count() == 2
    assert keys.typed + keys.other - len(README_SUMMARY) == 12


def test_enter_in_a_one_line_field_moves_on_and_never_submits(desk: Page) -> None:
    desk.locator("#id_identifier").press_sequentially(CPR_A)
    desk.keyboard.press("Enter")
    desk.keyboard.press("Enter")  # in the empty name: on to the summary
    assert focused_id(desk) == "id_summary"
    desk.locator("#task-search").press_sequentially("fjernvarme")
    desk.keyboard.press("Enter")

    assert desk.url.endswith(reverse("front-desk"))
    assert not Contact.objects.exists()
    assert focused_id(desk) == "kb-search"  # the next open field (Forwarding is closed)


def test_an_alt_digit_registers_with_its_outcome(desk: Page) -> None:
    desk.locator("#id_summary").fill("Vil ringes op om sin sag")

    desk.keyboard.press("Alt+4")

    expect(desk.locator(".messages")).to_be_visible()  # registered, back at the front desk
    assert Contact.objects.get().outcome == Outcome.CALLBACK_PROMISED


def test_the_call_timer_runs_stops_and_gives_way_to_a_typed_duration(desk: Page) -> None:
    clock, duration = desk.locator("#call-timer"), desk.locator("#id_duration_minutes")
    toggle = desk.locator("#call-timer-toggle")
    expect(clock).to_have_text("00:00")

    desk.keyboard.press("Alt+0")
    expect(toggle).to_have_attribute("data-running", "true")
    desk.clock.run_for(125_000)
    expect(clock).to_have_text("02:05")
    expect(duration).to_have_value("3")
    toggle.click()
    expect(toggle).to_have_attribute("data-running", "false")
    desk.clock.run_for(60_000)
    expect(clock).to_have_text("02:05")
    # Started again, it goes on from where it stopped; a typed duration stops it and stays.
    desk.keyboard.press("Alt+0")
    desk.clock.run_for(60_000)
    expect(clock).to_have_text("03:05")
    duration.fill("7")
    expect(toggle).to_have_attribute("data-running", "false")
    desk.clock.run_for(60_000)
    expect(duration).to_have_value("7")
    desk.locator("#id_summary").fill("Spørger om fjernvarme")
    desk.keyboard.press("Control+Enter")

    expect(desk.locator(".messages")).to_be_visible()  # registered, back at the front desk
    assert Contact.objects.get().duration_seconds == 7 * 60


def test_the_timer_starts_with_the_first_key_in_the_form(desk: Page) -> None:
    desk.clock.run_for(300_000)  # a front desk left open between calls counts nothing
    expect(desk.locator("#call-timer")).to_have_text("00:00")

    desk.keyboard.type("0")
    desk.clock.run_for(61_000)

    expect(desk.locator("#call-timer")).to_have_text("01:01")
    expect(desk.locator("#id_duration_minutes")).to_have_value("2")


def test_the_outcomes_stay_in_view_at_1366_by_768_with_suggestions_shown(
    desk: Page, tasks: dict[str, Task]
) -> None:
    desk.locator("#id_identifier").press_sequentially(CPR_A)
    desk.locator("#id_summary").fill("Ringer om tilslutning til fjernvarme i ny bolig")
    expect(desk.locator("#triage-suggestions .triage-option").first).to_be_visible()
    desk.locator("#task-search").press_sequentially("fjernvarme")
    expect(desk.locator("#task-results .task-option").first).to_be_visible()
    desk.locator("#id_summary").focus()
    desk.evaluate("window.scrollTo(0, 0)")  # where the summary is typed

    height = desk.viewport_size["height"] if desk.viewport_size else 0
    assert height == 768
    # The form ends below the window: without the sticky bar the buttons would be out of view.
    form_bottom = desk.evaluate(
        "document.querySelector('form.front-desk').getBoundingClientRect().bottom"
    )
    assert form_bottom > height + 100
    buttons = desk.locator("button[name=outcome]")
    expect(buttons).to_have_count(4)
    for button in buttons.all():
        box = button.bounding_box()
        assert box is not None
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= height
    screenshot(desk, "front_desk_sticky_outcomes.png")


def test_a_tasks_templates_are_offered_and_one_key_inserts_one(
    desk: Page, tasks: dict[str, Task]
) -> None:
    heating = tasks["heating"]
    texts = ["Spørger om tilslutning: henvist til selvbetjening.", "Klager over varmeregning."]
    add_summary_templates(task=heating, texts=texts)
    summary = desk.locator("#id_summary")
    summary.fill("Anna ringer.")

    desk.locator("#task-search").press_sequentially("fjernvarme")
    expect(desk.locator("#summary-templates button[data-template]")).to_have_count(2)
    desk.keyboard.press("Alt+Shift+2")

    expect(summary).to_have_value(f"Anna ringer. {texts[1]}")
    assert focused_id(desk) == "id_summary"
    desk.locator("#summary-templates button[data-template]").first.click()
    expect(summary).to_have_value(f"Anna ringer. {texts[1]} {texts[0]}")
    desk.keyboard.press("Control+Enter")

    expect(desk.locator(".messages")).to_be_visible()  # registered, back at the front desk
    contact = Contact.objects.get()
    assert (contact.summary, contact.task) == (f"Anna ringer. {texts[1]} {texts[0]}", heating)
