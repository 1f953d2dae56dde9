"""The case screen in a real browser: change the type with a reason, then walk an application
from screening to a decision and read what the page shows; then walk one through a deficiency
letter and a neighbour hearing to princip, review and a decision with conditions.

Drives Debian's chromium through Playwright against pytest-django's live server (the front
desk's test has the set-up). Elements are found by id, name and value, never by label text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import formats, timezone, translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from indgang.audit.constants import AccessAction
from indgang.audit.models import AccessLogEntry
from indgang.cases.constants import CasePartyRole
from indgang.cases.models import Case, ServiceNeedChange
from indgang.cases.services import add_case_party
from indgang.cases.tests.conftest import Receive
from indgang.conftest import CPR_B, Staff
from indgang.contacts.tests.test_front_desk_browser import (
    chromium,
    log_in,
    new_page,
    screenshot,
)
from indgang.organisation.selectors import get_scope
from indgang.parties.services import get_or_create_citizen

REASON = "Komplet ansøgning fra erfaren rådgiver"


def act(page: Page, action: str, *, state: str) -> None:
    """Press the step's button and wait for the case to show the state it leads to."""
    page.locator(f"#action-{action}").click()
    expect(page.locator("#case-state")).to_have_attribute("data-state", state)
    expect(page.locator(".messages")).to_have_text("Gemt.")


@pytest.mark.browser
def test_a_caseworker_types_and_decides_an_application_on_the_case_screen(
    live_server: LiveServer,
    transactional_db: None,
    seed_data: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    receive: Receive,
) -> None:
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    case = receive(received_at=timezone.now() - dt.timedelta(days=3))
    with translation.override("da"):
        due = formats.date_format(timezone.localdate() + dt.timedelta(days=40), "SHORT_DATE_FORMAT")

    with chromium() as browser:
        page = new_page(browser, width=1280, height=900)
        log_in(page, base_url=live_server.url, username=staff.caseworker.username)
        page.goto(f"{live_server.url}/cases/{case.pk}/")

        expect(page.locator("#case-state")).to_have_text("Modtaget")
        expect(page.locator("#clock-not-started")).to_be_visible()
        expect(page.locator("#next-steps button")).to_have_count(1)

        page.locator("#id_service_need_type").select_option("klar_parat")
        page.locator("#id_reason").fill(REASON)
        page.locator("#change-type").click()
        expect(page.locator("#case-type")).to_have_text("Klar-parat")
        expect(page.locator("#type-history tbody tr")).to_have_count(1)
        expect(page.locator("#type-history tbody tr")).to_contain_text(REASON)

        act(page, "start_screening", state="screening")
        act(page, "mark_fully_informed", state="fully_informed")
        expect(page.locator("#clock-used")).to_have_text("0")
        expect(page.locator("#clock-left")).to_have_text("40")
        expect(page.locator("#clock-due")).to_have_text(due)
        expect(page.locator("#clock-on-target")).to_have_attribute("data-on-target", "true")
        expect(page.locator("#clock-waiting")).to_have_text("0")
        act(page, "start_assessment", state="assessment")
        expect(page.locator("#four-eyes")).to_have_count(0)  # klar-parat: no second pair

        page.locator("#decision-decide").select_option("permit")
        page.locator("#note-decide").fill("Tilladelse uden vilkår")
        act(page, "decide", state="decided")
        expect(page.locator("#case-decision")).to_have_text("Tilladelse")
        expect(page.locator("#clock-used")).to_have_text("0")
        rows = page.locator("#timeline tbody tr")
        expect(rows).to_have_count(6)
        assert [row.get_attribute("data-action") for row in rows.all()] == [
            "",
            "",
            "start_screening",
            "mark_fully_informed",
            "start_assessment",
            "decide",
        ]
        expect(rows.nth(5)).to_contain_text("Vurdering → Afgjort (Tilladelse)")
        expect(rows.nth(5)).to_contain_text("Tilladelse uden vilkår")
        expect(page.locator("#action-close")).to_be_visible()

        screenshot(page, "case_screen.png", full_page=True)

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.service_need_type, case.decision) == (
        "decided",
        "klar_parat",
        "permit",
    )
    assert case.decided_at is not None and case.fully_informed_at is not None
    assert list(ServiceNeedChange.objects.values_list("from_type", "to_type", "reason")) == [
        ("", "klar_parat", REASON)
    ]
    # Every reading of the screen (the first and one after each of the five changes) is logged.
    assert (
        AccessLogEntry.objects.filter(
            party_id=case.party_id, user=staff.caseworker, action=AccessAction.VIEWED_CASE
        ).count()
        == 6
    )


def saved(page: Page, *, state: str) -> None:
    """Wait for the swapped page to show the state and the saved message."""
    expect(page.locator("#case-state")).to_have_attribute("data-state", state)
    expect(page.locator(".messages")).to_have_text("Gemt.")


