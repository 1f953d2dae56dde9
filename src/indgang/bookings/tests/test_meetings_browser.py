"""A pre-application meeting walked in a real browser, from booking to summary and the linked
application, with axe-core on every page (as workspace/tests/test_walks_browser.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from indgang.bookings.constants import MeetingType, Mode
from indgang.bookings.models import Booking, MeetingChecklistItem, Slot
from indgang.bookings.services import publish_slots
from indgang.cases.models import Case
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, Org, RegisterContact, Staff
from indgang.contacts.tests.test_front_desk_browser import (
    assert_accessible,
    chromium,
    log_in,
    new_page,
    screenshot,
)
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus
from indgang.deadlines.models import Deadline
from indgang.letters.constants import LetterKind
from indgang.letters.selectors import letters_for_subject


@pytest.fixture
def browser() -> Iterator[Browser]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium() as browser:
            yield browser


def checked(page: Page, name: str) -> None:
    page.wait_for_load_state()
    screenshot(page, f"meeting-{name}.png", full_page=True)
    assert_accessible(page)


@pytest.mark.browser
def test_a_meeting_from_booking_to_summary_and_the_linked_application(
    browser: Browser,
    live_server: LiveServer,
    transactional_db: None,
    seed_data: None,
    org: Org,
    staff: Staff,
    tasks: dict[str, Task],
    register: RegisterContact,
) -> None:
    task = tasks["heating"]
    MeetingChecklistItem.objects.create(task=task, text="Situationsplan", position=1)
    MeetingChecklistItem.objects.create(task=task, text="Tegning af facaden", position=2)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    publish_slots(
        unit=org.building_unit,
        meeting_type=MeetingType.PRE_APPLICATION,
        length=dt.timedelta(hours=1),
        first=tomorrow,
        last=tomorrow + dt.timedelta(days=6),
        mode=Mode.IN_PERSON,
        place="Rådhuset, mødelokale 2",
        staff=[staff.caseworker],
    )
    # The citizen's call about the building project: the caseworker's 360 shows them.
    contact = register(
        by=staff.caseworker, cpr=CPR_A, party_name="Karen Jensen", task=task, summary="Carport"
    )
    citizen = contact.party
    assert citizen is not None
    page = new_page(browser, width=1366, height=768)
    log_in(page, base_url=live_server.url, username="byg", stay_on_start=True)

    # From the citizen's 360, book on the staff screen: the task's checklist and free times
    # appear as it is chosen.
    page.goto(live_server.url + reverse("party-overview", kwargs={"party_id": citizen.pk}))
    page.click("#book-meeting")
    page.select_option("#book-task", str(task.pk))
    expect(page.locator("#book-checklist-heading")).to_be_visible()
    checked(page, "book")
    page.locator("form.book-slot button").first.click()

    # The meeting's page: the receipt letter is written.
    expect(page.locator("#meeting-party")).to_have_text("Karen Jensen")
    booking = Booking.objects.get()
    expect(page).to_have_url(f"{live_server.url}/meetings/{booking.pk}/")
    expect(
        page.locator(f'#meeting-letters li[data-kind="{LetterKind.MEETING_RECEIPT}"]')
    ).to_have_count(1)
    checked(page, "booked")

    # The material arrives: the confirmation call's deadline is shown, and then made.
    page.fill("#material-note", "Situationsplan og tegninger")
    page.get_by_role("button", name="Registrér, at materialet er kommet").click()
    expect(page.locator("#confirmation-call")).to_contain_text("Opkald senest")
    call = Deadline.objects.get(kind=DeadlineKind.CONFIRMATION_CALL)
    assert (call.owner, call.status) == (staff.caseworker, DeadlineStatus.OPEN)
    checked(page, "material")
    page.fill("#call-note", "Carport på 40 m². Mangler snit.")
    page.get_by_role("button", name="Registrér opkaldet").click()
    expect(page.locator("#confirmation-call")).to_have_attribute("data-status", "completed")

    # The meeting takes place (its time moved into the past), and the summary is sent.
    begun = timezone.now() - dt.timedelta(minutes=30)
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=begun, ends_at=begun + dt.timedelta(hours=1)
    )
    page.reload()
    page.fill("#summary-text", "Snit gennem carporten\nAfstand til skel")
    page.get_by_role("button", name="Gem og send resumeet").click()
    expect(page.locator("#summary-items li")).to_have_count(2)
    expect(
        page.locator(f'#meeting-letters li[data-kind="{LetterKind.MEETING_SUMMARY}"]')
    ).to_have_count(1)
    checked(page, "summary")

    # The application is registered from the meeting, linked to it.
    page.click("#register-application")
    page.select_option("#application-category", "building-housing")
    page.fill("#application-address", "Skovvej 12, 8000 Aarhus C")
    checked(page, "application")
    page.get_by_role("button", name="Registrér ansøgningen").click()
    expect(page.locator("#case-meeting")).to_have_attribute("href", f"/meetings/{booking.pk}/")
    case = Case.objects.get()
    assert (case.meeting_id, case.party_id, case.unit_id) == (
        booking.pk,
        citizen.pk,
        org.building_unit.pk,
    )
    assert sorted(letters_for_subject(subject=booking).values_list("kind", flat=True)) == [
        LetterKind.MEETING_RECEIPT,
        LetterKind.MEETING_SUMMARY,
    ]

    # The day's meetings, from the caseworker's navigation.
    page.get_by_role("link", name="Møder").first.click()
    expect(page.locator("#meetings")).to_contain_text("Karen Jensen")
    checked(page, "day")
    page.close()
