"""The API's pre-application meeting: booking about a task, material, the confirmation call and
the summary, each refused with a Danish message where it does not fit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from indgang.bookings.models import Booking, MeetingChecklistItem, Slot
from indgang.bookings.tests.conftest import publish
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, ApiFor, Org, Staff
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus
from indgang.deadlines.models import Deadline
from indgang.letters.constants import LetterKind
from indgang.letters.models import Letter
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen

BOOKINGS = "/api/v1/bookings/"


@pytest.mark.django_db
def test_a_meeting_booked_by_api_is_about_its_task_and_gets_its_receipt(
    api_for: ApiFor,
    staff: Staff,
    week_slots: list[Slot],
    tasks: dict[str, Task],
    django_capture_on_commit_callbacks: Any,
) -> None:
    task = tasks["heating"]
    MeetingChecklistItem.objects.create(task=task, text="Situationsplan")
    api = api_for(staff.frontline)

    unknown = api.post(
        BOOKINGS, {"slot": week_slots[0].pk, "cpr": CPR_A, "task": 999999}, format="json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            BOOKINGS, {"slot": week_slots[0].pk, "cpr": CPR_A, "task": task.pk}, format="json"
        )

    assert (unknown.status_code, unknown.json()) == (400, {"task": ["Der er ingen opgave 999999."]})
    assert response.status_code == 201
    body = response.json()
    assert (body["task"], body["material_arrived_at"], body["summary"]) == (task.pk, None, "")
    letter = Letter.objects.get()
    assert (letter.kind, letter.subject_id) == (LetterKind.MEETING_RECEIPT, body["id"])
    assert "<li>Situationsplan</li>" in letter.html


def post(api: Any, booking: Booking, action: str, data: dict[str, str]) -> Any:
    return api.post(f"{BOOKINGS}{booking.pk}/{action}/", data, format="json")


@pytest.mark.django_db
def test_material_call_and_summary_through_the_api(
    api_for: ApiFor, staff: Staff, week_slots: list[Slot], tasks: dict[str, Task]
) -> None:
    booking = Booking.objects.create(
        slot=week_slots[0],
        party=_citizen(),
        task=tasks["heating"],
        booked_at=week_slots[0].starts_at - dt.timedelta(days=30),
        booked_by=staff.frontline,
    )
    api = api_for(staff.caseworker)

    early_call = post(api, booking, "confirmation-call", {"note": "OK"})
    material = post(api, booking, "material", {"note": "Tegninger"})
    again = post(api, booking, "material", {})
    call = post(api, booking, "confirmation-call", {"note": "Carport, 40 m²"})
    # The week's slots lie in 2030: the meeting has not begun.
    summary = post(api, booking, "summary", {"summary": "Snit"})
    blank = post(api, booking, "summary", {"summary": ""})

    assert (early_call.status_code, early_call.json()) == (
        409,
        {"non_field_errors": ["Registrér materialet først; opkaldet bekræfter det."]},
    )
    assert material.status_code == 200
    assert material.json()["material_note"] == "Tegninger"
    assert (again.status_code, again.json()) == (
        409,
        {"non_field_errors": ["Materialet er allerede kommet."]},
    )
    assert call.status_code == 200
    assert call.json()["confirmation_note"] == "Carport, 40 m²"
    deadline = Deadline.objects.get()
    assert (deadline.kind, deadline.status) == (
        DeadlineKind.CONFIRMATION_CALL,
        DeadlineStatus.COMPLETED,
    )
    assert (summary.status_code, summary.json()) == (
        409,
        {"non_field_errors": ["Resumeet skrives, når mødet er begyndt."]},
    )
    assert blank.status_code == 400
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_a_summary_by_api_is_stored_and_sent(
    api_for: ApiFor, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    today = timezone.localdate()
    slot = publish(org, staff, today - dt.timedelta(days=7), today - dt.timedelta(days=1))[0]
    booking = Booking.objects.create(
        slot=slot,
        party=_citizen(),
        task=tasks["heating"],
        booked_at=slot.starts_at - dt.timedelta(days=3),
        booked_by=staff.frontline,
    )

    response = post(api_for(staff.caseworker), booking, "summary", {"summary": "Snit\nFacade"})

    assert response.status_code == 200
    assert response.json()["summary"] == "Snit\nFacade"
    assert Letter.objects.get().kind == LetterKind.MEETING_SUMMARY


@pytest.mark.django_db
def test_a_caseworker_of_another_department_cannot_reach_the_meeting(
    api_for: ApiFor, staff: Staff, week_slots: list[Slot]
) -> None:
    booking = Booking.objects.create(
        slot=week_slots[0],
        party=_citizen(),
        booked_at=week_slots[0].starts_at - dt.timedelta(days=30),
        booked_by=staff.frontline,
    )

    response = post(api_for(staff.other_caseworker), booking, "material", {})

    assert response.status_code == 404
    assert Booking.objects.get().material_arrived_at is None


def _citizen() -> Party:
    return get_or_create_citizen(cpr=CPR_A, name="Mette Hansen")
