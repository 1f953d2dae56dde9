"""Writes: publishing slots, booking, cancelling and rebooking; the calendar files and
reminders they send; a pre-application meeting's receipt, material, confirmation call and
summary."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.bookings.calendar import Method, attachment, location_of, summary_of
from indgang.bookings.constants import BookingStatus, MeetingType, Mode
from indgang.bookings.models import Booking, Slot
from indgang.bookings.selectors import (
    SHOWN,
    booking_to_send,
    checklist_of,
    confirmation_call_of,
    is_blocked,
)
from indgang.catalogue.models import Task
from indgang.common.errors import CONFLICT
from indgang.common.inputs import INVISIBLE
from indgang.common.workdays import COPENHAGEN, subtract_working_days, working_days_in
from indgang.deadlines.constants import DeadlineKind, StopEvent
from indgang.deadlines.selectors import OPEN_STATUSES, calendar_for, deadlines_of
from indgang.deadlines.services import complete_deadline, start_deadline
from indgang.letters.constants import LetterKind, Transport
from indgang.letters.models import Letter
from indgang.letters.selectors import letters_for_subject
from indgang.letters.services import compose_letter, send_letter
from indgang.organisation.models import Unit
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party
from indgang.parties.selectors import get_party
from indgang.parties.services import get_or_create_citizen, get_or_create_company

logger = logging.getLogger(__name__)

# Slots are published at most a year ahead at a time.
MAX_PUBLISH_DAYS = 366


@transaction.atomic
def publish_slots(
    *,
    unit: Unit,
    meeting_type: MeetingType,
    length: dt.timedelta,
    first: dt.date,
    last: dt.date,
    mode: Mode,
    staff: Sequence[User],
    place: str = "",
    task: Task | None = None,
) -> list[Slot]:
    """Publish back-to-back slots of `length` on each working day from `first` to `last`,
    inside the municipality's opening hours; times the unit already offers for the meeting
    type are left as they are. Return the new slots."""
    if length <= dt.timedelta(0) or length > dt.timedelta(hours=8):
        raise ValidationError({"length": _("A meeting lasts from 1 minute to 8 hours.")})
    if not first <= last <= first + dt.timedelta(days=MAX_PUBLISH_DAYS):
        raise ValidationError(
            {"last": _("Publish from 1 to %(most)s days at a time.") % {"most": MAX_PUBLISH_DAYS}}
        )
    if not staff:
        raise ValidationError({"staff": _("Choose the staff taking part.")})
    calendar = calendar_for(municipality_id=unit.department.municipality_id)
    offered = set(
        Slot.objects.filter(unit=unit, meeting_type=meeting_type).values_list(
            "starts_at", flat=True
        )
    )
    slots = []
    for day in working_days_in(first, last, calendar=calendar):
        opens, closes = calendar.hours(day)
        starts_at = dt.datetime.combine(day, opens, tzinfo=calendar.time_zone)
        closing = dt.datetime.combine(day, closes, tzinfo=calendar.time_zone)
        while starts_at + length <= closing:
            if starts_at not in offered:
                slots.append(
                    Slot(
                        unit=unit,
                        meeting_type=meeting_type,
                        starts_at=starts_at,
                        ends_at=starts_at + length,
                        mode=mode,
                        place=place,
                        task=task,
                    )
                )
            starts_at += length
    Slot.objects.bulk_create(slots)
    Slot.staff.through.objects.bulk_create(
        Slot.staff.through(slot_id=slot.pk, user_id=member.pk) for slot in slots for member in staff
    )
    return slots


def party_to_book(
    *, party_id: int | None, cpr: str | None, cvr: str | None, name: str = ""
) -> Party:
    """The party a booking is for: the one given, or the citizen or company with this CPR or
    CVR number (created if new)."""
    try:
        if cpr:
            return get_or_create_citizen(cpr=clean_cpr(cpr), name=name)
        if cvr:
            return get_or_create_company(cvr=clean_cvr(cvr), name=name)
    except InvalidIdentifierError as error:
        raise ValidationError({"cpr" if cpr else "cvr": str(error)}) from error
    if party_id is None:
        raise ValidationError({"party": _("Give the party as one of party, cpr or cvr.")})
    try:
        return get_party(party_id=party_id)
    except Party.DoesNotExist:
        raise ValidationError(
            {"party": _("There is no citizen or company %(id)s.") % {"id": party_id}}
        ) from None


TAKEN = gettext_lazy("Someone else has just booked the time. Choose another time.")


@transaction.atomic
def book_slot(
    *,
    slot: Slot,
    party: Party,
    booked_by: User,
    now: dt.datetime,
    replaces: Booking | None = None,
    task: Task | None = None,
) -> Booking:
    """Book the slot for the party (`replaces`: the booking this one moves; `task`: what the
    meeting is about, else the slot's task).

    The database decides who gets a slot two people ask for at once: the one whose insert it
    accepts (`booking_one_active_per_slot`); the other gets a ValidationError with code
    CONFLICT. Checking for an active booking first would let both through.
    """
    if slot.starts_at <= now:
        raise ValidationError(_("The time has passed. Choose another time."))
    if is_blocked(slot=slot):
        raise ValidationError(_("The time is no longer offered. Choose another time."))
    try:
        # A savepoint, so that a refused insert leaves the caller's transaction usable.
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot,
                party=party,
                booked_at=now,
                booked_by=booked_by,
                replaces=replaces,
                # A rebooking moves the same calendar event: same UID, next SEQUENCE.
                calendar_uid=replaces.calendar_uid if replaces else uuid.uuid4(),
                sequence=replaces.sequence + 1 if replaces else 0,
                remind_at=reminder_time(slot=slot, now=now),
                task=task or slot.task,
            )
    except IntegrityError as error:
        # The slot, party and user exist: the only constraint this insert can break is the
        # one active booking per slot.
        raise ValidationError(TAKEN, code=CONFLICT) from error
    _send_later(booking, Method.REQUEST)
    return booking


def reminder_time(*, slot: Slot, now: dt.datetime) -> dt.datetime | None:
    """BOOKING_REMINDER_WORKING_DAYS working days before the meeting, at its time of day, by
    the municipality's calendar; None when that is not after `now` (the invitation has just
    gone) or reminders are off."""
    days = settings.BOOKING_REMINDER_WORKING_DAYS
    if days <= 0:
        return None
    municipality_id = Unit.objects.values_list("department__municipality_id", flat=True).get(
        pk=slot.unit_id
    )
    calendar = calendar_for(municipality_id=municipality_id)
    remind_at = subtract_working_days(slot.starts_at, days, calendar=calendar)
    return remind_at if remind_at > now else None


def _send_later(booking: Booking, method: Method) -> None:
    """Mail the calendar file once the transaction commits (nothing if it rolls back)."""
    from indgang.bookings.tasks import send_calendar_file  # tasks import this module

    send_calendar_file.enqueue(booking_id=booking.pk, method=method.value)


@transaction.atomic
def cancel_booking(*, booking: Booking, cancelled_by: User, now: dt.datetime) -> Booking:
    """Cancel the booking and free its slot; the booking stays as history, and the party's
    calendar gets the cancellation."""
    cancelled = _cancel(booking=booking, cancelled_by=cancelled_by, now=now)
    _send_later(cancelled, Method.CANCEL)
    return cancelled


def _cancel(*, booking: Booking, cancelled_by: User, now: dt.datetime) -> Booking:
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status != BookingStatus.ACTIVE:
        raise ValidationError(_("The booking is already cancelled."), code=CONFLICT)
    locked.status = BookingStatus.CANCELLED
    locked.cancelled_at = now
    locked.cancelled_by = cancelled_by
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    # A cancelled meeting needs no call: its clock stops (a rebooking starts it again).
    for deadline in deadlines_of(subject=locked).filter(status__in=OPEN_STATUSES):
        complete_deadline(
            deadline=deadline, by=cancelled_by, now=now, stopped_by=StopEvent.WITHDRAWN
        )
    return locked


@transaction.atomic
def rebook(*, booking: Booking, slot: Slot, rebooked_by: User, now: dt.datetime) -> Booking:
    """Move the booking to another slot: both or neither (a taken slot keeps the old one).
    The party's calendar gets the moved event, not a cancellation.

    A pre-application meeting keeps its task, material and confirmation call, and the
    applicant gets a receipt for the new time.
    """
    call = confirmation_call_of(booking=booking)
    running = call is not None and call.status in OPEN_STATUSES
    cancelled = _cancel(booking=booking, cancelled_by=rebooked_by, now=now)
    moved = book_slot(
        slot=slot,
        party=cancelled.party,
        booked_by=rebooked_by,
        now=now,
        replaces=cancelled,
        task=cancelled.task,
    )
    if slot.meeting_type != MeetingType.PRE_APPLICATION:
        return moved
    for name in MEETING_STATE_FIELDS:
        setattr(moved, name, getattr(cancelled, name))
    moved.save(update_fields=MEETING_STATE_FIELDS)
    if running:
        assert call is not None  # noqa: S101 - narrowed by `running`
        start_deadline(
            subject=moved,
            kind=DeadlineKind.CONFIRMATION_CALL,
            by=rebooked_by,
            now=now,
            due_at=max(call.due_at, now + dt.timedelta(minutes=1)),
            owner=call.owner,
        )
    _send_receipt_on_commit(moved)
    return moved


# --- Pre-application meetings (forhåndsdialog) ----------------------------------------------

# What a meeting has come to; a rebooked meeting carries it over.
MEETING_STATE_FIELDS = [
    "material_arrived_at",
    "material_note",
    "confirmed_at",
    "confirmation_note",
]


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code=CONFLICT)


def _send_receipt_on_commit(booking: Booking) -> None:
    from indgang.bookings.tasks import send_meeting_receipt  # tasks import this module

    send_meeting_receipt.enqueue(booking_id=booking.pk)


@transaction.atomic
def book_meeting(
    *, slot: Slot, party: Party, task: Task | None, booked_by: User, now: dt.datetime
) -> Booking:
    """Book a pre-application meeting for the party about a task (the slot's, when it has one;
    else the one given, if any); the receipt letter with the task's checklist goes out once the
    booking is committed."""
    if slot.meeting_type != MeetingType.PRE_APPLICATION:
        raise ValidationError({"slot": _("The time is not for a pre-application meeting.")})
    booking = book_slot(
        slot=slot, party=party, booked_by=booked_by, now=now, task=slot.task or task
    )
    _send_receipt_on_commit(booking)
    return booking


def reference_of(booking: Booking) -> str:
    """The meeting's number, as its letters give it to the applicant."""
    return f"M-{booking.pk}"


