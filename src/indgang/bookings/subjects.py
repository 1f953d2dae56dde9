"""Bookings as subjects of deadlines (a meeting's confirmation call) and letters (its receipt
and summary): registered in BookingsConfig.ready(), answering through this app's selectors."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils.formats import date_format

from indgang.bookings.constants import MeetingType
from indgang.bookings.models import Booking
from indgang.bookings.selectors import get_booking_for, visible_bookings
from indgang.common.subjects import SubjectFacts, SubjectView
from indgang.common.workdays import COPENHAGEN
from indgang.organisation.selectors import Scope


class BookingSubject:
    def facts(self, subject: Booking) -> SubjectFacts:
        slot = subject.slot
        return SubjectFacts(
            department_id=slot.unit.department_id,
            unit_id=slot.unit_id,
            task_id=subject.task_id,
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
        visible = set(visible_bookings(scope=scope).filter(pk__in=ids).values_list("pk", flat=True))
        return {
            booking.pk: SubjectView(
                label=f"{booking.slot.get_meeting_type_display()} {_local(booking)}",
                # Only a pre-application meeting has a page of its own.
                url=reverse("bookings:meeting", kwargs={"booking_id": booking.pk})
                if booking.slot.meeting_type == MeetingType.PRE_APPLICATION
                else "",
                party=booking.party,
                redacted=booking.pk not in visible,
            )
            for booking in Booking.objects.filter(pk__in=ids).select_related("slot", "party")
        }


def _local(booking: Booking) -> str:
    return date_format(booking.slot.starts_at.astimezone(COPENHAGEN), "SHORT_DATETIME_FORMAT")
