from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from indgang.bookings.constants import BookingStatus
from indgang.bookings.models import Booking, Slot, StaffAbsence
from indgang.bookings.selectors import list_free_slots
from indgang.bookings.services import book_slot, cancel_booking, rebook
from indgang.bookings.tests.conftest import publish
from indgang.common.errors import CONFLICT
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import CPR_A, CPR_B, Org, Staff
from indgang.organisation.selectors import get_scope
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=COPENHAGEN)
TAKEN = "Tiden er lige blevet booket af en anden. Vælg en anden tid."


def local(slot: Slot) -> tuple[dt.date, str, str]:
    starts = slot.starts_at.astimezone(COPENHAGEN)
    return starts.date(), f"{starts:%H:%M}", f"{slot.ends_at.astimezone(COPENHAGEN):%H:%M}"


def free(org: Org, staff: Staff, first: dt.date, last: dt.date) -> list[Slot]:
    return list(
        list_free_slots(
            scope=get_scope(user=staff.frontline),
            unit_id=org.building_unit.pk,
            starts_from=dt.datetime.combine(first, dt.time(), tzinfo=COPENHAGEN),
            starts_before=dt.datetime.combine(last, dt.time(), tzinfo=COPENHAGEN),
        )
    )


@pytest.fixture
def citizens(db: None) -> tuple[Party, Party]:
    return get_or_create_citizen(cpr=CPR_A), get_or_create_citizen(cpr=CPR_B)


@pytest.mark.django_db
def test_slots_skip_holidays_and_closing_days_and_stay_inside_opening_hours(
    org: Org, staff: Staff
) -> None:
    slots = publish(org, staff, dt.date(2026, 12, 21), dt.date(2027, 1, 8))

    by_day: dict[dt.date, list[tuple[str, str]]] = {}
    for slot in Slot.objects.all():
        day, starts, ends = local(slot)
        by_day.setdefault(day, []).append((starts, ends))
    monday_to_wednesday = [
        ("09:00", "10:30"),
        ("10:30", "12:00"),
        ("12:00", "13:30"),
        ("13:30", "15:00"),
    ]
    # Not 24 Dec (a closing day, Thursday), 25 Dec (Christmas Day), 31 Dec (a closing day),
    # 1 Jan (New Year's Day) nor the weekends; Thursday opens to 17:30, Friday to 13:00.
    assert by_day == {
        dt.date(2026, 12, 21): monday_to_wednesday,
        dt.date(2026, 12, 22): monday_to_wednesday,
        dt.date(2026, 12, 23): monday_to_wednesday,
        dt.date(2026, 12, 28): monday_to_wednesday,
        dt.date(2026, 12, 29): monday_to_wednesday,
        dt.date(2026, 12, 30): monday_to_wednesday,
        dt.date(2027, 1, 4): monday_to_wednesday,
        dt.date(2027, 1, 5): monday_to_wednesday,
        dt.date(2027, 1, 6): monday_to_wednesday,
        dt.date(2027, 1, 7): [*monday_to_wednesday, ("15:00", "16:30")],
        dt.date(2027, 1, 8): [("09:00", "10:30"), ("10:30", "12:00")],
    }
    assert len(slots) == 43
    assert {
        tuple(slot.staff.values_list("username", flat=True).order_by("username")) for slot in slots
    } == {("byg", "leder")}


@pytest.mark.django_db
def test_publishing_again_adds_only_the_new_days(org: Org, staff: Staff) -> None:
    publish(org, staff, dt.date(2027, 1, 4), dt.date(2027, 1, 4))

    again = publish(org, staff, dt.date(2027, 1, 4), dt.date(2027, 1, 5))

    assert [local(slot)[0] for slot in again] == [dt.date(2027, 1, 5)] * 4
    assert Slot.objects.count() == 8