def _issue_meeting_letter(
    *, booking: Booking, kind: LetterKind, context: dict[str, object], by: User, now: dt.datetime
) -> Letter:
    """Write one of the meeting's letters to its party and queue it by the letters' transport."""
    party = booking.party
    letter = compose_letter(
        kind=kind,
        subject=booking,
        recipient=party,
        context={
            "case_number": reference_of(booking),
            "recipient_name": party.name,
            "address": party.address,
            "caseworker_name": by.get_full_name() or by.username,
            "letter_date": timezone.localdate(now),
            "task_title": booking.task.title if booking.task else "",
            "meeting_start": booking.slot.starts_at.astimezone(COPENHAGEN),
            **context,
        },
        by=by,
        now=now,
    )
    transport = settings.CASES_LETTER_TRANSPORT
    send_letter(
        letter=letter,
        transport=transport,
        address=party.email if transport == Transport.EMAIL else "",
        now=now,
    )
    return letter


@transaction.atomic
def write_meeting_receipt(*, booking_id: int, now: dt.datetime) -> Letter | None:
    """Write the receipt of an active meeting: time, place or video, staff and the checklist.
    Once per booking (a task delivered twice writes one letter); None for a cancelled one."""
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booking.status != BookingStatus.ACTIVE:
        return None
    if letters_for_subject(subject=booking).filter(kind=LetterKind.MEETING_RECEIPT).exists():
        return None
    slot = booking.slot
    return _issue_meeting_letter(
        booking=booking,
        kind=LetterKind.MEETING_RECEIPT,
        context={
            "meeting_place": slot.place,
            "is_video": slot.mode == Mode.VIDEO,
            "staff_names": [
                member.get_full_name() or member.username
                for member in slot.staff.order_by("first_name", "last_name", "pk")
            ],
            "checklist": checklist_of(task_id=booking.task_id),
        },
        by=booking.booked_by,
        now=now,
    )


