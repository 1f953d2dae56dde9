"""The meeting screens answer only through the meetings' permission path, and refuse bad input
with a Danish message that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from indgang.bookings.models import Booking, Slot
from indgang.conftest import CPR_A, Staff, staff_client
from indgang.parties.services import get_or_create_citizen


@pytest.fixture
def meeting(staff: Staff, week_slots: list[Slot]) -> Booking:
    return Booking.objects.create(
        slot=week_slots[0],
        party=get_or_create_citizen(cpr=CPR_A, name="Mette Hansen"),
        booked_at=week_slots[0].starts_at - dt.timedelta(days=30),
        booked_by=staff.frontline,
    )


@pytest.mark.django_db
def test_the_days_meetings_and_the_meetings_page(staff: Staff, meeting: Booking) -> None:
    client = staff_client(staff.caseworker)

    day = client.get("/meetings/", {"day": "2030-01-07"})
    page = client.get(f"/meetings/{meeting.pk}/")

    assert day.status_code == 200
    assert "Mette Hansen" in day.content.decode()
    assert page.status_code == 200
    assert f"<h1>Forhåndsdialog M-{meeting.pk}</h1>" in page.content.decode()


@pytest.mark.django_db
def test_another_departments_caseworker_gets_no_meeting(staff: Staff, meeting: Booking) -> None:
    client = staff_client(staff.other_caseworker)

    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/material/", {}).status_code == 404
    assert (
        "Mette Hansen"
        not in client.get("/meetings/", {"day": "2030-01-07", "who": "unit"}).content.decode()
    )
    assert Booking.objects.get().material_arrived_at is None


@pytest.mark.django_db
def test_a_refused_step_shows_its_danish_message_and_changes_nothing(
    staff: Staff, meeting: Booking
) -> None:
    response = staff_client(staff.caseworker).post(
        f"/meetings/{meeting.pk}/call/", {"note": "OK"}, follow=True
    )

    assert "Registrér materialet først; opkaldet bekræfter det." in response.content.decode()
    assert Booking.objects.get().confirmed_at is None
