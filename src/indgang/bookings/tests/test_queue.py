"""The queue at a service centre: numbers, visitation, calls at the desks, the contact each
visit becomes, the display and the statistics' read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from indgang.bookings.constants import VisitKind, VisitStatus
from indgang.bookings.models import Booking, Desk, Visit
from indgang.bookings.queue import (
    Call,
    DisplayBoard,
    VisitTimes,
    call_next,
    call_visit,
    check_in,
    display_board,
    draw_number,
    finish_visit,
    get_centre_for,
    get_display_centre,
    issue_display_token,
    list_appointments_to_check_in,
    list_centres_for,
    mark_no_show,
    refer_to_time,
    start_visit,
    triage_visit,
    visit_times,
)
from indgang.bookings.services import book_slot, cancel_booking
from indgang.bookings.tests.conftest import Centre, desk_slots
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.errors import CONFLICT
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import CPR_A, CPR_B, Org, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.organisation.models import Unit
from indgang.organisation.selectors import get_scope
from indgang.parties.services import get_or_create_citizen

MONDAY = dt.date(2030, 1, 7)


def at(hour: int, minute: int = 0, second: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=COPENHAGEN)


def messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return list(error.value.messages)


@pytest.mark.django_db
def test_numbers_are_drawn_per_centre_per_day_and_kind(
    org: Org, staff: Staff, centre: Centre
) -> None:
    other = Desk.objects.create(unit=org.building_unit, name="Byggeskranke").unit
    drawn = [
        draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9)),
        draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9, 1)),
        draw_number(unit=other, drawn_by=staff.caseworker, now=at(9, 2)),
        draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(14, 59)),
        draw_number(
            unit=centre.unit, drawn_by=staff.frontline, now=at(9, day=MONDAY.replace(day=8))
        ),
    ]
    booking = book_slot(
        slot=desk_slots(org, staff, MONDAY)[0],
        party=get_or_create_citizen(cpr=CPR_A),
        booked_by=staff.frontline,
        now=at(8, day=dt.date(2030, 1, 2)),
    )
    checked_in = check_in(
        booking=booking, unit=centre.unit, checked_in_by=staff.frontline, now=at(9, 5)
    )

    assert [(v.unit_id, v.day, v.hour, v.label) for v in drawn] == [
        (centre.unit.pk, MONDAY, 9, "A001"),
        (centre.unit.pk, MONDAY, 9, "A002"),
        (other.pk, MONDAY, 9, "A001"),
        (centre.unit.pk, MONDAY, 14, "A003"),
        (centre.unit.pk, dt.date(2030, 1, 8), 9, "A001"),
    ]
    assert (checked_in.label, checked_in.kind, checked_in.status) == (
        "B001",
        VisitKind.APPOINTMENT,
        VisitStatus.WAITING,
    )
    assert (checked_in.party_id, checked_in.booking_id) == (booking.party_id, booking.pk)


@pytest.mark.django_db
def test_a_visit_called_started_and_finished_becomes_a_personal_contact_with_its_times(
    staff: Staff, centre: Centre, tasks: dict[str, Task]
) -> None:
    visit = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(10))
    triage_visit(visit=visit, task=tasks["heating"], desk=None)
    called = call_next(desk=centre.desk_2, called_by=staff.frontline, now=at(10, 12, 30))
    assert (called.pk, called.status, called.waiting_seconds) == (visit.pk, VisitStatus.CALLED, 750)
    start_visit(visit=called, started_by=staff.frontline, now=at(10, 13))

    done = finish_visit(
        visit=called,
        summary="Spørger om tilslutning til fjernvarme",
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
        cpr=CPR_B,
        finished_by=staff.frontline,
        registrar=get_scope(user=staff.frontline),
        now=at(10, 21),
    )

    visit.refresh_from_db()
    assert (visit.status, visit.desk_id, visit.waiting_seconds, visit.handling_seconds) == (
        VisitStatus.DONE,
        centre.desk_2.pk,
        750,
        480,
    )
    assert (visit.called_at, visit.started_at, visit.finished_at) == (
        at(10, 12, 30),
        at(10, 13),
        at(10, 21),
    )
    contact = Contact.objects.get()
    assert visit.contact_id == done.contact_id == contact.pk
    assert (contact.channel, contact.received_at, contact.duration_seconds) == (
        Channel.PERSONAL,
        at(10),
        480,
    )
    assert contact.waiting_seconds == 750
    assert (contact.unit_id, contact.task_id, contact.outcome) == (
        centre.unit.pk,
        tasks["heating"].pk,
        Outcome.RESOLVED_AT_FIRST_CONTACT,
    )
    assert contact.party is not None and contact.party == visit.party
    assert contact.summary == "Spørger om tilslutning til fjernvarme"


@pytest.mark.django_db
def test_handling_time_runs_from_the_call_when_handling_never_started(
    staff: Staff, centre: Centre
) -> None:
    visit = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(11))
    call_visit(visit=visit, desk=centre.desk_1, called_by=staff.frontline, now=at(11, 2))
    finish_visit(
        visit=visit,
        summary="Hentede pas",
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
        finished_by=staff.frontline,
        registrar=get_scope(user=staff.frontline),
        now=at(11, 5, 30),
    )

    visit.refresh_from_db()
    assert (visit.waiting_seconds, visit.handling_seconds) == (120, 210)
    contact = Contact.objects.get()
    assert (contact.waiting_seconds, contact.duration_seconds, contact.party_id) == (120, 210, None)


@pytest.mark.django_db
def test_the_next_call_takes_due_appointments_first_and_leaves_others_desks_visitors(
    org: Org, staff: Staff, centre: Centre
) -> None:
    first = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9, 40))
    for_desk_2 = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9, 41))
    triage_visit(visit=for_desk_2, task=None, desk=centre.desk_2)
    second = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9, 42))
    slots = desk_slots(org, staff, MONDAY)  # 9:00, 9:30, 10:00, ...
    booked = [
        book_slot(
            slot=slot,
            party=get_or_create_citizen(cpr=cpr),
            booked_by=staff.frontline,
            now=at(8, day=dt.date(2030, 1, 2)),
        )
        for slot, cpr in ((slots[2], CPR_A), (slots[1], CPR_B))
    ]
    early = check_in(
        booking=booked[0], unit=centre.unit, checked_in_by=staff.frontline, now=at(9, 43)
    )
    due = check_in(
        booking=booked[1], unit=centre.unit, checked_in_by=staff.frontline, now=at(9, 44)
    )

    def next_at(desk: Desk, minute: int) -> str:
        visit = call_next(desk=desk, called_by=staff.frontline, now=at(9, minute))
        mark_no_show(visit=visit, by=staff.frontline, now=at(9, minute))
        return visit.label

    # At 9:50 the 9:30 appointment is due; the 10:00 one waits its turn.
    assert [next_at(centre.desk_1, 50 + turn) for turn in range(3)] == [
        due.label,
        first.label,
        second.label,
    ]
    assert next_at(centre.desk_1, 59) == early.label
    with pytest.raises(ValidationError) as error:
        call_next(desk=centre.desk_1, called_by=staff.frontline, now=at(10))
    assert messages(error) == ["Ingen venter på Skranke 1."]
    assert next_at(centre.desk_2, 59) == for_desk_2.label == "A002"


@pytest.mark.django_db
def test_a_desk_serves_one_visitor_at_a_time(staff: Staff, centre: Centre) -> None:
    draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9))
    waiting = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9, 1))
    call_next(desk=centre.desk_1, called_by=staff.frontline, now=at(9, 2))

    with pytest.raises(ValidationError) as error:
        call_visit(visit=waiting, desk=centre.desk_1, called_by=staff.frontline, now=at(9, 3))

    assert messages(error) == ["Afslut nummer A001 ved Skranke 1 først."]
    assert error.value.code == CONFLICT
    waiting.refresh_from_db()
    assert (waiting.status, waiting.desk_id, waiting.called_at) == (VisitStatus.WAITING, None, None)


@pytest.mark.django_db
def test_refused_actions_name_the_state_and_change_nothing(staff: Staff, centre: Centre) -> None:
    scope = get_scope(user=staff.frontline)
    visit = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9))

    with pytest.raises(ValidationError) as error:
        finish_visit(
            visit=visit,
            summary="Pas",
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
            finished_by=staff.frontline,
            registrar=scope,
            now=at(9, 5),
        )
    assert messages(error) == ["Nummer A001 har status »Venter«."]

    call_visit(visit=visit, desk=centre.desk_1, called_by=staff.frontline, now=at(9, 6))
    with pytest.raises(ValidationError) as error:
        finish_visit(
            visit=visit,
            summary="  ",
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
            cpr=CPR_A,
            finished_by=staff.frontline,
            registrar=scope,
            now=at(9, 8),
        )
    assert error.value.message_dict == {"summary": ["Skriv et kort resumé af henvendelsen."]}
    with pytest.raises(ValidationError) as error:
        finish_visit(
            visit=visit,
            summary="Pas",
            outcome=Outcome.FORWARDED,
            finished_by=staff.frontline,
            registrar=scope,
            now=at(9, 8),
        )
    assert error.value.message_dict == {"outcome": ["Vælg, hvad besøget endte med."]}
    with pytest.raises(ValidationError) as error:
        triage_visit(visit=visit, task=None, desk=centre.desk_2)
    assert messages(error) == ["Nummer A001 har status »Kaldt«."]

    visit.refresh_from_db()
    assert (visit.status, visit.finished_at, visit.handling_seconds, visit.contact_id) == (
        VisitStatus.CALLED,
        None,
        None,
        None,
    )
    assert (visit.party_id, visit.desk_id) == (None, centre.desk_1.pk)
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_no_show_ends_the_visit_without_a_contact(staff: Staff, centre: Centre) -> None:
    visit = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9))
    call_next(desk=centre.desk_1, called_by=staff.frontline, now=at(9, 10))

    mark_no_show(visit=visit, by=staff.frontline, now=at(9, 12))

    visit.refresh_from_db()
    assert (visit.status, visit.finished_at, visit.waiting_seconds, visit.contact_id) == (
        VisitStatus.NO_SHOW,
        at(9, 12),
        600,
        None,
    )
    assert not Contact.objects.exists()
    with pytest.raises(ValidationError) as error:
        start_visit(visit=visit, started_by=staff.frontline, now=at(9, 13))
    assert messages(error) == ["Nummer A001 har status »Mødte ikke op«."]


@pytest.mark.django_db
def test_an_appointment_is_checked_in_once_on_its_day(
    org: Org, staff: Staff, centre: Centre
) -> None:
    slots = desk_slots(org, staff, MONDAY)
    citizen = get_or_create_citizen(cpr=CPR_A)
    earlier = at(8, day=dt.date(2030, 1, 2))
    booking = book_slot(slot=slots[0], party=citizen, booked_by=staff.frontline, now=earlier)
    cancelled = cancel_booking(
        booking=book_slot(slot=slots[1], party=citizen, booked_by=staff.frontline, now=earlier),
        cancelled_by=staff.frontline,
        now=earlier,
    )
    assert list_appointments_to_check_in(unit=centre.unit, now=at(8, 55)) == [booking]

    def refusal(booking: Booking, now: dt.datetime) -> list[str]:
        with pytest.raises(ValidationError) as error:
            check_in(booking=booking, unit=centre.unit, checked_in_by=staff.frontline, now=now)
        return messages(error)

    assert refusal(booking, at(9, day=dt.date(2030, 1, 4))) == [
        "Tiden er den 07.01.2030, ikke i dag."
    ]
    assert refusal(cancelled, at(9)) == ["Bookingen er aflyst."]
    check_in(booking=booking, unit=centre.unit, checked_in_by=staff.frontline, now=at(8, 55))
    assert refusal(booking, at(8, 56)) == ["Tiden er allerede tjekket ind."]
    assert list_appointments_to_check_in(unit=centre.unit, now=at(8, 57)) == []
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_visitation_to_a_booked_time_books_it_and_registers_the_visit(
    org: Org, staff: Staff, centre: Centre
) -> None:
    slot = desk_slots(org, staff, MONDAY.replace(day=8))[3]
    visit = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(14))
    scope = get_scope(user=staff.frontline)

    with pytest.raises(ValidationError) as error:
        refer_to_time(
            visit=visit,
            slot=slot,
            summary="Vil søge om pas",
            referred_by=staff.frontline,
            registrar=scope,
            now=at(14, 3),
        )
    assert error.value.message_dict == {
        "cpr": ["Giv den besøgendes CPR-nummer for at booke en tid."]
    }

    referred = refer_to_time(
        visit=visit,
        slot=slot,
        summary="Vil søge om pas",
        cpr=CPR_A,
        referred_by=staff.frontline,
        registrar=scope,
        now=at(14, 4),
    )

    assert referred.referred_to is not None and referred.referred_to.slot == slot
    assert (referred.status, referred.waiting_seconds, referred.handling_seconds) == (
        VisitStatus.REFERRED,
        240,
        0,
    )
    contact = Contact.objects.get()
    assert (contact.channel, contact.waiting_seconds, contact.duration_seconds) == (
        Channel.PERSONAL,
        240,
        0,
    )
    assert contact.party == referred.referred_to.party == referred.party


@pytest.mark.django_db
def test_the_display_shows_numbers_and_desks_only_behind_its_secret(
    staff: Staff, centre: Centre
) -> None:
    a1, a2, a3 = (
        draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9, m)) for m in range(3)
    )
    call_visit(visit=a2, desk=centre.desk_2, called_by=staff.frontline, now=at(9, 5))
    mark_no_show(visit=a2, by=staff.frontline, now=at(9, 6))
    call_visit(visit=a3, desk=centre.desk_2, called_by=staff.frontline, now=at(9, 7))
    call_visit(visit=a1, desk=centre.desk_1, called_by=staff.frontline, now=at(9, 8))
    draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(9, 9))

    assert display_board(unit=centre.unit, now=at(9, 10)) == DisplayBoard(
        calls=[
            Call(label="A001", desk="Skranke 1", current=True),
            Call(label="A003", desk="Skranke 2", current=True),
            Call(label="A002", desk="Skranke 2", current=False),
        ],
        waiting=1,
    )
    token = issue_display_token(unit=centre.unit, issued_by=staff.manager, now=at(8))
    assert get_display_centre(token=token) == centre.unit
    newer = issue_display_token(unit=centre.unit, issued_by=staff.manager, now=at(8, 1))
    with pytest.raises(Unit.DoesNotExist):
        get_display_centre(token=token)
    assert get_display_centre(token=newer) == centre.unit


@pytest.mark.django_db
def test_staff_of_the_centre_work_its_queue(org: Org, staff: Staff, centre: Centre) -> None:
    assert list_centres_for(scope=get_scope(user=staff.frontline)) == [centre.unit]
    assert list_centres_for(scope=get_scope(user=staff.admin)) == [centre.unit]
    assert list_centres_for(scope=get_scope(user=staff.caseworker)) == []
    with pytest.raises(Unit.DoesNotExist):
        get_centre_for(scope=get_scope(user=staff.caseworker), unit_id=centre.unit.pk)
    # A unit without a desk is no centre.
    with pytest.raises(Unit.DoesNotExist):
        get_centre_for(scope=get_scope(user=staff.admin), unit_id=org.building_unit.pk)


@pytest.mark.django_db
def test_visit_times_are_averaged_per_centre_and_hour_over_finished_visits(
    staff: Staff, centre: Centre
) -> None:
    scope = get_scope(user=staff.frontline)

    def served(drawn: dt.datetime, called: dt.datetime, finished: dt.datetime) -> None:
        visit = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=drawn)
        call_visit(visit=visit, desk=centre.desk_1, called_by=staff.frontline, now=called)
        finish_visit(
            visit=visit,
            summary="Pas",
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
            finished_by=staff.frontline,
            registrar=scope,
            now=finished,
        )

    served(at(9, 0), at(9, 10), at(9, 20))  # waited 600 s, handled 600 s
    served(at(9, 30), at(9, 50), at(10, 0))  # 1,200 s, 600 s
    served(at(10, 5), at(10, 6), at(10, 9))  # 60 s, 180 s
    served(
        at(10, 5, day=MONDAY.replace(day=9)),
        at(10, 6, day=MONDAY.replace(day=9)),
        at(10, 7, day=MONDAY.replace(day=9)),
    )  # outside the period
    no_show = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=at(10, 30))
    call_visit(visit=no_show, desk=centre.desk_1, called_by=staff.frontline, now=at(10, 59))
    mark_no_show(visit=no_show, by=staff.frontline, now=at(11))

    rows = visit_times(department_ids=None, first=MONDAY, last=MONDAY.replace(day=8))

    unit = centre.unit
    assert rows == [
        VisitTimes(unit.pk, unit.name, 9, 2, 900, 1200, 600),
        VisitTimes(unit.pk, unit.name, 10, 1, 60, 60, 180),
    ]
    assert visit_times(department_ids=[unit.department_id + 1000], first=MONDAY, last=MONDAY) == []
