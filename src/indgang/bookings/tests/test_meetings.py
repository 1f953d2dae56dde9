"""Pre-application meetings (forhåndsdialog): receipt with the checklist, material and the
confirmation call's deadline, the summary letter, and rebooking that keeps it all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from indgang.bookings.constants import BookingStatus, MeetingType, Mode
from indgang.bookings.models import Booking, MeetingChecklistItem, Slot
from indgang.bookings.selectors import (
    checklist_of,
    confirmation_call_of,
    history_of,
    list_meetings_on,
)
from indgang.bookings.services import (
    book_meeting,
    cancel_booking,
    publish_slots,
    rebook,
    record_confirmation_call,
    record_meeting_summary,
    register_material_arrival,
    write_meeting_receipt,
)
from indgang.catalogue.models import Task
from indgang.common.errors import CONFLICT
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import CPR_A, Org, Staff
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus, StopEvent
from indgang.deadlines.models import Deadline
from indgang.letters.constants import LetterKind
from indgang.letters.models import Letter, OutgoingMessage
from indgang.letters.selectors import letters_for_subject
from indgang.organisation.selectors import get_scope
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen

# Tuesday 8 January 2030, before the week's slots (conftest.week_slots: 7-11 January 2030).
NOW = dt.datetime(2030, 1, 1, 10, tzinfo=COPENHAGEN)


@pytest.fixture
def citizen(db: None) -> Party:
    return get_or_create_citizen(cpr=CPR_A, name="Mette Hansen")


@pytest.fixture
def task(org: Org, tasks: dict[str, Task]) -> Task:
    heating = tasks["heating"]
    MeetingChecklistItem.objects.create(task=heating, text="Situationsplan", position=1)
    MeetingChecklistItem.objects.create(task=heating, text="Tegning af facaden", position=2)
    MeetingChecklistItem.objects.create(task=heating, text="Gammelt punkt", active=False)
    return heating


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run what waits for the commit (the receipt's task) as a request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def booked(
    staff: Staff, citizen: Party, task: Task, committed: Callable[[], Any]
) -> Callable[[Slot], Booking]:
    def _booked(slot: Slot) -> Booking:
        with committed():
            return book_meeting(
                slot=slot, party=citizen, task=task, booked_by=staff.frontline, now=NOW
            )

    return _booked


@pytest.mark.django_db
def test_booking_a_meeting_writes_the_receipt_with_time_place_staff_and_checklist(
    week_slots: list[Slot], citizen: Party, task: Task, booked: Callable[[Slot], Booking]
) -> None:
    booking = booked(week_slots[0])

    assert (booking.task, booking.status) == (task, BookingStatus.ACTIVE)
    assert checklist_of(task_id=task.pk) == ["Situationsplan", "Tegning af facaden"]
    letter = Letter.objects.get()
    assert (letter.kind, letter.subject, letter.recipient, letter.case_number) == (
        LetterKind.MEETING_RECEIPT,
        booking,
        citizen,
        f"M-{booking.pk}",
    )
    assert letter.title == "Din tid til forhåndsdialog"
    assert "Vi ses den 7. januar 2030 kl. 09.00." in letter.html
    assert "Mødet er her: Rådhuset, mødelokale 2." in letter.html
    assert "<li>Byg</li>" in letter.html and "<li>Leder</li>" in letter.html
    assert "<li>Situationsplan</li><li>Tegning af facaden</li>" in letter.html
    assert "Gammelt punkt" not in letter.html
    assert OutgoingMessage.objects.get().letter == letter


@pytest.mark.django_db
def test_a_video_meeting_receipt_says_a_link_follows(
    org: Org, staff: Staff, booked: Callable[[Slot], Booking]
) -> None:
    (slot,) = publish_slots(
        unit=org.building_unit,
        meeting_type=MeetingType.PRE_APPLICATION,
        length=dt.timedelta(hours=6),
        first=dt.date(2030, 1, 7),
        last=dt.date(2030, 1, 7),
        mode=Mode.VIDEO,
        staff=[staff.caseworker],
    )
    booked(slot)

    html = Letter.objects.get().html
    assert "Mødet er et videomøde. Du får et link, før vi ses." in html
    assert "Mødet er her" not in html


@pytest.mark.django_db
def test_a_meeting_is_booked_on_a_pre_application_slot_only(
    org: Org, staff: Staff, citizen: Party, task: Task
) -> None:
    (desk,) = publish_slots(
        unit=org.building_unit,
        meeting_type=MeetingType.DESK,
        length=dt.timedelta(hours=6),
        first=dt.date(2030, 1, 7),
        last=dt.date(2030, 1, 7),
        mode=Mode.IN_PERSON,
        staff=[staff.caseworker],
    )
    with pytest.raises(ValidationError) as refused:
        book_meeting(slot=desk, party=citizen, task=task, booked_by=staff.frontline, now=NOW)
    assert refused.value.message_dict == {"slot": ["Tiden er ikke til et forhåndsdialogmøde."]}
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_meeting_without_a_task_gets_a_receipt_without_a_checklist(
    week_slots: list[Slot], citizen: Party, staff: Staff, committed: Callable[[], Any]
) -> None:
    with committed():
        booking = book_meeting(
            slot=week_slots[0], party=citizen, task=None, booked_by=staff.frontline, now=NOW
        )

    html = letters_for_subject(subject=booking).get().html
    assert "Tak fordi du har booket et møde. Vi ses den 7. januar 2030 kl. 09.00." in html
    assert "Husk at sende" not in html


@pytest.mark.django_db
def test_material_starts_the_confirmation_call_two_working_days_ahead(
    week_slots: list[Slot], citizen: Party, task: Task, staff: Staff
) -> None:
    booking = book_meeting(
        slot=week_slots[-1], party=citizen, task=task, booked_by=staff.frontline, now=NOW
    )
    # Friday 4 January 2030 at 14: due Tuesday 8 January at 14 (Saturday and Sunday skipped).
    arrived = dt.datetime(2030, 1, 4, 14, tzinfo=COPENHAGEN)

    register_material_arrival(booking=booking, note="Tegninger", by=staff.caseworker, now=arrived)

    booking.refresh_from_db()
    assert (booking.material_arrived_at, booking.material_note) == (arrived, "Tegninger")
    call = confirmation_call_of(booking=booking)
    assert call is not None
    assert (call.kind, call.status, call.owner, call.department_id, call.unit_id) == (
        DeadlineKind.CONFIRMATION_CALL,
        DeadlineStatus.OPEN,
        staff.caseworker,
        booking.slot.unit.department_id,
        booking.slot.unit_id,
    )
    assert call.due_at == dt.datetime(2030, 1, 8, 14, tzinfo=COPENHAGEN)
    with pytest.raises(ValidationError) as refused:
        register_material_arrival(booking=booking, note="", by=staff.caseworker, now=arrived)
    assert (refused.value.messages, refused.value.code) == (
        ["Materialet er allerede kommet."],
        CONFLICT,
    )
    assert Deadline.objects.count() == 1


@pytest.mark.django_db
def test_the_confirmation_call_stops_its_deadline_once_the_material_is_in(
    week_slots: list[Slot], citizen: Party, task: Task, staff: Staff
) -> None:
    booking = book_meeting(
        slot=week_slots[-1], party=citizen, task=task, booked_by=staff.frontline, now=NOW
    )
    with pytest.raises(ValidationError) as refused:
        record_confirmation_call(booking=booking, note="OK", by=staff.caseworker, now=NOW)
    assert refused.value.messages == ["Registrér materialet først; opkaldet bekræfter det."]
    register_material_arrival(booking=booking, note="", by=staff.caseworker, now=NOW)
    with pytest.raises(ValidationError) as refused:
        record_confirmation_call(booking=booking, note=" ", by=staff.caseworker, now=NOW)
    assert refused.value.message_dict == {"note": ["Skriv, hvad opkaldet bekræftede."]}

    called = NOW + dt.timedelta(hours=3)
    record_confirmation_call(
        booking=booking, note="Carport, 40 m². Mangler snit.", by=staff.caseworker, now=called
    )

    booking.refresh_from_db()
    assert (booking.confirmed_at, booking.confirmation_note) == (
        called,
        "Carport, 40 m². Mangler snit.",
    )
    call = confirmation_call_of(booking=booking)
    assert call is not None
    assert (call.status, call.completed_at, call.stopped_by) == (
        DeadlineStatus.COMPLETED,
        called,
        StopEvent.CALLED_BACK,
    )


@pytest.mark.django_db
def test_the_summary_is_stored_and_sent_once_the_meeting_has_begun(
    week_slots: list[Slot], staff: Staff, booked: Callable[[Slot], Booking]
) -> None:
    booking = booked(week_slots[0])
    before = week_slots[0].starts_at - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as refused:
        record_meeting_summary(booking=booking, summary="Snit", by=staff.caseworker, now=before)
    assert refused.value.messages == ["Resumeet skrives, når mødet er begyndt."]
    with pytest.raises(ValidationError) as refused:
        record_meeting_summary(booking=booking, summary=" \n \u200b", by=staff.caseworker, now=NOW)
    assert refused.value.message_dict == {
        "summary": ["Skriv, hvad ansøgningen skal indeholde, et punkt pr. linje."]
    }

    after = week_slots[0].ends_at
    letter = record_meeting_summary(
        booking=booking,
        summary="Snit gennem carporten\n\n  Afstand til skel  \n",
        by=staff.caseworker,
        now=after,
    )

    booking.refresh_from_db()
    assert (booking.summary, booking.summary_at) == (
        "Snit gennem carporten\nAfstand til skel",
        after,
    )
    assert (letter.kind, letter.subject, letter.title) == (
        LetterKind.MEETING_SUMMARY,
        booking,
        "Resume af vores møde",
    )
    assert "<li>Snit gennem carporten</li><li>Afstand til skel</li>" in letter.html
    assert "Venlig hilsen<br>Byg" in letter.html
    with pytest.raises(ValidationError) as refused:
        record_meeting_summary(booking=booking, summary="Mere", by=staff.caseworker, now=after)
    assert refused.value.messages == ["Resumeet er allerede sendt."]
    assert Letter.objects.filter(kind=LetterKind.MEETING_SUMMARY).count() == 1


@pytest.mark.django_db
def test_rebooking_keeps_task_material_and_call_and_sends_a_new_receipt(
    week_slots: list[Slot],
    task: Task,
    staff: Staff,
    booked: Callable[[Slot], Booking],
    committed: Callable[[], Any],
) -> None:
    first = booked(week_slots[0])
    register_material_arrival(booking=first, note="Tegninger", by=staff.caseworker, now=NOW)
    due = confirmation_call_of(booking=first).due_at  # type: ignore[union-attr]

    with committed():
        moved = rebook(booking=first, slot=week_slots[3], rebooked_by=staff.caseworker, now=NOW)

    first.refresh_from_db()
    assert first.status == BookingStatus.CANCELLED
    assert (moved.task, moved.material_arrived_at, moved.material_note, moved.replaces) == (
        task,
        NOW,
        "Tegninger",
        first,
    )
    old_call = confirmation_call_of(booking=first)
    new_call = confirmation_call_of(booking=moved)
    assert old_call is not None and new_call is not None
    assert (old_call.status, old_call.stopped_by) == (
        DeadlineStatus.COMPLETED,
        StopEvent.WITHDRAWN,
    )
    assert (new_call.status, new_call.due_at, new_call.owner) == (
        DeadlineStatus.OPEN,
        due,
        staff.caseworker,
    )
    receipts = Letter.objects.filter(kind=LetterKind.MEETING_RECEIPT).order_by("pk")
    assert [letter.subject for letter in receipts] == [first, moved]
    assert "kl. 13.30" in receipts[1].html
    assert history_of(booking=moved) == [first, moved] == history_of(booking=first)


@pytest.mark.django_db
def test_cancelling_stops_the_call_and_a_late_receipt_task_writes_nothing(
    week_slots: list[Slot], citizen: Party, task: Task, staff: Staff
) -> None:
    booking = book_meeting(
        slot=week_slots[0], party=citizen, task=task, booked_by=staff.frontline, now=NOW
    )
    register_material_arrival(booking=booking, note="", by=staff.caseworker, now=NOW)
    cancel_booking(booking=booking, cancelled_by=staff.frontline, now=NOW)

    call = confirmation_call_of(booking=booking)
    assert call is not None
    assert (call.status, call.stopped_by) == (DeadlineStatus.COMPLETED, StopEvent.WITHDRAWN)
    # The receipt's task, delivered after the cancellation, writes nothing.
    assert write_meeting_receipt(booking_id=booking.pk, now=NOW) is None
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_the_days_meetings_for_a_user_and_for_a_unit(
    org: Org, week_slots: list[Slot], citizen: Party, task: Task, staff: Staff
) -> None:
    monday = [slot for slot in week_slots if slot.starts_at.astimezone(COPENHAGEN).day == 7]
    tuesday = week_slots[len(monday)]
    first = book_meeting(
        slot=monday[1], party=citizen, task=task, booked_by=staff.frontline, now=NOW
    )
    second = book_meeting(
        slot=monday[0], party=citizen, task=task, booked_by=staff.frontline, now=NOW
    )
    book_meeting(slot=tuesday, party=citizen, task=task, booked_by=staff.frontline, now=NOW)
    cancelled = book_meeting(
        slot=monday[2], party=citizen, task=task, booked_by=staff.frontline, now=NOW
    )
    cancel_booking(booking=cancelled, cancelled_by=staff.frontline, now=NOW)
    scope = get_scope(user=staff.caseworker)
    day = dt.date(2030, 1, 7)

    assert list(list_meetings_on(scope=scope, day=day, user=staff.caseworker)) == [second, first]
    assert list(list_meetings_on(scope=scope, day=day, unit_id=org.building_unit.pk)) == [
        second,
        first,
    ]
    assert list(list_meetings_on(scope=scope, day=day, user=staff.other_caseworker)) == []
    assert list(list_meetings_on(scope=scope, day=day, unit_id=org.benefits_unit.pk)) == []
