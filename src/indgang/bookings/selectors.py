"""Reads: which slots are free, and which bookings a staff user may see (every read of a
booking is written to the access log here)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access, log_reads
from indgang.bookings.constants import BookingStatus, MeetingType
from indgang.bookings.models import Booking, Slot, StaffAbsence
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope


def _blocked() -> Exists:
    """Whether someone taking part in the slot is absent during any of it."""
    return Exists(
        StaffAbsence.objects.filter(
            user__booking_slots=OuterRef("pk"),
            starts_at__lt=OuterRef("ends_at"),
            ends_at__gt=OuterRef("starts_at"),
        )
    )


def _held() -> Exists:
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), status=BookingStatus.ACTIVE))


def visible_slots(*, scope: Scope) -> QuerySet[Slot]:
    """Every unit's slots for every staff user: the front line books meetings for every
    department."""
    return Slot.objects.all() if scope.is_staff else Slot.objects.none()


def get_slot_for(*, scope: Scope, slot_id: int) -> Slot:
    """The slot if the scope may book it (taken or not); Slot.DoesNotExist otherwise."""
    return visible_slots(scope=scope).get(pk=slot_id)


def bookable_slots(*, scope: Scope) -> QuerySet[Slot]:
    """The slots the scope may see that no one holds and whose staff are present."""
    return visible_slots(scope=scope).exclude(_held()).exclude(_blocked())


def list_free_slots(
    *,
    scope: Scope,
    unit_id: int,
    starts_from: dt.datetime,
    starts_before: dt.datetime,
    meeting_type: MeetingType | None = None,
) -> list[Slot]:
    """The unit's free slots starting in [starts_from, starts_before), earliest first, with
    their staff ids; raises Unit.DoesNotExist for no such unit. Three statements however
    long the period."""
    unit = Unit.objects.get(pk=unit_id)
    slots = bookable_slots(scope=scope).filter(
        unit=unit, starts_at__gte=starts_from, starts_at__lt=starts_before
    )
    if meeting_type is not None:
        slots = slots.filter(meeting_type=meeting_type)
    return with_staff_ids(list(slots.order_by("starts_at", "pk")))


def with_staff_ids(slots: list[Slot]) -> list[Slot]:
    """The slots, each with `staff_ids` set from one query over the slots' staff."""
    staff: dict[int, list[int]] = {slot.pk: [] for slot in slots}
    if staff:
        rows = Slot.staff.through.objects.filter(slot_id__in=staff).order_by("slot_id", "user_id")
        for slot_id, user_id in rows.values_list("slot_id", "user_id"):
            staff[slot_id].append(user_id)
    for slot in slots:
        slot.staff_ids = staff[slot.pk]
    return slots


def is_blocked(*, slot: Slot) -> bool:
    return Slot.objects.filter(pk=slot.pk).filter(_blocked()).exists()


# What a booking shows, its calendar file included.
SHOWN = ("slot__unit__department__municipality", "slot__task", "party")


def visible_bookings(*, scope: Scope, user: User | None = None) -> QuerySet[Booking]:
    """Bookings with a unit of a department the scope sees at all (the front line, which
    routes, sees every department's, to book and cancel for a caller), and those the user
    booked (None: no user, as for a background task)."""
    bookings = Booking.objects.select_related(*SHOWN)
    if scope.sees_all or scope.routing_overview:
        return bookings
    seen = Q(slot__unit__department_id__in=scope.department_ids)
    if user is not None:
        seen |= Q(booked_by=user)
    return bookings.filter(seen)


def get_booking_for(*, scope: Scope, booking_id: int, user: User | None = None) -> Booking:
    """The booking if the scope (or the user, who booked it) may see it; Booking.DoesNotExist
    otherwise."""
    return visible_bookings(scope=scope, user=user).get(pk=booking_id)


def read_booking(
    *,
    scope: Scope,
    user: User,
    booking_id: int,
    purpose: Purpose,
    via: Via,
    now: dt.datetime,
    detail: str = "",
) -> Booking:
    """The booking as `get_booking_for` gives it, its read written to the access log for the
    party, on the booking as subject."""
    booking = get_booking_for(scope=scope, user=user, booking_id=booking_id)
    log_access(
        user=user,
        party_id=booking.party_id,
        action=AccessAction.VIEWED_BOOKING,
        purpose=purpose,
        via=via,
        at=now,
        detail=detail,
        subject=booking,
    )
    return booking


def log_bookings_listed(
    *, user: User, bookings: list[Booking], purpose: Purpose, via: Via, now: dt.datetime
) -> None:
    """One access-log row per party on a page of bookings from `visible_bookings` (one
    statement)."""
    log_reads(
        user=user,
        party_ids=(booking.party_id for booking in bookings),
        action=AccessAction.LISTED_BOOKINGS,
        purpose=purpose,
        via=via,
        at=now,
    )


def booking_to_send(*, booking_id: int) -> Booking:
    """A booking with all its calendar file shows, for the background task that mails it."""
    return Booking.objects.select_related(*SHOWN).get(pk=booking_id)


def is_withdrawn(*, booking: Booking) -> bool:
    """Whether the booking's calendar event is cancelled: cancelled, and not moved by a
    rebooking (whose new booking carries the event on)."""
    return (
        booking.status == BookingStatus.CANCELLED
        and not Booking.objects.filter(replaces_id=booking.pk).exists()
    )
