"""Reminders on real infrastructure: Redis and two Celery workers running the reminder task
twice at once, as two schedulers or a redelivery might."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from indgang.bookings import tasks
from indgang.bookings.constants import BookingStatus
from indgang.bookings.models import Booking, Slot
from indgang.bookings.services import book_slot, cancel_booking, rebook
from indgang.bookings.tests.conftest import publish
from indgang.common.tests.workers import CeleryWorkers
from indgang.conftest import CPR_A, Org, Staff
from indgang.parties.services import get_or_create_citizen

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

EMAIL = "borger@example.dk"
DUE = 20


def test_two_workers_remind_each_due_booking_once_and_cancelled_ones_never(
    org: Org, staff: Staff, celery_workers: CeleryWorkers
) -> None:
    party = get_or_create_citizen(cpr=CPR_A, name="Anna Borger")
    party.email = EMAIL
    party.save(update_fields=["email"])
    slots: list[Slot] = publish(org, staff, dt.date(2030, 1, 7), dt.date(2030, 1, 25), minutes=30)
    now = timezone.now()
    bookings = [
        book_slot(slot=slot, party=party, booked_by=staff.frontline, now=now)
        for slot in slots[: DUE + 2]
    ]
    cancel_booking(booking=bookings[DUE], cancelled_by=staff.frontline, now=now)
    moved = rebook(booking=bookings[DUE + 1], slot=slots[-1], rebooked_by=staff.frontline, now=now)
    # 22 invitations, a cancellation and the moved booking's update were sent. Time passes:
    # every reminder but the moved booking's new one is due.
    Booking.objects.exclude(pk=moved.pk).update(remind_at=now - dt.timedelta(minutes=1))
    celery_workers.wait_for(
        lambda: celery_workers.logs().count(" succeeded in ") == DUE + 4,
        timeout=120,
        what="the invitations and cancellation",
    )

    tasks.send_reminders.enqueue()
    tasks.send_reminders.enqueue()

    celery_workers.wait_for(
        lambda: celery_workers.logs().count(" succeeded in ") == DUE + 6,
        timeout=120,
        what="two reminder runs",
    )
    reminded = Booking.objects.filter(reminded_at__isnull=False)
    assert set(reminded.values_list("pk", flat=True)) == {b.pk for b in bookings[:DUE]}
    assert Booking.objects.get(pk=moved.pk).reminded_at is None
    assert (
        Booking.objects.filter(status=BookingStatus.CANCELLED, reminded_at__isnull=False).count()
        == 0
    )
    # The console e-mail backend writes each message to the worker's log: one reminder each.
    assert celery_workers.logs().count("Vi minder dig om dit m") == DUE
