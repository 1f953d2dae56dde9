"""The queue at a service centre (issue 22, item 3): draw a number or check in a booked
appointment, triage the visitor at the reception, call, serve and finish at a desk; every
finished visit becomes a contact in the register (channel personal) with its waiting and
handling time.

The database decides what two people do at once. Each centre, day and letter has a counter
row; drawing increments it in the drawing transaction, so the row lock hands out each number
once, and `visit_number_unique` guards the result. Calling takes a waiting visit with an UPDATE
that only matches while it still waits, so two desks calling at once never get the same
visitor. A booking is checked in once (`Visit.booking` is one-to-one).

A service centre is a unit with a desk in use. Staff holding a role in its department work
its queue; administrators work every centre's. The queue screens and the display show no
personal data: queue numbers, tasks, desks and times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from indgang.bookings.constants import (
    DISPLAY_CALLS,
    QUEUE_LETTERS,
    VISIT_TRANSITIONS,
    BookingStatus,
    MeetingType,
    VisitKind,
    VisitStatus,
)
from indgang.bookings.models import Booking, Desk, QueueCounter, QueueDisplay, Slot, Visit
from indgang.bookings.services import book_slot
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.errors import CONFLICT
from indgang.contacts.constants import DANISH_TIME, Outcome
from indgang.contacts.services import NewContact, register_contact
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen

# The outcomes a desk registers; forwarding is the reception's triage, not the desk's.
DESK_OUTCOMES = (Outcome.RESOLVED_AT_FIRST_CONTACT, Outcome.CASE_CREATED, Outcome.CALLBACK_PROMISED)
# Waiting visits a desk tries to take before it gives up: other desks take some meanwhile.
CALL_ATTEMPTS = 20


def local_day_and_hour(moment: dt.datetime) -> tuple[dt.date, int]:
    """The Danish day and hour of a moment: what a visit is counted by."""
    local = moment.astimezone(DANISH_TIME)
    return local.date(), local.hour


def _seconds(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, round((end - start).total_seconds()))


# Reads ---------------------------------------------------------------------------------------


def serves(*, scope: Scope, unit: Unit) -> bool:
    """Whether the scope works the centre's queue: a role in its department (front-line staff
    move between the department's centres), or an administrator's."""
    return scope.sees_all or any(
        department == unit.department_id for _role, department, _unit in scope.assignments
    )


def _centres() -> QuerySet[Unit]:
    return Unit.objects.filter(
        pk__in=Desk.objects.filter(is_active=True).values("unit_id")
    ).select_related("department")


def list_centres_for(*, scope: Scope) -> list[Unit]:
    """The service centres whose queue the scope works, by name."""
    return [unit for unit in _centres().order_by("name") if serves(scope=scope, unit=unit)]


def get_centre_for(*, scope: Scope, unit_id: int) -> Unit:
    """The centre if the scope works its queue; Unit.DoesNotExist otherwise."""
    unit = _centres().get(pk=unit_id)
    if not serves(scope=scope, unit=unit):
        raise Unit.DoesNotExist
    return unit


def list_desks(*, unit: Unit) -> list[Desk]:
    return list(Desk.objects.filter(unit=unit, is_active=True).order_by("name"))


def get_desk(*, unit: Unit, desk_id: int) -> Desk:
    """The centre's desk in use; Desk.DoesNotExist otherwise."""
    return Desk.objects.get(unit=unit, pk=desk_id, is_active=True)


def _visits() -> QuerySet[Visit]:
    return Visit.objects.select_related("desk", "task", "booking__slot")


def get_visit_for(*, scope: Scope, visit_id: int) -> Visit:
    """The visit if the scope works its centre's queue; Visit.DoesNotExist otherwise."""
    visit = _visits().select_related("unit").get(pk=visit_id)
    if not serves(scope=scope, unit=visit.unit):
        raise Visit.DoesNotExist
    return visit


