"""Writes: publishing slots, booking, cancelling and rebooking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.bookings.constants import BookingStatus, MeetingType, Mode
from indgang.bookings.models import Booking, Slot
from indgang.bookings.selectors import is_blocked
from indgang.catalogue.models import Task
from indgang.common.errors import CONFLICT
from indgang.common.workdays import working_days_in
from indgang.deadlines.selectors import calendar_for
from indgang.organisation.models import Unit
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party
from indgang.parties.selectors import get_party
from indgang.parties.services import get_or_create_citizen, get_or_create_company

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
    *, slot: Slot, party: Party, booked_by: User, now: dt.datetime, replaces: Booking | None = None
) -> Booking:
    """Book the slot for the party (`replaces`: the booking this one moves).

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
            return Booking.objects.create(
                slot=slot, party=party, booked_at=now, booked_by=booked_by, replaces=replaces
            )
    except IntegrityError as error:
        # The slot, party and user exist: the only constraint this insert can break is the
        # one active booking per slot.
        raise ValidationError(TAKEN, code=CONFLICT) from error


@transaction.atomic
def cancel_booking(*, booking: Booking, cancelled_by: User, now: dt.datetime) -> Booking:
    """Cancel the booking and free its slot; the booking stays as history."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status != BookingStatus.ACTIVE:
        raise ValidationError(_("The booking is already cancelled."), code=CONFLICT)
    locked.status = BookingStatus.CANCELLED
    locked.cancelled_at = now
    locked.cancelled_by = cancelled_by
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    return locked


@transaction.atomic
def rebook(*, booking: Booking, slot: Slot, rebooked_by: User, now: dt.datetime) -> Booking:
    """Move the booking to another slot: both or neither (a taken slot keeps the old one)."""
    cancelled = cancel_booking(booking=booking, cancelled_by=rebooked_by, now=now)
    return book_slot(
        slot=slot, party=cancelled.party, booked_by=rebooked_by, now=now, replaces=cancelled
    )
