"""Reads: which slots are free, and which bookings a staff user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

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
) -> QuerySet[Slot]:
    """The unit's free slots starting in [starts_from, starts_before); raises
    Unit.DoesNotExist for no such unit."""
    unit = Unit.objects.get(pk=unit_id)
    slots = bookable_slots(scope=scope).filter(
        unit=unit, starts_at__gte=starts_from, starts_at__lt=starts_before
    )
    if meeting_type is not None:
        slots = slots.filter(meeting_type=meeting_type)
    return slots.prefetch_related("staff").order_by("starts_at", "pk")


def is_blocked(*, slot: Slot) -> bool:
    return Slot.objects.filter(pk=slot.pk).filter(_blocked()).exists()


def visible_bookings(*, scope: Scope) -> QuerySet[Booking]:
    """Bookings with a unit of a department the scope sees at all (the front line, which
    routes, sees every department's, to book and cancel for a caller)."""
    bookings = Booking.objects.select_related("slot", "slot__unit")
    if scope.sees_all or scope.routing_overview:
        return bookings
    return bookings.filter(slot__unit__department_id__in=scope.department_ids)


def get_booking_for(*, scope: Scope, booking_id: int) -> Booking:
    """The booking if the scope may see it; Booking.DoesNotExist otherwise."""
    return visible_bookings(scope=scope).get(pk=booking_id)