def list_day(*, unit: Unit, day: dt.date) -> list[Visit]:
    """The centre's visits of the day in the order drawn."""
    return list(_visits().filter(unit=unit, day=day).order_by("drawn_at", "pk"))


def current_visit(*, desk: Desk, day: dt.date) -> Visit | None:
    """The visitor the desk has called or serves, if any."""
    return (
        _visits()
        .filter(unit_id=desk.unit_id, day=day, desk=desk)
        .filter(status__in=(VisitStatus.CALLED, VisitStatus.SERVING))
        .first()
    )


def list_appointments_to_check_in(*, unit: Unit, now: dt.datetime) -> list[Booking]:
    """Today's active desk appointments at the centre not yet checked in, earliest first."""
    day, _hour = local_day_and_hour(now)
    starts = dt.datetime.combine(day, dt.time(0), tzinfo=DANISH_TIME)
    return list(
        Booking.objects.filter(
            slot__unit=unit,
            slot__meeting_type=MeetingType.DESK,
            slot__starts_at__gte=starts,
            slot__starts_at__lt=starts + dt.timedelta(days=1),
            status=BookingStatus.ACTIVE,
            visit__isnull=True,
        )
        .select_related("slot", "slot__task")
        .order_by("slot__starts_at", "pk")
    )


@dataclass(frozen=True)
class Call:
    """A number on the display: where to go, and whether it is the desk's current call."""

    label: str
    desk: str
    current: bool


@dataclass(frozen=True)
class DisplayBoard:
    calls: list[Call]
    waiting: int


