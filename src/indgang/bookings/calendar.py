"""A booking as an iCalendar file (RFC 5545, with iTIP's methods from RFC 5546).

One chain of rebookings is one calendar event: every booking of the chain carries its UID
(`Booking.calendar_uid`), and each change has a higher SEQUENCE, so a calendar program moves
the event it has rather than adding another. An invitation is METHOD:REQUEST at the booking's
sequence; a cancellation is METHOD:CANCEL, STATUS:CANCELLED one higher. DTSTAMP is the time of
the change, so the same change gives the same file however often it is sent.
"""

from __future__ import annotations

from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from indgang.bookings.constants import Mode
from indgang.bookings.models import Booking
from indgang.common.workdays import COPENHAGEN

CONTENT_TYPE = "text/calendar"
PRODID = "-//Indgang//Bookings//DA"
# The UID's right-hand side, so the event is unique beyond this installation's UUIDs.
UID_DOMAIN = "indgang"


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def summary_of(booking: Booking) -> str:
    return f"{booking.slot.get_meeting_type_display()}: {booking.slot.unit.name}"


def location_of(booking: Booking) -> str:
    slot = booking.slot
    if slot.mode == Mode.VIDEO:
        return slot.place or _("Video meeting")
    return slot.place


def calendar_file(booking: Booking, *, method: Method) -> bytes:
    """The booking's invitation (REQUEST) or its cancellation (CANCEL), with the slot, unit,
    department's municipality and party loaded."""
    slot = booking.slot
    cancel = method == Method.CANCEL
    event = Event()
    event.add("uid", f"{booking.calendar_uid}@{UID_DOMAIN}")
    event.add("sequence", booking.sequence + 1 if cancel else booking.sequence)
    stamp = booking.cancelled_at if cancel and booking.cancelled_at else booking.booked_at
    event.add("dtstamp", stamp)
    event.add("dtstart", slot.starts_at.astimezone(COPENHAGEN))
    event.add("dtend", slot.ends_at.astimezone(COPENHAGEN))
    event.add("summary", summary_of(booking))
    if location := location_of(booking):
        event.add("location", location)
    if slot.task is not None:
        event.add("description", slot.task.title)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = f"{slot.unit.name}, {slot.unit.department.municipality.name}"
    event.add("organizer", organizer)
    if booking.party.email:
        attendee = vCalAddress(f"mailto:{booking.party.email}")
        attendee.params["cn"] = booking.party.name
        attendee.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", attendee)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method.value)
    calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE that DTSTART's TZID names
    content: bytes = calendar.to_ical()
    return content


def file_name(booking: Booking) -> str:
    return f"booking-{booking.pk}.ics"


def attachment(booking: Booking, *, method: Method) -> MIMEBase:
    """The file as an e-mail part: text/calendar with its method, which mail programs need to
    offer it as an invitation."""
    part = MIMEText(calendar_file(booking, method=method).decode(), "calendar", "utf-8")
    part.set_param("method", method.value)
    part.add_header("Content-Disposition", "attachment", filename=file_name(booking))
    return part
