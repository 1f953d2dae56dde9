"""Slots of the building unit to book in the bookings tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection

from indgang.bookings.constants import MeetingType, Mode
from indgang.bookings.models import Desk, Slot
from indgang.bookings.services import publish_slots
from indgang.conftest import Org, Staff
from indgang.organisation.models import Unit

# The concurrent bookings and queue numbers need PostgreSQL's row locks and connections;
# SQLite serialises writers, so the tests would prove nothing there.
collect_ignore = (
    []
    if connection.vendor == "postgresql"
    else ["test_concurrent_booking.py", "test_concurrent_queue.py"]
)


def publish(org: Org, staff: Staff, first: dt.date, last: dt.date, minutes: int = 90) -> list[Slot]:
    return publish_slots(
        unit=org.building_unit,
        meeting_type=MeetingType.PRE_APPLICATION,
        length=dt.timedelta(minutes=minutes),
        first=first,
        last=last,
        mode=Mode.IN_PERSON,
        place="Rådhuset, mødelokale 2",
        staff=[staff.caseworker, staff.manager],
    )


@pytest.fixture
def week_slots(org: Org, staff: Staff) -> list[Slot]:
    """Monday 7 to Friday 11 January 2030: 4 + 4 + 4 + 5 + 2 slots of 90 minutes."""
    return publish(org, staff, dt.date(2030, 1, 7), dt.date(2030, 1, 11))


@dataclass(frozen=True)
class Centre:
    """The contact centre's unit as a service centre with two desks."""

    unit: Unit
    desk_1: Desk
    desk_2: Desk


@pytest.fixture
def centre(org: Org) -> Centre:
    return Centre(
        unit=org.contact_centre,
        desk_1=Desk.objects.create(unit=org.contact_centre, name="Skranke 1"),
        desk_2=Desk.objects.create(unit=org.contact_centre, name="Skranke 2"),
    )


def desk_slots(org: Org, staff: Staff, day: dt.date) -> list[Slot]:
    """Desk appointments of 30 minutes at the contact centre on the day, from 9:00."""
    return publish_slots(
        unit=org.contact_centre,
        meeting_type=MeetingType.DESK,
        length=dt.timedelta(minutes=30),
        first=day,
        last=day,
        mode=Mode.IN_PERSON,
        place="Borgerservice, Rådhuset",
        staff=[staff.frontline],
    )
