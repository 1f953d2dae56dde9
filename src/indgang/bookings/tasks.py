"""Background work: mail a booking's calendar file, send the reminders that are due, and write
the receipt of a booked pre-application meeting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from indgang.bookings.calendar import Method
from indgang.bookings.services import send_calendar_file as send_file
from indgang.bookings.services import send_due_reminders, write_meeting_receipt
from indgang.common.tasks import Every, task

# Reminders are due a working day ahead; five minutes late is on time.
REMIND_EVERY = Every(dt.timedelta(minutes=5))


@task(name="bookings.send_calendar_file")
def send_calendar_file(*, booking_id: int, method: str) -> None:
    send_file(booking_id=booking_id, method=Method(method))


@task(name="bookings.send_reminders", schedule=REMIND_EVERY)
def send_reminders() -> None:
    send_due_reminders(now=timezone.now())


@task(name="bookings.send_meeting_receipt")
def send_meeting_receipt(*, booking_id: int) -> None:
    write_meeting_receipt(booking_id=booking_id, now=timezone.now())
