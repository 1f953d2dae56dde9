"""Staff pages of bookings: the calendar file to download (the booking's own page links it)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from indgang.audit.constants import Purpose, Via
from indgang.bookings.calendar import CONTENT_TYPE, Method, calendar_file, file_name
from indgang.bookings.models import Booking
from indgang.bookings.selectors import is_withdrawn, read_booking
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope


def calendar_response(booking: Booking) -> HttpResponse:
    """The booking's calendar file as a download: the cancellation once it is withdrawn."""
    method = Method.CANCEL if is_withdrawn(booking=booking) else Method.REQUEST
    response = HttpResponse(
        calendar_file(booking, method=method),
        content_type=f"{CONTENT_TYPE}; charset=utf-8; method={method.value}",
    )
    response["Content-Disposition"] = (
        content_disposition_header(True, file_name(booking)) or "attachment"
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view
def booking_calendar(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The calendar file of a booking the user may see; the read is logged for the party."""
    try:
        booking = read_booking(
            scope=request_scope(request),
            user=acting_user(request),
            booking_id=booking_id,
            purpose=Purpose.CONTACT,
            via=Via.UI,
            now=timezone.now(),
            detail="calendar file",
        )
    except Booking.DoesNotExist as error:
        raise Http404 from error
    return calendar_response(booking)
