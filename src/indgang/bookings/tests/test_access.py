"""Who sees a booking, every read of it in the access log, and the booking as a subject."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from icalendar import Calendar

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.bookings.models import Booking, Slot
from indgang.bookings.subjects import BookingSubject
from indgang.common.subjects import describe_subjects, facts_of, get_subject_for, subject_of
from indgang.conftest import CPR_A, CPR_B, ApiFor, Org, Staff, staff_client
from indgang.journal.models import JournalEntry
from indgang.organisation.selectors import get_scope
from indgang.parties.selectors import find_citizen

BOOKINGS = "/api/v1/bookings/"


def book(api_for: ApiFor, user: User, slot: Slot, cpr: str) -> int:
    response = api_for(user).post(BOOKINGS, {"slot": slot.pk, "cpr": cpr}, format="json")
    assert response.status_code == 201
    booking_id: int = response.json()["id"]
    return booking_id


def log_rows() -> list[tuple[str, int, str, str, str, int | None, str]]:
    return [
        (
            row.user.username,
            row.party_id,
            row.action,
            row.purpose,
            row.via,
            row.subject_id,
            row.detail,
        )
        for row in AccessLogEntry.objects.order_by("pk")
    ]


@pytest.mark.django_db
def test_detail_and_calendar_file_are_logged_and_refused_outside_the_permission_path(
    api_for: ApiFor, staff: Staff, week_slots: list[Slot]
) -> None:
    booking_id = book(api_for, staff.frontline, week_slots[0], CPR_A)
    party_id = find_citizen(cpr=CPR_A).pk  # type: ignore[union-attr]

    seen = api_for(staff.caseworker).get(f"{BOOKINGS}{booking_id}/?purpose=casework")
    ics = api_for(staff.caseworker).get(f"{BOOKINGS}{booking_id}/ics/")
    elsewhere = api_for(staff.other_caseworker).get(f"{BOOKINGS}{booking_id}/")
    elsewhere_ics = api_for(staff.other_caseworker).get(f"{BOOKINGS}{booking_id}/ics/")
    bad_purpose = api_for(staff.caseworker).get(f"{BOOKINGS}{booking_id}/?purpose=curiosity")

    assert seen.status_code == 200
    assert seen.json()["id"] == booking_id
    assert ics.status_code == 200
    assert ics["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert ics["Content-Disposition"] == f'attachment; filename="booking-{booking_id}.ics"'
    assert Calendar.from_ical(ics.content)["METHOD"] == "REQUEST"
    assert (elsewhere.status_code, elsewhere_ics.status_code) == (404, 404)
    assert bad_purpose.status_code == 400
    assert log_rows() == [
        ("byg", party_id, AccessAction.VIEWED_BOOKING, Purpose.CASEWORK, Via.API, booking_id, ""),
        (
            "byg",
            party_id,
            AccessAction.VIEWED_BOOKING,
            Purpose.CONTACT,
            Via.API,
            booking_id,
            "calendar file",
        ),
    ]
    assert {row.subject_type_id for row in AccessLogEntry.objects.all()} == {
        ContentType.objects.get_for_model(Booking).pk
    }


@pytest.mark.django_db
def test_the_list_shows_what_the_user_may_see_and_logs_each_party_once(
    api_for: ApiFor, staff: Staff, week_slots: list[Slot]
) -> None:
    by_front = book(api_for, staff.frontline, week_slots[0], CPR_A)
    again = book(api_for, staff.frontline, week_slots[1], CPR_A)
    # A caseworker of another department books for a caller: they see what they booked.
    by_other = book(api_for, staff.other_caseworker, week_slots[2], CPR_B)

    unit_staff = api_for(staff.caseworker).get(BOOKINGS)
    booker = api_for(staff.other_caseworker).get(BOOKINGS)
    booker_detail = api_for(staff.other_caseworker).get(f"{BOOKINGS}{by_other}/")

    assert [b["id"] for b in unit_staff.json()["results"]] == [by_other, again, by_front]
    assert [b["id"] for b in booker.json()["results"]] == [by_other]
    assert booker_detail.status_code == 200
    party_a = find_citizen(cpr=CPR_A).pk  # type: ignore[union-attr]
    party_b = find_citizen(cpr=CPR_B).pk  # type: ignore[union-attr]
    listed = AccessLogEntry.objects.filter(action=AccessAction.LISTED_BOOKINGS)
    assert sorted(listed.values_list("user__username", "party_id", "via")) == sorted(
        [("byg", party_a, Via.API), ("byg", party_b, Via.API), ("ydelse", party_b, Via.API)]
    )


@pytest.mark.django_db
def test_the_staff_download_reads_through_the_same_path_and_gives_the_cancellation(
    api_for: ApiFor, staff: Staff, week_slots: list[Slot]
) -> None:
    booking_id = book(api_for, staff.frontline, week_slots[0], CPR_A)
    api_for(staff.frontline).post(f"{BOOKINGS}{booking_id}/cancel/")
    url = f"/bookings/{booking_id}/calendar.ics"

    cancelled = staff_client(staff.caseworker).get(url)
    elsewhere = staff_client(staff.other_caseworker).get(url)

    assert cancelled.status_code == 200
    calendar = Calendar.from_ical(cancelled.content)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert elsewhere.status_code == 404
    assert list(AccessLogEntry.objects.values_list("user__username", "action", "via")) == [
        ("byg", AccessAction.VIEWED_BOOKING, Via.UI)
    ]


@pytest.mark.django_db
def test_a_booking_is_a_subject_with_its_units_facts_and_its_permission_rule(
    api_for: ApiFor, org: Org, staff: Staff, week_slots: list[Slot]
) -> None:
    booking = Booking.objects.get(pk=book(api_for, staff.frontline, week_slots[0], CPR_A))

    facts = facts_of(booking)
    reached = get_subject_for(scope=get_scope(user=staff.caseworker), name="booking", pk=booking.pk)
    views = describe_subjects(
        scope=get_scope(user=staff.frontline),
        references=[JournalEntry(**subject_of(booking))],
    )

    assert (facts.department_id, facts.unit_id, facts.party_id, facts.journalised) == (
        org.building_dept.pk,
        org.building_unit.pk,
        booking.party_id,
        booking,
    )
    assert reached == booking
    with pytest.raises(Booking.DoesNotExist):
        BookingSubject().get_for(scope=get_scope(user=staff.other_caseworker), pk=booking.pk)
    [view] = views.values()
    assert (view.label, view.url, view.redacted) == (
        "Forhåndsdialog 07.01.2030 kl. 09:00",
        f"/meetings/{booking.pk}/",
        True,
    )
