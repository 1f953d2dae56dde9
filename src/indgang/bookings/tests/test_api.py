from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from indgang.bookings.api.serializers import SlotSerializer
from indgang.bookings.constants import BookingStatus
from indgang.bookings.models import Booking, Slot
from indgang.conftest import CPR_A, CVR_A, ApiFor, Org, Staff
from indgang.parties.selectors import find_citizen

FREE = "/api/v1/bookings/free-slots/"


@pytest.mark.django_db
def test_free_slots_lists_the_units_slots_of_the_days_asked_for(
    api_for: ApiFor, org: Org, staff: Staff, week_slots: list[Slot]
) -> None:
    response = api_for(staff.frontline).get(
        FREE, {"unit": str(org.building_unit.pk), "first": "2030-01-10", "last": "2030-01-11"}
    )

    assert response.status_code == 200
    assert [(slot["starts_at"], slot["ends_at"]) for slot in response.json()] == [
        ("2030-01-10T09:00:00+01:00", "2030-01-10T10:30:00+01:00"),
        ("2030-01-10T10:30:00+01:00", "2030-01-10T12:00:00+01:00"),
        ("2030-01-10T12:00:00+01:00", "2030-01-10T13:30:00+01:00"),
        ("2030-01-10T13:30:00+01:00", "2030-01-10T15:00:00+01:00"),
        ("2030-01-10T15:00:00+01:00", "2030-01-10T16:30:00+01:00"),
        ("2030-01-11T09:00:00+01:00", "2030-01-11T10:30:00+01:00"),
        ("2030-01-11T10:30:00+01:00", "2030-01-11T12:00:00+01:00"),
    ]
    assert response.json()[0]["staff"] == [staff.caseworker.pk, staff.manager.pk]


@pytest.mark.django_db
def test_free_slots_are_asked_for_at_most_92_days_and_of_a_unit_that_exists(
    api_for: ApiFor, org: Org, staff: Staff
) -> None:
    api = api_for(staff.frontline)

    too_long = api.get(
        FREE, {"unit": str(org.building_unit.pk), "first": "2030-01-01", "last": "2030-04-03"}
    )
    longest = api.get(
        FREE, {"unit": str(org.building_unit.pk), "first": "2030-01-01", "last": "2030-04-02"}
    )
    unknown = api.get(FREE, {"unit": "999999", "first": "2030-01-01", "last": "2030-01-02"})

    assert too_long.status_code == 400
    assert too_long.json() == {"last": ["Spørg efter 1 til 92 dage ad gangen."]}
    assert longest.status_code == 200
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_book_by_cpr_then_the_slot_is_taken_then_cancel_frees_it(
    api_for: ApiFor, org: Org, staff: Staff, week_slots: list[Slot]
) -> None:
    api = api_for(staff.frontline)
    slot = week_slots[0]

    booked = api.post("/api/v1/bookings/", {"slot": slot.pk, "cpr": CPR_A}, format="json")
    taken = api.post("/api/v1/bookings/", {"slot": slot.pk, "cvr": CVR_A}, format="json")
    booking_id = booked.json()["id"]
    cancelled = api.post(f"/api/v1/bookings/{booking_id}/cancel/")
    again = api.post(f"/api/v1/bookings/{booking_id}/cancel/")
    rebooked = api.post("/api/v1/bookings/", {"slot": slot.pk, "cvr": CVR_A}, format="json")

    assert booked.status_code == 201
    assert booked.json()["slot"]["id"] == slot.pk
    assert booked.json()["party"] == find_citizen(cpr=CPR_A).pk  # type: ignore[union-attr]
    assert taken.status_code == 409
    assert taken.json() == {
        "non_field_errors": ["Tiden er lige blevet booket af en anden. Vælg en anden tid."]
    }
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancelled_by"]) == (
        BookingStatus.CANCELLED,
        staff.frontline.pk,
    )
    assert again.status_code == 409
    assert rebooked.status_code == 201
    assert list(Booking.objects.order_by("pk").values_list("status", flat=True)) == [
        BookingStatus.CANCELLED,
        BookingStatus.ACTIVE,
    ]


@pytest.mark.django_db
def test_booking_names_the_party_once_and_a_slot_that_exists(
    api_for: ApiFor, staff: Staff, week_slots: list[Slot]
) -> None:
    api = api_for(staff.frontline)

    no_party = api.post("/api/v1/bookings/", {"slot": week_slots[0].pk}, format="json")
    no_slot = api.post("/api/v1/bookings/", {"slot": 999999, "cpr": CPR_A}, format="json")
    bad_cpr = api.post("/api/v1/bookings/", {"slot": week_slots[0].pk, "cpr": "123"}, format="json")

    assert no_party.status_code == 400
    assert no_party.json() == {"party": ["Angiv parten med én af party, cpr eller cvr."]}
    assert no_slot.json() == {"slot": ["Der er ingen tid 999999."]}
    assert bad_cpr.json() == {"cpr": ["Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX)."]}
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_a_caseworker_cancels_only_bookings_of_departments_they_see(
    api_for: ApiFor, staff: Staff, week_slots: list[Slot]
) -> None:
    booked = api_for(staff.frontline).post(
        "/api/v1/bookings/", {"slot": week_slots[0].pk, "cpr": CPR_A}, format="json"
    )
    booking_id = booked.json()["id"]

    elsewhere = api_for(staff.other_caseworker).post(f"/api/v1/bookings/{booking_id}/cancel/")
    seen = api_for(staff.caseworker).get(f"/api/v1/bookings/{booking_id}/")

    assert elsewhere.status_code == 404
    assert seen.status_code == 200
    assert Booking.objects.get().status == BookingStatus.ACTIVE


@pytest.mark.django_db
def test_free_slots_take_as_many_queries_for_a_week_as_for_a_day(
    api_for: ApiFor, org: Org, staff: Staff, week_slots: list[Slot]
) -> None:
    api = api_for(staff.frontline)
    unit = str(org.building_unit.pk)
    api.get(FREE, {"unit": unit, "first": "2030-01-07", "last": "2030-01-07"})  # warm caches

    with CaptureQueriesContext(connection) as day:
        one = api.get(FREE, {"unit": unit, "first": "2030-01-07", "last": "2030-01-07"})
    with CaptureQueriesContext(connection) as week:
        five = api.get(FREE, {"unit": unit, "first": "2030-01-07", "last": "2030-01-11"})

    assert (len(one.json()), len(five.json())) == (4, 19)
    assert len(week.captured_queries) == len(day.captured_queries)


@pytest.mark.django_db
def test_a_slot_is_written_as_drfs_own_fields_would_write_it(week_slots: list[Slot]) -> None:
    slot = Slot.objects.get(pk=week_slots[0].pk)
    slot.mode = "video"

    class ByFields(SlotSerializer):
        to_representation = serializers.ModelSerializer.to_representation

    assert SlotSerializer(slot).data == ByFields(slot).data