@pytest.mark.browser
def test_a_klar_parat_application_drifts_to_princip_and_is_decided_after_review(
    live_server: LiveServer,
    transactional_db: None,
    seed_data: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    second_caseworker: User,
    receive: Receive,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    case = receive(received_at=timezone.now() - dt.timedelta(days=3))
    neighbour = get_or_create_citizen(cpr=CPR_B, name="Nina Nabo")
    add_case_party(
        case_id=case.pk,
        party_id=neighbour.pk,
        role=CasePartyRole.NEIGHBOUR,
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )
    in_two_weeks = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    url = f"{live_server.url}/cases/{case.pk}/"

    with chromium() as browser:
        page = new_page(browser, width=1280, height=900)
        log_in(page, base_url=live_server.url, username=staff.caseworker.username)
        page.goto(url)

        page.locator("#id_service_need_type").select_option("klar_parat")
        page.locator("#id_reason").fill(REASON)
        page.locator("#change-type").click()
        expect(page.locator("#case-type")).to_have_attribute("data-type", "klar_parat")
        act(page, "start_screening", state="screening")

        # The checklist ticks on a click of its box, through htmx.
        first_item = page.locator("#checklist li").first
        first_item.locator("input[type=checkbox]").check()
        expect(page.locator("#checklist li").first).to_have_attribute("data-done", "true")

        page.locator("#deficiency-items-input").fill("Snittegning\nSituationsplan")
        page.locator("#deficiency-reply-by-input").fill(in_two_weeks)
        page.locator("#action-send_deficiency_letter").click()
        saved(page, state="deficiency_letter_sent")
        items = page.locator("#deficiency-items tbody tr")
        expect(items).to_have_count(2)
        expect(items.nth(0)).to_have_attribute("data-status", "open")
        expect(page.locator("#clock-not-started")).to_be_visible()

        for answered in page.locator("#deficiency-answer input[name=answered]").all():
            answered.check()
        page.locator("#action-receive_answer").click()
        saved(page, state="screening")
        expect(page.locator("#deficiency-items tbody tr[data-status=answered]")).to_have_count(2)

        act(page, "mark_fully_informed", state="fully_informed")
        expect(page.locator("#clock-used")).to_have_text("0")

        page.locator("#hearing-kind").select_option("neighbour")
        page.locator("#hearing-reply-by").fill(in_two_weeks)
        page.locator(f"#hearings input[name=parties][value='{neighbour.pk}']").check()
        page.locator("#action-start_hearing").click()
        saved(page, state="hearing")
        hearing = page.locator("#hearings .hearing")
        expect(hearing).to_have_attribute("data-kind", "neighbour")
        expect(hearing).to_contain_text("Nina Nabo")
        expect(page.locator("#type-suggestion")).to_have_attribute("data-type", "vejledning")

        received = timezone.localtime() + dt.timedelta(seconds=60)
        hearing.locator("select[name=party]").select_option(str(neighbour.pk))
        hearing.locator("input[name=received_at]").fill(received.strftime("%Y-%m-%dT%H:%M:%S"))
        hearing.locator("input[name=objects_to]").check()
        hearing.locator("textarea[name=summary]").fill("Huset skygger for min have")
        hearing.locator("button[type=submit]").click()
        saved(page, state="hearing")
        expect(page.locator("#hearings .replies li[data-objects=true]")).to_contain_text(
            "Huset skygger for min have"
        )
        expect(page.locator("#type-suggestion")).to_have_attribute("data-type", "princip")
        expect(page.locator("#suggestion-reasons")).to_be_visible()

        page.locator("#suggestion-reason").fill("Naboen gør indsigelse")
        page.locator("#use-suggestion").click()
        expect(page.locator("#case-type")).to_have_attribute("data-type", "princip")
        expect(page.locator("#four-eyes")).to_be_visible()
        expect(page.locator("#type-history tbody tr")).to_have_count(2)

        act(page, "start_assessment", state="assessment")
        act(page, "submit_for_review", state="review")

        reviewer = new_page(browser, width=1280, height=900)
        log_in(reviewer, base_url=live_server.url, username=second_caseworker.username)
        reviewer.goto(url)
        expect(reviewer.locator("#decision-decide option")).to_have_count(4)
        reviewer.locator("#decision-decide").select_option("permit_with_conditions")
        reviewer.locator("#conditions-decide").fill("Skyggediagram før byggestart")
        reviewer.locator("#note-decide").fill("Skyggen falder mest på ansøgers egen grund.")
        reviewer.locator("#action-decide").click()
        saved(reviewer, state="decided")
        expect(reviewer.locator("#case-decision")).to_have_text("Tilladelse med vilkår")
        expect(reviewer.locator("#decision-conditions")).to_have_text(
            "Skyggediagram før byggestart"
        )
        screenshot(reviewer, "case_screen_workflow.png", full_page=True)

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.service_need_type, case.decision, case.decision_conditions) == (
        "decided",
        "princip",
        "permit_with_conditions",
        "Skyggediagram før byggestart",
    )
    assert list(case.events.filter(action="decide").values_list("by__username", flat=True)) == [
        second_caseworker.username
    ]
