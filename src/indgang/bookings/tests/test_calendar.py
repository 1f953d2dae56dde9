"""Calendar files by e-mail and reminders: what the party receives, parsed as calendar
programs parse it."""

from __future__ import annotations

import datetime as dt
import socket
from email.message import Message

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar, Component
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from indgang.bookings.models import Booking, Slot
from indgang.bookings.services import book_slot, cancel_booking, rebook, send_due_reminders
from indgang.common.workdays import COPENHAGEN, subtract_working_days
from indgang.conftest import CPR_A, CPR_B, Org, Staff
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen

# A booking with a task writes a receipt letter: its template must be there even after an earlier
# transactional test's flush.
pytestmark = pytest.mark.usefixtures("seed_data")

NOW = dt.datetime(2029, 12, 20, 12, tzinfo=COPENHAGEN)
EMAIL = "borger@example.dk"


@pytest.fixture
def citizen(db: None) -> Party:
    party = get_or_create_citizen(cpr=CPR_A, name="Anna Borger")
    party.email = EMAIL
    party.save(update_fields=["email"])
    return party


def attached_calendar(message: mail.EmailMessage) -> tuple[Message, Calendar]:
    """The message's text/calendar part as sent, and the calendar it holds."""
    parts = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    assert len(parts) == 1
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return parts[0], Calendar.from_ical(payload)


