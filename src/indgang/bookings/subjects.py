"""Bookings as subjects of deadlines, journal documents, letters and access-log rows:
registered in BookingsConfig.ready(), answering through this app's selectors."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils import formats

from indgang.bookings.models import Booking
from indgang.bookings.selectors import SHOWN, get_booking_for
from indgang.common.subjects import SubjectFacts, SubjectView
from indgang.common.workdays import COPENHAGEN
from indgang.organisation.selectors import Scope


def _label(booking: Booking) -> str:
    starts = booking.slot.starts_at.astimezone(COPENHAGEN)
    return (
        f"{booking.slot.get_meeting_type_display()} "
        f"{formats.date_format(starts, 'SHORT_DATETIME_FORMAT')}"
    )


class BookingSubject:
    def facts(self, subject: Booking) -> SubjectFacts:
        return SubjectFacts(
            department_id=subject.slot.unit.department_id,
            unit_id=subject.slot.unit_id,
            task_id=subject.slot.task_id,
            received_at=subject.booked_at,
            handler=None,
            kle_topic=None,
            party_id=subject.party_id,
            journalised=subject,
        )

    def get_for(self, *, scope: Scope, pk: int) -> Booking:
        return get_booking_for(scope=scope, booking_id=pk)

    def views(self, *, scope: Scope, ids: Collection[int]) -> dict[int, SubjectView]:
        # No page of its own yet: the party's 360, as a case's.
        return {
            booking.pk: SubjectView(
                label=_label(booking),
                url=reverse("party-overview", kwargs={"party_id": booking.party_id}),
                party=booking.party,
                redacted=not scope.sees_in_full(booking.slot.unit.department_id),
            )
            for booking in Booking.objects.filter(pk__in=ids).select_related(*SHOWN)
        }