def display_board(*, unit: Unit, now: dt.datetime) -> DisplayBoard:
    """The numbers called today, newest first, and how many wait: nothing about who."""
    day, _hour = local_day_and_hour(now)
    today = Visit.objects.filter(unit=unit, day=day)
    called = (
        today.filter(called_at__isnull=False)
        .select_related("desk")
        .only("letter", "number", "status", "desk__name")
        .order_by("-called_at", "-pk")[:DISPLAY_CALLS]
    )
    return DisplayBoard(
        calls=[
            Call(
                label=visit.label,
                desk=visit.desk.name if visit.desk else "",
                current=visit.status in (VisitStatus.CALLED, VisitStatus.SERVING),
            )
            for visit in called
        ],
        waiting=today.filter(status=VisitStatus.WAITING).count(),
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_display_centre(*, token: str) -> Unit:
    """The centre whose display this secret opens; Unit.DoesNotExist otherwise."""
    try:
        display = QueueDisplay.objects.select_related("unit").get(token_digest=_digest(token))
    except QueueDisplay.DoesNotExist:
        raise Unit.DoesNotExist from None
    return display.unit


@dataclass(frozen=True)
class VisitTimes:
    """One centre's finished visits in one hour of the day over a period."""

    unit_id: int
    unit_name: str
    hour: int
    visits: int
    mean_waiting_seconds: int
    longest_waiting_seconds: int
    mean_handling_seconds: int


def visit_times(
    *, department_ids: Iterable[int] | None, first: dt.date, last: dt.date
) -> list[VisitTimes]:
    """Waiting and handling time per centre and hour of the day drawn, over the finished
    visits of the days from first to last (`visit_unit_day` finds them); None = every
    department's centres."""
    visits = Visit.objects.filter(day__gte=first, day__lte=last, status=VisitStatus.DONE)
    if department_ids is not None:
        visits = visits.filter(unit__department_id__in=list(department_ids))
    rows = (
        visits.values("unit_id", "unit__name", "hour")
        .annotate(
            visits=Count("pk"),
            waiting=Avg("waiting_seconds"),
            longest=Max("waiting_seconds"),
            handling=Avg("handling_seconds"),
        )
        .order_by("unit__name", "unit_id", "hour")
    )
    return [
        VisitTimes(
            unit_id=row["unit_id"],
            unit_name=row["unit__name"],
            hour=row["hour"],
            visits=row["visits"],
            mean_waiting_seconds=round(row["waiting"] or 0),
            longest_waiting_seconds=row["longest"] or 0,
            mean_handling_seconds=round(row["handling"] or 0),
        )
        for row in rows
    ]


# Writes --------------------------------------------------------------------------------------


def _next_number(*, unit: Unit, day: dt.date, letter: str) -> int:
    counter = QueueCounter.objects.filter(unit=unit, day=day, letter=letter)
    # The first draw of the day creates the row; a concurrent first draw finds it instead.
    QueueCounter.objects.get_or_create(unit=unit, day=day, letter=letter)
    # The UPDATE locks the row until this transaction ends: the next drawer waits here.
    counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


def _draw(
    *,
    unit: Unit,
    kind: VisitKind,
    drawn_by: User,
    now: dt.datetime,
    booking: Booking | None = None,
    party: Party | None = None,
    task: Task | None = None,
) -> Visit:
    day, hour = local_day_and_hour(now)
    letter = QUEUE_LETTERS[kind]
    return Visit.objects.create(
        unit=unit,
        day=day,
        hour=hour,
        kind=kind,
        letter=letter,
        number=_next_number(unit=unit, day=day, letter=letter),
        drawn_at=now,
        drawn_by=drawn_by,
        booking=booking,
        party=party,
        task=task,
    )


@transaction.atomic
def draw_number(*, unit: Unit, drawn_by: User, now: dt.datetime) -> Visit:
    """Give a walk-in the centre's next number of the day (A001, A002, ...)."""
    return _draw(unit=unit, kind=VisitKind.WALK_IN, drawn_by=drawn_by, now=now)


@transaction.atomic
def check_in(*, booking: Booking, unit: Unit, checked_in_by: User, now: dt.datetime) -> Visit:
    """Put a booked desk appointment that has arrived in the centre's queue (B001, ...)."""
    slot = booking.slot
    if slot.unit_id != unit.pk or slot.meeting_type != MeetingType.DESK:
        raise ValidationError(_("The booking is not a desk appointment at this centre."))
    if booking.status != BookingStatus.ACTIVE:
        raise ValidationError(_("The booking is cancelled."), code=CONFLICT)
    if local_day_and_hour(slot.starts_at)[0] != local_day_and_hour(now)[0]:
        raise ValidationError(
            _("The appointment is on %(day)s, not today.")
            % {"day": f"{slot.starts_at.astimezone(DANISH_TIME):%d.%m.%Y}"}
        )
    try:
        # A savepoint: the second check-in of a booking breaks the one-to-one, not the caller.
        with transaction.atomic():
            return _draw(
                unit=unit,
                kind=VisitKind.APPOINTMENT,
                drawn_by=checked_in_by,
                now=now,
                booking=booking,
                party=booking.party,
                task=slot.task,
            )
    except IntegrityError as error:
        raise ValidationError(_("The appointment is already checked in."), code=CONFLICT) from error


def _state_refusal(visit: Visit) -> ValidationError:
    return ValidationError(
        _("Number %(number)s has the status “%(state)s”.")
        % {"number": visit.label, "state": visit.get_status_display()},
        code=CONFLICT,
    )


def _locked(visit: Visit, *, to: VisitStatus | None) -> Visit:
    """The visit locked for this transaction, if it may move to `to` (None: if it still waits,
    to be triaged); a ValidationError that names its state otherwise."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if to is None:
        allowed = locked.status == VisitStatus.WAITING
    else:
        allowed = to in VISIT_TRANSITIONS[locked.status]
    if not allowed:
        raise _state_refusal(locked)
    return locked


def _active_task(task: Task | None) -> Task | None:
    if task is not None and not task.is_active:
        raise ValidationError(
            {"task": _("The task %(task)s is no longer in use.") % {"task": task}}
        )
    return task


def _citizen(cpr: str) -> Party:
    try:
        return get_or_create_citizen(cpr=clean_cpr(cpr))
    except InvalidIdentifierError as error:
        raise ValidationError({"cpr": str(error)}) from error


@transaction.atomic
def triage_visit(*, visit: Visit, task: Task | None, desk: Desk | None, cpr: str = "") -> Visit:
    """Visitation at the reception: the task the visitor came for, the desk to see (none: the
    next free desk) and, if given, who they are."""
    locked = _locked(visit, to=None)
    if desk is not None and desk.unit_id != locked.unit_id:
        raise ValidationError({"desk": _("The desk is at another centre.")})
    locked.task = _active_task(task)
    locked.desk = desk
    if cpr:
        locked.party = _citizen(cpr)
    locked.save(update_fields=["task", "desk", "party"])
    return locked


def _record_contact(
    visit: Visit,
    *,
    waiting_seconds: int,
    handling_seconds: int,
    summary: str,
    outcome: Outcome | None,
    by: User,
    registrar: Scope,
    now: dt.datetime,
) -> None:
    """Store the waiting and handling time on the finished visit and register it as a contact
    with them."""
    visit.waiting_seconds, visit.handling_seconds = waiting_seconds, handling_seconds
    visit.contact = register_contact(
        new=NewContact(
            channel=Channel.PERSONAL,
            received_at=visit.drawn_at,
            summary=summary,
            party=visit.party,
            task=visit.task,
            unit=visit.unit,
            outcome=outcome,
            duration_seconds=handling_seconds,
            waiting_seconds=waiting_seconds,
        ),
        registered_by=by,
        registrar=registrar,
        now=now,
    )


@transaction.atomic
def refer_to_time(
    *,
    visit: Visit,
    slot: Slot,
    summary: str,
    cpr: str = "",
    referred_by: User,
    registrar: Scope,
    now: dt.datetime,
) -> Visit:
    """Visitation to a booked time instead of the queue: book the slot for the visitor, end the
    visit and register it as a contact (waited until now, handled at the reception)."""
    locked = _locked(visit, to=VisitStatus.REFERRED)
    if cpr:
        locked.party = _citizen(cpr)
    if locked.party is None:
        raise ValidationError({"cpr": _("Give the visitor's CPR number to book a time.")})
    locked.referred_to = book_slot(slot=slot, party=locked.party, booked_by=referred_by, now=now)
    locked.status = VisitStatus.REFERRED
    locked.called_at = locked.finished_at = now
    locked.handled_by = referred_by
    _record_contact(
        locked,
        waiting_seconds=_seconds(locked.drawn_at, now),
        handling_seconds=0,
        summary=summary,
        outcome=None,
        by=referred_by,
        registrar=registrar,
        now=now,
    )
    locked.save()
    return locked


def _require_free(desk: Desk, day: dt.date) -> None:
    if (busy := current_visit(desk=desk, day=day)) is not None:
        raise ValidationError(
            _("Finish number %(number)s at %(desk)s first.") % {"number": busy.label, "desk": desk},
            code=CONFLICT,
        )


def _take(*, visit_id: int, desk: Desk, called_by: User, now: dt.datetime) -> Visit | None:
    """Call the visit to the desk if it still waits (a single UPDATE decides); None if another
    desk took it first."""
    taken = Visit.objects.filter(pk=visit_id, status=VisitStatus.WAITING).update(
        status=VisitStatus.CALLED, desk=desk, called_at=now, handled_by=called_by
    )
    if not taken:
        return None
    visit = _visits().get(pk=visit_id)
    visit.waiting_seconds = _seconds(visit.drawn_at, now)
    visit.save(update_fields=["waiting_seconds"])
    return visit


@transaction.atomic
def call_next(*, desk: Desk, called_by: User, now: dt.datetime) -> Visit:
    """Call the next visitor to the desk: booked appointments whose time has come first, then
    in the order drawn; a visitor triaged to another desk waits for that desk."""
    day, _hour = local_day_and_hour(now)
    _require_free(desk, day)
    due = Case(
        When(booking__slot__starts_at__lte=now, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    waiting = (
        Visit.objects.filter(unit_id=desk.unit_id, day=day, status=VisitStatus.WAITING)
        .filter(Q(desk__isnull=True) | Q(desk=desk))
        .order_by(due, "drawn_at", "pk")
        .values_list("pk", flat=True)
    )
    for visit_id in waiting[:CALL_ATTEMPTS]:
        if (visit := _take(visit_id=visit_id, desk=desk, called_by=called_by, now=now)) is not None:
            return visit
    raise ValidationError(_("No one is waiting for %(desk)s.") % {"desk": desk}, code=CONFLICT)


@transaction.atomic
def call_visit(*, visit: Visit, desk: Desk, called_by: User, now: dt.datetime) -> Visit:
    """Call this waiting visitor to the desk (out of turn, or again after a mistake)."""
    if desk.unit_id != visit.unit_id:
        raise ValidationError({"desk": _("The desk is at another centre.")})
    _require_free(desk, visit.day)
    taken = _take(visit_id=visit.pk, desk=desk, called_by=called_by, now=now)
    if taken is None:
        raise _state_refusal(Visit.objects.get(pk=visit.pk))
    return taken


@transaction.atomic
def start_visit(*, visit: Visit, started_by: User, now: dt.datetime) -> Visit:
    """The called visitor has come to the desk: handling starts."""
    locked = _locked(visit, to=VisitStatus.SERVING)
    locked.status = VisitStatus.SERVING
    locked.started_at = now
    locked.handled_by = started_by
    locked.save(update_fields=["status", "started_at", "handled_by"])
    return locked


@transaction.atomic
def finish_visit(
    *,
    visit: Visit,
    summary: str,
    outcome: Outcome,
    task: Task | None = None,
    cpr: str = "",
    finished_by: User,
    registrar: Scope,
    now: dt.datetime,
) -> Visit:
    """End the visit at the desk and register it as a contact (channel personal) with its
    waiting time (drawn to called) and handling time (started, or called, to finished)."""
    locked = _locked(visit, to=VisitStatus.DONE)
    if outcome not in DESK_OUTCOMES:
        raise ValidationError({"outcome": _("Choose what came of the visit.")})
    if task is not None:
        locked.task = _active_task(task)
    if cpr:
        locked.party = _citizen(cpr)
    # A called or serving visit has its call time; it waited from drawing to it.
    called_at = locked.called_at or now
    locked.status = VisitStatus.DONE
    locked.finished_at = now
    locked.handled_by = finished_by
    _record_contact(
        locked,
        waiting_seconds=_seconds(locked.drawn_at, called_at),
        handling_seconds=_seconds(locked.started_at or called_at, now),
        summary=summary,
        outcome=outcome,
        by=finished_by,
        registrar=registrar,
        now=now,
    )
    locked.save()
    return locked


@transaction.atomic
def mark_no_show(*, visit: Visit, by: User, now: dt.datetime) -> Visit:
    """The called visitor did not come: the visit ends without a contact."""
    locked = _locked(visit, to=VisitStatus.NO_SHOW)
    locked.status = VisitStatus.NO_SHOW
    locked.finished_at = now
    locked.handled_by = by
    locked.save(update_fields=["status", "finished_at", "handled_by"])
    return locked


@transaction.atomic
def issue_display_token(*, unit: Unit, issued_by: User, now: dt.datetime) -> str:
    """A new secret address for the centre's display; the old one stops working. The secret is
    returned once and only its digest kept."""
    token = secrets.token_urlsafe(24)
    QueueDisplay.objects.update_or_create(
        unit=unit,
        defaults={"token_digest": _digest(token), "issued_at": now, "issued_by": issued_by},
    )
    return token


def may_issue_display(*, scope: Scope, unit: Unit) -> bool:
    """Managers of the centre and administrators set up its display."""
    return scope.sees_all or scope.manages(department_id=unit.department_id, unit_id=unit.pk)
