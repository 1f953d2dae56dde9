"""Staff screens for pre-application meetings (forhåndsdialog): the day's meetings, booking one
for a party, and a meeting's page; a booking's calendar file to download. Read through the
selectors (which log the reads), act through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.audit.constants import Purpose, Via
from indgang.bookings import services
from indgang.bookings.calendar import CONTENT_TYPE, Method, calendar_file, file_name
from indgang.bookings.constants import BookingStatus, MeetingType
from indgang.bookings.forms import BookMeetingForm, NoteForm, RebookForm, SummaryForm
from indgang.bookings.models import Booking, Slot
from indgang.bookings.selectors import (
    checklist_of,
    confirmation_call_of,
    get_meeting_for,
    get_slot_for,
    history_of,
    is_withdrawn,
    list_free_slots,
    list_meetings_on,
    read_booking,
    read_meeting,
)
from indgang.catalogue.models import Task
from indgang.catalogue.selectors import list_tasks
from indgang.common.workdays import COPENHAGEN, day_range
from indgang.letters.models import Letter
from indgang.letters.selectors import letters_for_subject, read_letter_pdf
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.parties.models import Party
from indgang.parties.selectors import get_party

# The booking screen offers this many days of free times from the day chosen.
DAYS_OFFERED = 14


def _day(value: str | None) -> dt.date:
    return (parse_date(value) if value else None) or timezone.localdate()


@staff_view
def meetings(request: HttpRequest) -> HttpResponse:
    """The day's pre-application meetings: the user's own, or their unit's."""
    scope = request_scope(request)
    day = _day(request.GET.get("day"))
    unit_wide = request.GET.get("who") == "unit"
    listed = list_meetings_on(
        scope=scope,
        day=day,
        user=None if unit_wide else acting_user(request),
        unit_id=scope.home_unit_id if unit_wide else None,
    )
    return render(
        request,
        "bookings/meetings.html",
        {
            "day": day,
            "unit_wide": unit_wide,
            "meetings": listed,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
        },
    )


def _party_of(request: HttpRequest) -> Party | None:
    try:
        return get_party(party_id=int(request.GET.get("party", "")))
    except (ValueError, Party.DoesNotExist):
        return None


@staff_view
def book(request: HttpRequest) -> HttpResponse:
    """Book a meeting: the party (given, or by CPR or CVR number), the task, a free time."""
    scope = request_scope(request)
    if request.method == "POST":
        return _book(request)
    task_id = _number(request.GET.get("task"))
    task = list_tasks().filter(pk=task_id).first() if task_id is not None else None
    first = max(_day(request.GET.get("from")), timezone.localdate())
    slots: list[Slot] = []
    if task is not None and task.unit_id is not None:
        starts_from, starts_before = day_range(
            first, first + dt.timedelta(days=DAYS_OFFERED - 1), zone=COPENHAGEN
        )
        slots = [
            slot
            for slot in list_free_slots(
                scope=scope,
                unit_id=task.unit_id,
                starts_from=max(starts_from, timezone.now()),
                starts_before=starts_before,
                meeting_type=MeetingType.PRE_APPLICATION,
            )
            if slot.task_id in (None, task.pk)
        ]
    context = {
        "party": _party_of(request),
        "tasks": list_tasks(),
        "task": task,
        "first": first,
        "slots": slots,
        "checklist": checklist_of(task_id=task.pk if task else None),
    }
    template = (
        "bookings/_free_slots.html" if request.headers.get("HX-Request") else "bookings/book.html"
    )
    return render(request, template, context)


