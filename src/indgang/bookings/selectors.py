"""Reads: which slots are free, which bookings a staff user may see, and the pre-application
meetings' checklists, days and history."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet

from indgang.bookings.constants import BookingStatus, MeetingType
from indgang.bookings.models import Booking, MeetingChecklistItem, Slot, StaffAbsence
from indgang.common.workdays import COPENHAGEN, day_range
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import deadlines_of
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


# --- Pre-application meetings (forhåndsdialog) ----------------------------------------------


def checklist_of(*, task_id: int | None) -> list[str]:
    """The material to send before a meeting about the task, in the administrators' order."""
    if task_id is None:
        return []
    return list(
        MeetingChecklistItem.objects.filter(task_id=task_id, active=True).values_list(
            "text", flat=True
        )
    )


def visible_meetings(*, scope: Scope) -> QuerySet[Booking]:
    """The pre-application meetings the scope sees (visible_bookings' rule)."""
    return visible_bookings(scope=scope).filter(slot__meeting_type=MeetingType.PRE_APPLICATION)


def get_meeting_for(*, scope: Scope, booking_id: int) -> Booking:
    """The meeting with its slot, unit, staff, party and task if the scope may see it;
    Booking.DoesNotExist otherwise."""
    return (
        visible_meetings(scope=scope)
        .select_related("party", "task", "slot__unit__department")
        .prefetch_related("slot__staff")
        .get(pk=booking_id)
    )


def list_meetings_on(
    *, scope: Scope, day: dt.date, user: User | None = None, unit_id: int | None = None
) -> QuerySet[Booking]:
    """The day's active meetings (local day), earliest first: those `user` takes part in, or
    the unit's."""
    starts_from, starts_before = day_range(day, day, zone=COPENHAGEN)
    meetings = visible_meetings(scope=scope).filter(
        status=BookingStatus.ACTIVE,
        slot__starts_at__gte=starts_from,
        slot__starts_at__lt=starts_before,
    )
    if user is not None:
        meetings = meetings.filter(slot__staff=user)
    if unit_id is not None:
        meetings = meetings.filter(slot__unit_id=unit_id)
    return (
        meetings.select_related("party", "task")
        .prefetch_related("slot__staff")
        .order_by("slot__starts_at", "pk")
    )


def history_of(*, booking: Booking) -> list[Booking]:
    """Every booking in the booking's chain of rebookings, the first first (a few queries: a
    meeting is moved a handful of times at most)."""
    first = booking
    while first.replaces_id is not None:
        first = Booking.objects.select_related("slot").get(pk=first.replaces_id)
    chain = [first]
    while following := Booking.objects.filter(replaces=chain[-1]).select_related("slot").first():
        chain.append(following)
    return chain


def confirmation_call_of(*, booking: Booking) -> Deadline | None:
    """The meeting's latest confirmation call deadline (the caller has authorised the booking)."""
    return (
        deadlines_of(subject=booking)
        .filter(kind=DeadlineKind.CONFIRMATION_CALL)
        .order_by("-started_at", "-pk")
        .first()
    )