def _meeting_to_change(booking: Booking) -> Booking:
    """The meeting locked, refused unless it is an active pre-application meeting."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.slot.meeting_type != MeetingType.PRE_APPLICATION:
        raise _refuse(_("The booking is not a pre-application meeting."))
    if locked.status != BookingStatus.ACTIVE:
        raise _refuse(_("The meeting is cancelled."))
    return locked


@transaction.atomic
def register_material_arrival(
    *, booking: Booking, note: str, by: User, now: dt.datetime
) -> Booking:
    """Record that the applicant's material has arrived, and start the caseworker's call to
    confirm the case's real content (the confirmation call's deadline, in working days)."""
    meeting = _meeting_to_change(booking)
    if meeting.material_arrived_at is not None:
        raise _refuse(_("The material has already arrived."))
    meeting.material_arrived_at, meeting.material_note = now, note.strip()
    meeting.save(update_fields=["material_arrived_at", "material_note"])
    start_deadline(subject=meeting, kind=DeadlineKind.CONFIRMATION_CALL, by=by, now=now)
    return meeting


@transaction.atomic
def record_confirmation_call(*, booking: Booking, note: str, by: User, now: dt.datetime) -> Booking:
    """Record the call that confirmed the case's content (and what more to send, if anything);
    its deadline stops."""
    meeting = _meeting_to_change(booking)
    if meeting.material_arrived_at is None:
        raise _refuse(_("Register the material first; the call confirms it."))
    if meeting.confirmed_at is not None:
        raise _refuse(_("The confirmation call is already recorded."))
    if not note.strip(INVISIBLE):
        raise ValidationError({"note": _("Write what the call confirmed.")})
    meeting.confirmed_at, meeting.confirmation_note = now, note.strip()
    meeting.save(update_fields=["confirmed_at", "confirmation_note"])
    for deadline in deadlines_of(subject=meeting).filter(
        kind=DeadlineKind.CONFIRMATION_CALL, status__in=OPEN_STATUSES
    ):
        complete_deadline(deadline=deadline, by=by, now=now, stopped_by=StopEvent.CALLED_BACK)
    return meeting


@transaction.atomic
def record_meeting_summary(*, booking: Booking, summary: str, by: User, now: dt.datetime) -> Letter:
    """Store the meeting summary (møderesume): what the application must contain, one item a
    line; it goes to the applicant as a letter. Once the meeting has begun, and once only."""
    meeting = _meeting_to_change(booking)
    items = [line.strip() for line in summary.splitlines() if line.strip(INVISIBLE)]
    if not items:
        raise ValidationError(
            {"summary": _("Write what the application must contain, one item a line.")}
        )
    if meeting.slot.starts_at > now:
        raise _refuse(_("The summary is written once the meeting has begun."))
    if meeting.summary_at is not None:
        raise _refuse(_("The summary has already been sent."))
    meeting.summary, meeting.summary_at = "\n".join(items), now
    meeting.save(update_fields=["summary", "summary_at"])
    return _issue_meeting_letter(
        booking=meeting,
        kind=LetterKind.MEETING_SUMMARY,
        context={"summary_items": items},
        by=by,
        now=now,
    )


# --- Calendar files and reminders by e-mail --------------------------------------------------
# Sent by tasks (`bookings/tasks.py`) in the municipality's language. A task may run twice: a
# calendar file sent twice is the same change (same UID, SEQUENCE and DTSTAMP), which calendar
# programs apply once; a reminder is claimed in the database before it is sent.


def _when(booking: Booking) -> str:
    # "7. januar 2030 kl. 09:00"
    local = booking.slot.starts_at.astimezone(COPENHAGEN)
    return formats.date_format(local, "j. F Y \\k\\l. H:i")


def _message(booking: Booking, *, subject: str, lines: list[str], method: Method) -> EmailMessage:
    where = location_of(booking)
    body = [
        _("Dear %(name)s") % {"name": booking.party.name},
        "",
        *lines,
        "",
        _("What: %(what)s") % {"what": summary_of(booking)},
        _("When: %(when)s") % {"when": _when(booking)},
        *([_("Where: %(where)s") % {"where": where}] if where else []),
        "",
        _("The meeting is attached as a calendar file."),
    ]
    message = EmailMessage(subject=subject, body="\n".join(body), to=[booking.party.email])
    message.attach(attachment(booking, method=method))
    return message


def send_calendar_file(*, booking_id: int, method: Method) -> bool:
    """E-mail the party the booking's invitation or cancellation as a calendar file; False
    when the party has no e-mail address."""
    booking = booking_to_send(booking_id=booking_id)
    if not booking.party.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        if method == Method.CANCEL:
            subject = _("Cancelled: %(what)s") % {"what": summary_of(booking)}
            lines = [_("Your meeting has been cancelled.")]
        elif booking.replaces_id is not None:
            subject = _("Moved: %(what)s") % {"what": summary_of(booking)}
            lines = [_("Your meeting has been moved to a new time.")]
        else:
            subject = _("Booked: %(what)s") % {"what": summary_of(booking)}
            lines = [_("You have booked a meeting with us.")]
        _message(booking, subject=subject, lines=lines, method=method).send()
    return True


def send_due_reminders(*, now: dt.datetime) -> int:
    """Remind the parties of active bookings whose reminder time has come; return e-mails sent.

    One UPDATE claims the due reminders for this run (`reminder_batch`); on PostgreSQL a
    concurrent run's UPDATE waits for it and then finds them taken, so each is sent once. A
    cancelled booking (also one moved by a rebooking) is no longer active and never reminds;
    the new booking reminds at its own time. A meeting that has begun is not reminded of.
    A reminder the mail server refuses is released, so the next run tries it again.
    """
    batch = uuid.uuid4()
    claimed = Booking.objects.filter(
        status=BookingStatus.ACTIVE, reminded_at__isnull=True, remind_at__lte=now
    ).update(reminded_at=now, reminder_batch=batch)
    if not claimed:
        return 0
    due = Booking.objects.filter(
        reminder_batch=batch, slot__starts_at__gt=now, party__email__gt=""
    ).select_related(*SHOWN)
    sent = 0
    failed: list[int] = []
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for booking in due:
            message = _message(
                booking,
                subject=_("Reminder: %(what)s") % {"what": summary_of(booking)},
                lines=[_("We remind you of your meeting with us.")],
                method=Method.REQUEST,
            )
            try:
                connection.open()  # once; a no-op while the connection is open
                sent += connection.send_messages([message]) or 0
            except (OSError, smtplib.SMTPException):
                logger.warning("Reminder for booking %s not sent; retried next run", booking.pk)
                failed.append(booking.pk)
    connection.close()
    if failed:
        Booking.objects.filter(pk__in=failed).update(reminded_at=None, reminder_batch=None)
    return sent