@pytest.mark.django_db
def test_absence_blocks_the_slots_the_person_takes_part_in(
    org: Org, staff: Staff, citizens: tuple[Party, Party]
) -> None:
    publish(org, staff, dt.date(2026, 12, 22), dt.date(2026, 12, 22))
    StaffAbsence.objects.create(
        user=staff.manager,
        starts_at=dt.datetime(2026, 12, 22, 10, tzinfo=COPENHAGEN),
        ends_at=dt.datetime(2026, 12, 22, 12, tzinfo=COPENHAGEN),
    )
    blocked = Slot.objects.get(starts_at=dt.datetime(2026, 12, 22, 10, 30, tzinfo=COPENHAGEN))

    offered = free(org, staff, dt.date(2026, 12, 22), dt.date(2026, 12, 23))
    with pytest.raises(ValidationError) as refused:
        book_slot(slot=blocked, party=citizens[0], booked_by=staff.frontline, now=NOW)

    # 9:00-10:30 and 10:30-12:00 overlap the absence; 12:00 starts as it ends.
    assert [local(slot)[1] for slot in offered] == ["12:00", "13:30"]
    assert refused.value.messages == ["Tiden udbydes ikke længere. Vælg en anden tid."]
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_a_held_slot_is_refused_with_the_danish_message_and_cancelling_frees_it(
    org: Org, staff: Staff, week_slots: list[Slot], citizens: tuple[Party, Party]
) -> None:
    first, second = citizens
    slot = week_slots[0]
    booking = book_slot(slot=slot, party=first, booked_by=staff.frontline, now=NOW)

    with pytest.raises(ValidationError) as refused:
        book_slot(slot=slot, party=second, booked_by=staff.caseworker, now=NOW)
    assert refused.value.messages == [TAKEN]
    assert refused.value.code == CONFLICT
    assert slot not in free(org, staff, dt.date(2030, 1, 7), dt.date(2030, 1, 8))

    cancel_booking(booking=booking, cancelled_by=staff.caseworker, now=NOW)
    assert slot in free(org, staff, dt.date(2030, 1, 7), dt.date(2030, 1, 8))
    book_slot(slot=slot, party=second, booked_by=staff.caseworker, now=NOW)

    assert list(
        Booking.objects.order_by("pk").values_list(
            "party", "status", "cancelled_at", "cancelled_by"
        )
    ) == [
        (first.pk, BookingStatus.CANCELLED, NOW, staff.caseworker.pk),
        (second.pk, BookingStatus.ACTIVE, None, None),
    ]


@pytest.mark.django_db
def test_cancelling_twice_is_refused(
    staff: Staff, week_slots: list[Slot], citizens: tuple[Party, Party]
) -> None:
    booking = book_slot(slot=week_slots[0], party=citizens[0], booked_by=staff.frontline, now=NOW)
    cancel_booking(booking=booking, cancelled_by=staff.frontline, now=NOW)

    with pytest.raises(ValidationError) as refused:
        cancel_booking(booking=booking, cancelled_by=staff.caseworker, now=NOW + dt.timedelta(1))

    assert refused.value.messages == ["Bookingen er allerede aflyst."]
    assert Booking.objects.get().cancelled_by == staff.frontline


@pytest.mark.django_db
def test_a_past_slot_is_not_booked(
    staff: Staff, week_slots: list[Slot], citizens: tuple[Party, Party]
) -> None:
    with pytest.raises(ValidationError) as refused:
        book_slot(
            slot=week_slots[0],
            party=citizens[0],
            booked_by=staff.frontline,
            now=week_slots[0].starts_at,
        )

    assert refused.value.messages == ["Tiden er passeret. Vælg en anden tid."]
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_rebooking_moves_the_booking_and_keeps_the_old_one_as_history(
    staff: Staff, week_slots: list[Slot], citizens: tuple[Party, Party]
) -> None:
    old = book_slot(slot=week_slots[0], party=citizens[0], booked_by=staff.frontline, now=NOW)

    new = rebook(booking=old, slot=week_slots[1], rebooked_by=staff.caseworker, now=NOW)

    old.refresh_from_db()
    assert (old.status, old.cancelled_by, old.cancelled_at) == (
        BookingStatus.CANCELLED,
        staff.caseworker,
        NOW,
    )
    assert (new.slot, new.party, new.status, new.replaces) == (
        week_slots[1],
        citizens[0],
        BookingStatus.ACTIVE,
        old,
    )


@pytest.mark.django_db
def test_rebooking_onto_a_held_slot_keeps_the_old_booking(
    staff: Staff, week_slots: list[Slot], citizens: tuple[Party, Party]
) -> None:
    old = book_slot(slot=week_slots[0], party=citizens[0], booked_by=staff.frontline, now=NOW)
    book_slot(slot=week_slots[1], party=citizens[1], booked_by=staff.frontline, now=NOW)

    with pytest.raises(ValidationError) as refused:
        rebook(booking=old, slot=week_slots[1], rebooked_by=staff.caseworker, now=NOW)

    assert refused.value.messages == [TAKEN]
    assert list(Booking.objects.order_by("pk").values_list("slot", "status", "cancelled_at")) == [
        (week_slots[0].pk, BookingStatus.ACTIVE, None),
        (week_slots[1].pk, BookingStatus.ACTIVE, None),
    ]
