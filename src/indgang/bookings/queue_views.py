"""The queue's screens: the reception (draw, check in, today's queue, visitation), a desk
(call, start, finish, no-show) and the centre's display, which needs no login (see
docs/architecture.md, *Queue*)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from indgang.bookings import queue
from indgang.bookings.constants import MeetingType, VisitStatus
from indgang.bookings.models import Booking, Desk, Slot, Visit
from indgang.bookings.queue_forms import FinishForm, ReferForm, TriageForm
from indgang.bookings.selectors import get_booking_for, list_free_slots
from indgang.contacts.constants import Outcome
from indgang.organisation.decorators import staff_view
from indgang.organisation.models import Unit
from indgang.organisation.requests import acting_user, request_scope

# Seconds between two reads of the queue by a desk and by the display.
DESK_POLL_SECONDS = 5
DISPLAY_POLL_SECONDS = 3
# The times the reception offers a visitor instead of waiting.
REFER_DAYS = 14
REFER_SLOTS = 20


def _centre(request: HttpRequest, unit_id: int) -> Unit:
    try:
        return queue.get_centre_for(scope=request_scope(request), unit_id=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None


def _visit(request: HttpRequest, visit_id: int) -> Visit:
    try:
        return queue.get_visit_for(scope=request_scope(request), visit_id=visit_id)
    except Visit.DoesNotExist:
        raise Http404 from None


def _desk(unit: Unit, desk_id: int) -> Desk:
    try:
        return queue.get_desk(unit=unit, desk_id=desk_id)
    except Desk.DoesNotExist:
        raise Http404 from None


def _today() -> dt.date:
    return queue.local_day_and_hour(timezone.now())[0]


def _act(request: HttpRequest, action: Callable[[], Visit], done: str) -> Visit | None:
    """Run a queue action; its refusal, or `done` with the number, as the next page's message."""
    try:
        visit = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    messages.success(request, done % {"number": visit.label})
    return visit


@staff_view
def centres(request: HttpRequest) -> HttpResponse:
    """The centres whose queue the user works: their reception and desks."""
    found = queue.list_centres_for(scope=request_scope(request))
    return render(
        request,
        "bookings/queue/centres.html",
        {"centres": [(unit, queue.list_desks(unit=unit)) for unit in found]},
    )