def _number(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _book(request: HttpRequest) -> HttpResponse:
    form = BookMeetingForm(request.POST)
    back = request.get_full_path()
    if not form.is_valid():
        messages.error(request, _("Choose a party, a task and a time."))
        return redirect(back)
    data = form.cleaned_data
    scope = request_scope(request)
    try:
        slot = get_slot_for(scope=scope, slot_id=data["slot"])
        task = list_tasks().get(pk=data["task"])
        party = services.party_to_book(
            party_id=data["party"], cpr=data["cpr"], cvr=data["cvr"], name=data["name"]
        )
        booking = services.book_meeting(
            slot=slot, party=party, task=task, booked_by=acting_user(request), now=timezone.now()
        )
    except (Slot.DoesNotExist, Task.DoesNotExist) as error:
        raise Http404 from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(back)
    messages.success(request, _("The meeting is booked; the receipt goes to the applicant."))
    return redirect("bookings:meeting", booking_id=booking.pk)


def _meeting(request: HttpRequest, booking_id: int) -> Booking:
    try:
        return get_meeting_for(scope=request_scope(request), booking_id=booking_id)
    except Booking.DoesNotExist as error:
        raise Http404 from error


@staff_view
def meeting(request: HttpRequest, booking_id: int) -> HttpResponse:
    """A meeting's page: time and people, checklist, letters, material, call, summary, history."""
    scope = request_scope(request)
    try:
        booking = read_meeting(
            scope=scope,
            user=acting_user(request),
            booking_id=booking_id,
            via=Via.UI,
            now=timezone.now(),
        )
    except Booking.DoesNotExist as error:
        raise Http404 from error
    rebook_slots: list[Slot] = []
    if booking.status == BookingStatus.ACTIVE:
        now = timezone.now()
        rebook_slots = list(
            list_free_slots(
                scope=scope,
                unit_id=booking.slot.unit_id,
                starts_from=now,
                starts_before=now + dt.timedelta(days=DAYS_OFFERED),
                meeting_type=MeetingType.PRE_APPLICATION,
            )
        )
    return render(
        request,
        "bookings/meeting.html",
        {
            "booking": booking,
            "reference": services.reference_of(booking),
            "checklist": checklist_of(task_id=booking.task_id),
            "letters": letters_for_subject(subject=booking),
            "call": confirmation_call_of(booking=booking),
            "history": history_of(booking=booking),
            "rebook_slots": rebook_slots,
            "active": booking.status == BookingStatus.ACTIVE,
            "begun": booking.slot.starts_at <= timezone.now(),
        },
    )


Step = Callable[[Booking, dict[str, object]], object]


def _act(
    request: HttpRequest, booking_id: int, form: forms.Form, step: Step, done: str
) -> HttpResponse:
    """Take one step on the meeting through its service; a refusal shows its Danish message
    and the service has changed nothing."""
    booking = _meeting(request, booking_id)
    if not form.is_valid():
        messages.error(request, _("Fill in the form."))
        return redirect("bookings:meeting", booking_id=booking_id)
    try:
        result = step(booking, form.cleaned_data)
    except Slot.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("bookings:meeting", booking_id=booking_id)
    messages.success(request, done)
    shown = result.pk if isinstance(result, Booking) else booking_id
    return redirect("bookings:meeting", booking_id=shown)


@staff_view
@require_POST
def material(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _act(
        request,
        booking_id,
        NoteForm(request.POST),
        lambda booking, data: services.register_material_arrival(
            booking=booking, note=str(data["note"]), by=acting_user(request), now=timezone.now()
        ),
        _("The material is registered; the confirmation call is on your deadlines."),
    )


@staff_view
@require_POST
def confirmation_call(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _act(
        request,
        booking_id,
        NoteForm(request.POST),
        lambda booking, data: services.record_confirmation_call(
            booking=booking, note=str(data["note"]), by=acting_user(request), now=timezone.now()
        ),
        _("The confirmation call is recorded."),
    )


@staff_view
@require_POST
def summary(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _act(
        request,
        booking_id,
        SummaryForm(request.POST),
        lambda booking, data: services.record_meeting_summary(
            booking=booking,
            summary=str(data["summary"]),
            by=acting_user(request),
            now=timezone.now(),
        ),
        _("The summary is saved and sent to the applicant."),
    )


@staff_view
@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _act(
        request,
        booking_id,
        forms.Form(request.POST),
        lambda booking, data: services.cancel_booking(
            booking=booking, cancelled_by=acting_user(request), now=timezone.now()
        ),
        _("The meeting is cancelled."),
    )


@staff_view
@require_POST
def rebook(request: HttpRequest, booking_id: int) -> HttpResponse:
    scope = request_scope(request)
    return _act(
        request,
        booking_id,
        RebookForm(request.POST),
        lambda booking, data: services.rebook(
            booking=booking,
            slot=get_slot_for(scope=scope, slot_id=int(str(data["slot"]))),
            rebooked_by=acting_user(request),
            now=timezone.now(),
        ),
        _("The meeting is moved; the applicant gets a receipt for the new time."),
    )


@staff_view
def letter_pdf(request: HttpRequest, booking_id: int, letter_id: int) -> HttpResponse:
    """One of the meeting's letters as a PDF, for staff who may see the meeting."""
    booking = _meeting(request, booking_id)
    try:
        letter = letters_for_subject(subject=booking).get(pk=letter_id)
    except Letter.DoesNotExist as error:
        raise Http404 from error
    response = HttpResponse(read_letter_pdf(letter=letter), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{letter.title[:80] or letter.pk}.pdf") or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def calendar_response(booking: Booking) -> HttpResponse:
    """The booking's calendar file as a download: the cancellation once it is withdrawn."""
    method = Method.CANCEL if is_withdrawn(booking=booking) else Method.REQUEST
    response = HttpResponse(
        calendar_file(booking, method=method),
        content_type=f"{CONTENT_TYPE}; charset=utf-8; method={method.value}",
    )
    response["Content-Disposition"] = (
        content_disposition_header(True, file_name(booking)) or "attachment"
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view
def booking_calendar(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The calendar file of a booking the user may see; the read is logged for the party."""
    try:
        booking = read_booking(
            scope=request_scope(request),
            user=acting_user(request),
            booking_id=booking_id,
            purpose=Purpose.CONTACT,
            via=Via.UI,
            now=timezone.now(),
            detail="calendar file",
        )
    except Booking.DoesNotExist as error:
        raise Http404 from error
    return calendar_response(booking)
