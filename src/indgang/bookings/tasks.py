"""Background work: the receipt of a booked pre-application meeting."""

from __future__ import annotations

from django.utils import timezone

from indgang.bookings.services import write_meeting_receipt
from indgang.common.tasks import task


@task(name="bookings.send_meeting_receipt")
def send_meeting_receipt(*, booking_id: int) -> None:
    write_meeting_receipt(booking_id=booking_id, now=timezone.now())