def event_of(calendar: Calendar) -> Component:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.mark.django_db
def test_a_booking_mails_an_invitation_that_parses_with_uid_time_zone_place_and_people(
    org: Org,
    staff: Staff,
    citizen: Party,
    week_slots: list[Slot],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    slot = week_slots[4]  # Tuesday 8 January 2030, 09:00-10:30

    with django_capture_on_commit_callbacks(execute=True):
        booking = book_slot(slot=slot, party=citizen, booked_by=staff.frontline, now=NOW)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "Booket: Forhåndsdialog: Byggesager"
    assert message.body == (
        "Kære Anna Borger\n\nDu har booket et møde med os.\n\n"
        "Hvad: Forhåndsdialog: Byggesager\nHvornår: 8. januar 2030 kl. 09:00\n"
        "Hvor: Rådhuset, mødelokale 2\n\nMødet er vedhæftet som kalenderfil."
    )
    part, calendar = attached_calendar(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == f"booking-{booking.pk}.ics"
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    assert str(event["UID"]) == f"{booking.calendar_uid}@indgang"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event.decoded("DTSTART") == dt.datetime(2030, 1, 8, 9, tzinfo=COPENHAGEN)
    assert event.decoded("DTEND") == dt.datetime(2030, 1, 8, 10, 30, tzinfo=COPENHAGEN)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert str(event["LOCATION"]) == "Rådhuset, mødelokale 2"
    assert str(event["SUMMARY"]) == "Forhåndsdialog: Byggesager"
    assert str(event["ORGANIZER"]) == "mailto:indgang@localhost"
    assert event["ORGANIZER"].params["CN"] == "Byggesager, Testkommune"
    assert str(event["ATTENDEE"]) == f"mailto:{EMAIL}"
    assert event["ATTENDEE"].params["CN"] == "Anna Borger"


@pytest.mark.django_db
def test_a_rebooking_updates_the_event_and_a_cancellation_cancels_it_under_the_same_uid(
    staff: Staff,
    citizen: Party,
    week_slots: list[Slot],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = book_slot(slot=week_slots[4], party=citizen, booked_by=staff.frontline, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        moved = rebook(booking=first, slot=week_slots[5], rebooked_by=staff.frontline, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=moved, cancelled_by=staff.frontline, now=NOW + dt.timedelta(hours=1))

    # Booked, moved (no cancellation of the old time: the event moves), cancelled.
    assert [message.subject for message in mail.outbox] == [
        "Booket: Forhåndsdialog: Byggesager",
        "Flyttet: Forhåndsdialog: Byggesager",
        "Aflyst: Forhåndsdialog: Byggesager",
    ]
    files = [attached_calendar(message) for message in mail.outbox]
    assert [part.get_param("method") for part, _calendar in files] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    events = [event_of(calendar) for _part, calendar in files]
    assert {str(event["UID"]) for event in events} == {f"{first.calendar_uid}@indgang"}
    assert [event["SEQUENCE"] for event in events] == [0, 1, 2]
    assert [event["STATUS"] for event in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert [event.decoded("DTSTART").hour for event in events] == [9, 10, 10]
    assert [calendar["METHOD"] for _part, calendar in files] == ["REQUEST", "REQUEST", "CANCEL"]


@pytest.mark.django_db
def test_no_mail_without_an_address_or_for_a_booking_refused(
    staff: Staff,
    citizen: Party,
    week_slots: list[Slot],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    silent = get_or_create_citizen(cpr=CPR_B)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        book_slot(slot=week_slots[0], party=silent, booked_by=staff.frontline, now=NOW)
    with (
        django_capture_on_commit_callbacks(execute=True) as refused,
        pytest.raises(ValidationError),
    ):
        book_slot(slot=week_slots[0], party=citizen, booked_by=staff.frontline, now=NOW)

    assert (len(sent), len(refused)) == (1, 0)
    assert mail.outbox == []


def test_a_reminder_goes_the_same_time_a_working_day_earlier_by_the_calendar() -> None:
    def back(day: dt.date, days: int = 1) -> dt.datetime:
        return subtract_working_days(
            dt.datetime.combine(day, dt.time(10, 30), tzinfo=COPENHAGEN), days
        )

    assert back(dt.date(2030, 1, 8)) == dt.datetime(2030, 1, 7, 10, 30, tzinfo=COPENHAGEN)
    # Monday: the Friday before.
    assert back(dt.date(2030, 1, 7)) == dt.datetime(2030, 1, 4, 10, 30, tzinfo=COPENHAGEN)
    # Over New Year's Day, the 31 December closing day and a weekend.
    assert back(dt.date(2030, 1, 2)) == dt.datetime(2029, 12, 28, 10, 30, tzinfo=COPENHAGEN)
    assert back(dt.date(2030, 1, 8), 0) == dt.datetime(2030, 1, 8, 10, 30, tzinfo=COPENHAGEN)
    with pytest.raises(ValueError, match="non-negative"):
        back(dt.date(2030, 1, 8), -1)


@pytest.mark.django_db
def test_a_booking_reminds_once_and_a_cancelled_or_moved_one_not_at_its_old_time(
    staff: Staff, citizen: Party, week_slots: list[Slot]
) -> None:
    kept = book_slot(slot=week_slots[4], party=citizen, booked_by=staff.frontline, now=NOW)
    cancelled = book_slot(slot=week_slots[5], party=citizen, booked_by=staff.frontline, now=NOW)
    cancel_booking(booking=cancelled, cancelled_by=staff.frontline, now=NOW)
    old = book_slot(slot=week_slots[6], party=citizen, booked_by=staff.frontline, now=NOW)
    # Moved from Tuesday 8 to Thursday 10 January: reminded on the 9th, not the 7th.
    moved = rebook(booking=old, slot=week_slots[12], rebooked_by=staff.frontline, now=NOW)
    mail.outbox.clear()
    monday_9 = dt.datetime(2030, 1, 7, 9, tzinfo=COPENHAGEN)

    assert Booking.objects.get(pk=kept.pk).remind_at == monday_9
    assert moved.remind_at == dt.datetime(2030, 1, 9, 9, tzinfo=COPENHAGEN)
    assert send_due_reminders(now=monday_9 - dt.timedelta(seconds=1)) == 0
    assert send_due_reminders(now=monday_9 + dt.timedelta(hours=2)) == 1
    assert send_due_reminders(now=monday_9 + dt.timedelta(hours=2)) == 0  # a task run twice

    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("Påmindelse: Forhåndsdialog: Byggesager", [EMAIL])
    ]
    assert "Hvornår: 8. januar 2030 kl. 09:00" in mail.outbox[0].body
    _part, calendar = attached_calendar(mail.outbox[0])
    assert event_of(calendar)["SEQUENCE"] == 0
    reminded = Booking.objects.filter(reminded_at__isnull=False)
    assert list(reminded.values_list("pk", flat=True)) == [kept.pk]
    assert send_due_reminders(now=dt.datetime(2030, 1, 9, 9, 1, tzinfo=COPENHAGEN)) == 1
    assert list(reminded.order_by("pk").values_list("pk", flat=True)) == [kept.pk, moved.pk]


@pytest.mark.django_db
def test_no_reminder_when_booked_after_its_time_or_when_turned_off(
    settings: Settings, staff: Staff, citizen: Party, week_slots: list[Slot]
) -> None:
    late = book_slot(
        slot=week_slots[4],
        party=citizen,
        booked_by=staff.frontline,
        now=dt.datetime(2030, 1, 7, 9, 30, tzinfo=COPENHAGEN),
    )
    settings.BOOKING_REMINDER_WORKING_DAYS = 0
    off = book_slot(slot=week_slots[8], party=citizen, booked_by=staff.frontline, now=NOW)

    assert (late.remind_at, off.remind_at) == (None, None)
    assert send_due_reminders(now=dt.datetime(2030, 1, 9, tzinfo=COPENHAGEN)) == 0


@pytest.mark.django_db
def test_a_reminder_the_mail_server_refuses_is_sent_by_the_next_run(
    settings: Settings, staff: Staff, citizen: Party, week_slots: list[Slot]
) -> None:
    booking = book_slot(slot=week_slots[4], party=citizen, booked_by=staff.frontline, now=NOW)
    mail.outbox.clear()
    due = dt.datetime(2030, 1, 7, 11, tzinfo=COPENHAGEN)
    # A real SMTP connection to a port nobody listens on: the server is down.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2

    assert send_due_reminders(now=due) == 0
    assert Booking.objects.get(pk=booking.pk).reminded_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due_reminders(now=due + dt.timedelta(minutes=5)) == 1
    assert send_due_reminders(now=due + dt.timedelta(minutes=10)) == 0
    assert [message.subject for message in mail.outbox] == [
        "Påmindelse: Forhåndsdialog: Byggesager"
    ]
    assert Booking.objects.get(pk=booking.pk).reminded_at == due + dt.timedelta(minutes=5)
