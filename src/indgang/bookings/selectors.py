"""Reads: which slots are free, which bookings a staff user may see (every read of a booking
is written to the access log here), and the pre-application meetings' checklists, days and
history."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access, log_reads
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
    return _logged(booking, user=user, purpose=purpose, via=via, now=now, detail=detail)


def _logged(
    booking: Booking, *, user: User, purpose: Purpose, via: Via, now: dt.datetime, detail: str
) -> Booking:
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


def read_meeting(
    *, scope: Scope, user: User, booking_id: int, via: Via, now: dt.datetime
) -> Booking:
    """The meeting as `get_meeting_for` gives it, its read written to the access log for the
    party (the meeting's page: purpose contact, as a booking's)."""
    booking = get_meeting_for(scope=scope, booking_id=booking_id)
    return _logged(booking, user=user, purpose=Purpose.CONTACT, via=via, now=now, detail="")


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
