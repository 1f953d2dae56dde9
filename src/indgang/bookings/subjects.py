"""Bookings as subjects of deadlines (a meeting's confirmation call), journal documents, letters
(its receipt and summary) and access-log rows: registered in BookingsConfig.ready(), answering
through this app's selectors."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils.formats import date_format

from indgang.bookings.constants import MeetingType
from indgang.bookings.models import Booking
from indgang.bookings.selectors import SHOWN, get_booking_for
from indgang.common.subjects import SubjectFacts, SubjectView
from indgang.common.workdays import COPENHAGEN
from indgang.organisation.selectors import Scope


def _label(booking: Booking) -> str:
    starts = booking.slot.starts_at.astimezone(COPENHAGEN)
    when = date_format(starts, "SHORT_DATETIME_FORMAT")
    return f"{booking.slot.get_meeting_type_display()} {when}"


def _url(booking: Booking) -> str:
    # A pre-application meeting has a page of its own; a desk appointment the party's 360.
    if booking.slot.meeting_type == MeetingType.PRE_APPLICATION:
        return reverse("bookings:meeting", kwargs={"booking_id": booking.pk})
    return reverse("party-overview", kwargs={"party_id": booking.party_id})


class BookingSubject:
    def facts(self, subject: Booking) -> SubjectFacts:
        slot = subject.slot
        return SubjectFacts(
            department_id=slot.unit.department_id,
            unit_id=slot.unit_id,
            task_id=subject.task_id or slot.task_id,
            received_at=subject.booked_at,
            # The first of the staff taking part handles the meeting's call.
            handler=slot.staff.order_by("pk").first(),
            kle_topic=None,
            party_id=subject.party_id,
            journalised=subject,
        )

    def get_for(self, *, scope: Scope, pk: int) -> Booking:
        return get_booking_for(scope=scope, booking_id=pk)

    def views(self, *, scope: Scope, ids: Collection[int]) -> dict[int, SubjectView]:
        return {
            booking.pk: SubjectView(
                label=_label(booking),
                url=_url(booking),
                party=booking.party,
                redacted=not scope.sees_in_full(booking.slot.unit.department_id),
            )
            for booking in Booking.objects.filter(pk__in=ids).select_related(*SHOWN)
        }
