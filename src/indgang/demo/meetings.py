"""Demo pre-application meetings (forhåndsdialog) about building permits: the building unit's
times around today, a checklist for the task, and meetings at each stage (booked, material in
with the call due, summary sent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indgang.bookings.constants import MeetingType, Mode
from indgang.bookings.models import Booking, MeetingChecklistItem, Slot
from indgang.bookings.services import (
    book_meeting,
    publish_slots,
    record_confirmation_call,
    record_meeting_summary,
    register_material_arrival,
    write_meeting_receipt,
)
from indgang.catalogue.models import Task
from indgang.common.workdays import COPENHAGEN
from indgang.contacts.models import Contact
from indgang.organisation.models import Unit
from indgang.parties.models import Party

# KL's PIXI book: a building application's usual material ("husk at dette skal være med").
CHECKLIST = [
    "Situationsplan med mål til skel",
    "Tegninger af facader og snit",
    "Beregning af bebygget areal og bebyggelsesprocent",
]
SUMMARY = "\n".join(
    [
        "Snit gennem bygningen med højder",
        "Afstand til naboskel på alle sider",
        "Beregning af bebyggelsesprocent",
    ]
)


def load_meetings_demo(
    *,
    caseworker: User,
    booker: User,
    unit: Unit,
    now: dt.datetime,
    progress: Callable[[str], None],
) -> None:
    """Add the demo's meetings once (nothing happens if the unit has published any)."""
    task = Task.objects.filter(title="Byggesager", unit=unit).first()
    if task is None or Slot.objects.filter(unit=unit).exists():
        return
    for position, text in enumerate(CHECKLIST, start=1):
        MeetingChecklistItem.objects.get_or_create(task=task, text=text, position=position)
    today = now.astimezone(COPENHAGEN).date()
    slots = publish_slots(
        unit=unit,
        meeting_type=MeetingType.PRE_APPLICATION,
        length=dt.timedelta(hours=1),
        first=today - dt.timedelta(days=3),
        last=today + dt.timedelta(days=14),
        mode=Mode.IN_PERSON,
        place="Rådhuset, mødelokale 2",
        staff=[caseworker],
        task=task,
    )
    past = [slot for slot in slots if slot.ends_at <= now]
    coming = [slot for slot in slots if slot.starts_at > now]
    chosen = past[-1:] + coming[:1] + coming[2:3] + coming[8:9]
    # The building unit's own applicants, so that their 360 shows the meeting beside the rest.
    applicants = Party.objects.filter(
        pk__in=Contact.objects.filter(department=unit.department, party__isnull=False).values(
            "party"
        )
    ).order_by("pk")[: len(chosen)]
    for stage, (slot, citizen) in enumerate(zip(chosen, applicants, strict=False)):
        booked_at = slot.starts_at - dt.timedelta(days=7)
        booking = book_meeting(slot=slot, party=citizen, task=task, booked_by=booker, now=booked_at)
        write_meeting_receipt(booking_id=booking.pk, now=booked_at)
        if stage <= 1:
            _with_material(booking, caseworker, at=min(now, slot.starts_at - dt.timedelta(days=2)))
        if stage == 0:
            record_confirmation_call(
                booking=booking,
                note="Tilbygning på 35 m². Ansøger sender snit før mødet.",
                by=caseworker,
                now=min(now, slot.starts_at - dt.timedelta(days=1)),
            )
            record_meeting_summary(
                booking=booking, summary=SUMMARY, by=caseworker, now=slot.ends_at
            )
    progress(_("Pre-application meetings: %(count)d") % {"count": len(applicants)})


def _with_material(booking: Booking, caseworker: User, *, at: dt.datetime) -> None:
    register_material_arrival(
        booking=booking, note="Situationsplan og tegninger", by=caseworker, now=at
    )