@staff_view
def reception(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _centre(request, unit_id)
    scope = request_scope(request)
    return render(
        request,
        "bookings/queue/reception.html",
        {
            "unit": unit,
            "visits": queue.list_day(unit=unit, day=_today()),
            "appointments": queue.list_appointments_to_check_in(unit=unit, now=timezone.now()),
            "may_issue_display": queue.may_issue_display(scope=scope, unit=unit),
            "poll_seconds": DESK_POLL_SECONDS,
        },
    )


@staff_view
def todays_queue(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Today's queue as a fragment, which the reception reloads every few seconds."""
    unit = _centre(request, unit_id)
    return render(
        request,
        "bookings/queue/_todays_queue.html",
        {"unit": unit, "visits": queue.list_day(unit=unit, day=_today())},
    )


@require_POST
@staff_view
def draw(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _centre(request, unit_id)
    _act(
        request,
        lambda: queue.draw_number(unit=unit, drawn_by=acting_user(request), now=timezone.now()),
        _("Number %(number)s is drawn."),
    )
    return redirect("queue-reception", unit_id=unit.pk)


@require_POST
@staff_view
def check_in(request: HttpRequest, unit_id: int, booking_id: int) -> HttpResponse:
    unit = _centre(request, unit_id)
    try:
        booking = get_booking_for(scope=request_scope(request), booking_id=booking_id)
    except Booking.DoesNotExist:
        raise Http404 from None
    _act(
        request,
        lambda: queue.check_in(
            booking=booking,
            unit=unit,
            checked_in_by=acting_user(request),
            now=timezone.now(),
        ),
        _("The appointment is checked in as number %(number)s."),
    )
    return redirect("queue-reception", unit_id=unit.pk)


def _referable_slots(request: HttpRequest, unit: Unit) -> list[Slot]:
    now = timezone.now()
    return list(
        list_free_slots(
            scope=request_scope(request),
            unit_id=unit.pk,
            starts_from=now,
            starts_before=now + dt.timedelta(days=REFER_DAYS),
            meeting_type=MeetingType.DESK,
        )[:REFER_SLOTS]
    )


@staff_view
def visit_page(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Visitation of one visitor: the task and desk, or a booked time instead."""
    visit = _visit(request, visit_id)
    desks = queue.list_desks(unit=visit.unit)
    slots = _referable_slots(request, visit.unit)
    triage_form = TriageForm(desks=desks, initial={"task": visit.task_id, "desk": visit.desk_id})
    refer_form = ReferForm(slots=slots)
    if request.method == "POST":
        if "refer" in request.POST:
            refer_form = ReferForm(request.POST, slots=slots)
            if refer_form.is_valid() and _act(
                request,
                lambda: queue.refer_to_time(
                    visit=visit,
                    slot=refer_form.cleaned_data["slot"],
                    summary=refer_form.cleaned_data["summary"],
                    cpr=refer_form.cleaned_data["cpr"],
                    referred_by=acting_user(request),
                    registrar=request_scope(request),
                    now=timezone.now(),
                ),
                _("Number %(number)s has a booked time; the visit is registered."),
            ):
                return redirect("queue-reception", unit_id=visit.unit_id)
        else:
            triage_form = TriageForm(request.POST, desks=desks)
            if triage_form.is_valid() and _act(
                request,
                lambda: queue.triage_visit(
                    visit=visit,
                    task=triage_form.cleaned_data["task"],
                    desk=triage_form.cleaned_data["desk"],
                    cpr=triage_form.cleaned_data["cpr"],
                ),
                _("Number %(number)s is triaged."),
            ):
                return redirect("queue-reception", unit_id=visit.unit_id)
    return render(
        request,
        "bookings/queue/visit.html",
        {
            "visit": visit,
            "triage_form": triage_form,
            "refer_form": refer_form,
            "may_triage": visit.status == VisitStatus.WAITING,
        },
    )


@staff_view
def desk_page(request: HttpRequest, unit_id: int, desk_id: int) -> HttpResponse:
    unit = _centre(request, unit_id)
    desk = _desk(unit, desk_id)
    current = queue.current_visit(desk=desk, day=_today())
    form = FinishForm(initial={"task": current.task_id if current else None})
    if request.method == "POST" and current is not None:
        form = FinishForm(request.POST)
        if form.is_valid() and _act(
            request,
            lambda: queue.finish_visit(
                visit=current,
                summary=form.cleaned_data["summary"],
                outcome=Outcome(form.cleaned_data["outcome"]),
                task=form.cleaned_data["task"],
                cpr=form.cleaned_data["cpr"],
                finished_by=acting_user(request),
                registrar=request_scope(request),
                now=timezone.now(),
            ),
            _("Number %(number)s is finished and registered as a contact."),
        ):
            return redirect("queue-desk", unit_id=unit.pk, desk_id=desk.pk)
    return render(
        request,
        "bookings/queue/desk.html",
        {
            "unit": unit,
            "desk": desk,
            "current": current,
            "form": form,
            "waiting": _waiting(unit, desk),
            "poll_seconds": DESK_POLL_SECONDS,
        },
    )


def _waiting(unit: Unit, desk: Desk) -> list[Visit]:
    """Today's waiting visitors this desk may call (those not triaged to another desk)."""
    return [
        visit
        for visit in queue.list_day(unit=unit, day=_today())
        if visit.status == VisitStatus.WAITING and visit.desk_id in (None, desk.pk)
    ]


@staff_view
def desk_waiting(request: HttpRequest, unit_id: int, desk_id: int) -> HttpResponse:
    """The desk's waiting list as a fragment, reloaded every few seconds."""
    unit = _centre(request, unit_id)
    desk = _desk(unit, desk_id)
    return render(
        request,
        "bookings/queue/_desk_waiting.html",
        {"unit": unit, "desk": desk, "waiting": _waiting(unit, desk)},
    )


@require_POST
@staff_view
def desk_action(request: HttpRequest, unit_id: int, desk_id: int) -> HttpResponse:
    """The desk's buttons: call the next visitor or one of them, start, no-show."""
    unit = _centre(request, unit_id)
    desk = _desk(unit, desk_id)
    user, now = acting_user(request), timezone.now()
    action = request.POST.get("action", "")
    if action == "call-next":
        _act(
            request,
            lambda: queue.call_next(desk=desk, called_by=user, now=now),
            _("Number %(number)s is called."),
        )
    elif action in ("call", "start", "no-show"):
        visit = _visit(request, _posted_id(request))
        if visit.unit_id != unit.pk:
            raise Http404
        steps: dict[str, tuple[Callable[[], Visit], str]] = {
            "call": (
                lambda: queue.call_visit(visit=visit, desk=desk, called_by=user, now=now),
                _("Number %(number)s is called."),
            ),
            "start": (
                lambda: queue.start_visit(visit=visit, started_by=user, now=now),
                _("Number %(number)s is being served."),
            ),
            "no-show": (
                lambda: queue.mark_no_show(visit=visit, by=user, now=now),
                _("Number %(number)s did not show up."),
            ),
        }
        _act(request, *steps[action])
    else:
        messages.error(request, _("Choose an action."))
    return redirect("queue-desk", unit_id=unit.pk, desk_id=desk.pk)


def _posted_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("visit", ""))
    except ValueError:
        raise Http404 from None


@require_POST
@staff_view
def issue_display(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A new address for the centre's display, shown once; the old one stops working."""
    unit = _centre(request, unit_id)
    if not queue.may_issue_display(scope=request_scope(request), unit=unit):
        raise Http404
    token = queue.issue_display_token(unit=unit, issued_by=acting_user(request), now=timezone.now())
    return render(
        request,
        "bookings/queue/display_issued.html",
        {"unit": unit, "url": request.build_absolute_uri(reverse("queue-display", args=[token]))},
    )


def _board_version(board: queue.DisplayBoard) -> str:
    return hashlib.sha256(repr(board).encode()).hexdigest()[:16]


def _display_centre(token: str) -> Unit:
    try:
        return queue.get_display_centre(token=token)
    except Unit.DoesNotExist:
        raise Http404 from None


@never_cache
def display(request: HttpRequest, token: str) -> HttpResponse:
    """The centre's display screen: the numbers called and their desks, no names. Opened by
    its secret address, without a login (see docs/architecture.md)."""
    unit = _display_centre(token)
    board = queue.display_board(unit=unit, now=timezone.now())
    return render(
        request,
        "bookings/queue/display.html",
        {
            "unit": unit,
            "board": board,
            "token": token,
            "version": _board_version(board),
            "poll_seconds": DISPLAY_POLL_SECONDS,
        },
    )


@never_cache
def display_board(request: HttpRequest, token: str) -> HttpResponse:
    """The display's board as a fragment; 204 (htmx keeps what it shows) when unchanged, so a
    screen reader announces only new calls."""
    unit = _display_centre(token)
    board = queue.display_board(unit=unit, now=timezone.now())
    version = _board_version(board)
    if request.GET.get("version") == version:
        return HttpResponse(status=204)
    return render(
        request,
        "bookings/queue/_display_board.html",
        {"board": board, "token": token, "version": version, "poll_seconds": DISPLAY_POLL_SECONDS},
    )
