from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from indgang.catalogue.models import KleEntry, Task
from indgang.common.subjects import subject_of
from indgang.common.workdays import COPENHAGEN, ClosingDay
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.deadlines.constants import (
    ChangeAction,
    DayCount,
    DeadlineKind,
    DeadlineStatus,
    ReminderKind,
    StopEvent,
)
from indgang.deadlines.models import (
    ClosedDate,
    Deadline,
    DeadlineRule,
    DigestRun,
    MunicipalCalendar,
    Notification,
    Reminder,
)
from indgang.deadlines.services import (
    SweepReport,
    complete_deadline,
    extend_deadline,
    plan_sweep,
    record_notice,
    resume_deadline,
    rule_for,
    send_digest,
    start_deadline,
    suspend_deadline,
    sweep,
    sweep_range,
)
from indgang.journal.models import JournalEntry
from indgang.organisation.constants import Role
from indgang.organisation.models import RoleAssignment

pytestmark = pytest.mark.django_db


def cph(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


FRIDAY_AFTERNOON = cph(2026, 11, 20, 15, 40)
NOTHING = SweepReport(due_soon=0, breached=0, notifications=0, emails=0)


@pytest.fixture(autouse=True)
def _danish() -> None:
    translation.activate("da")


@pytest.fixture
def emails(staff: Staff) -> Staff:
    for user in (staff.frontline, staff.caseworker, staff.manager, staff.other_caseworker):
        user.email = f"{user.username}@kommune.example"
        user.save(update_fields=["email"])
    return staff


def contact_on(
    register: RegisterContact, staff: Staff, received_at: dt.datetime, **kw: object
) -> Contact:
    return register(
        by=staff.caseworker, received_at=received_at, summary="Beder om aktindsigt", **kw
    )


def test_callback_promised_on_friday_afternoon_is_due_monday(
    register: RegisterContact, staff: Staff
) -> None:
    contact = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)

    deadline = Deadline.objects.get(**subject_of(contact))
    assert deadline.kind == DeadlineKind.CALLBACK
    assert deadline.due_at == cph(2026, 11, 23, 15, 40)
    assert deadline.remind_at == cph(2026, 11, 23, 13, 40)
    assert deadline.owner == staff.frontline
    assert deadline.unit_id == contact.unit_id
    assert deadline.department_id == contact.department_id
    assert [(c.action, c.new_due_at) for c in deadline.changes.all()] == [
        (ChangeAction.STARTED, cph(2026, 11, 23, 15, 40))
    ]


def test_contacts_without_a_promised_callback_start_no_clock(register: RegisterContact) -> None:
    register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)

    assert Deadline.objects.count() == 0


def test_aktindsigt_skips_easter_and_journalises_the_thread(
    register: RegisterContact, staff: Staff, kle_subset: object
) -> None:
    topic = KleEntry.objects.get(number="13.03.20")
    contact = contact_on(register, staff, cph(2026, 4, 1, 9), kle_topic=topic)

    deadline = start_deadline(
        kind=DeadlineKind.AKTINDSIGT, subject=contact, by=staff.caseworker, now=cph(2026, 4, 1, 10)
    )

    assert deadline.due_at == cph(2026, 4, 15, 9)
    entry = JournalEntry.objects.get(**subject_of(contact.thread))
    assert (entry.number, entry.kind, entry.kle_topic) == ("2026-000001", "aktindsigt", topic)


def test_journal_numbers_follow_each_other_within_a_year_and_restart_next_year(
    register: RegisterContact, staff: Staff
) -> None:
    numbers = []
    for received in (cph(2025, 12, 30, 9), cph(2025, 12, 30, 10), cph(2026, 1, 5, 9)):
        contact = contact_on(register, staff, received)
        start_deadline(
            kind=DeadlineKind.COMPLAINT,
            subject=contact,
            by=staff.caseworker,
            now=received,
            length=10,
        )
        numbers.append(JournalEntry.objects.get(**subject_of(contact.thread)).number)

    assert numbers == ["2025-000001", "2025-000002", "2026-000001"]


def test_a_thread_keeps_its_journal_number_for_a_second_deadline(
    register: RegisterContact, staff: Staff
) -> None:
    contact = contact_on(register, staff, cph(2026, 3, 2, 9))
    for kind in (DeadlineKind.AKTINDSIGT, DeadlineKind.INQUIRY):
        start_deadline(
            kind=kind, subject=contact, by=staff.caseworker, now=cph(2026, 3, 2, 9), length=5
        )

    assert list(JournalEntry.objects.values_list("number", flat=True)) == ["2026-000001"]


def test_a_kind_without_a_fixed_length_needs_a_due_date_and_nothing_is_stored(
    register: RegisterContact, staff: Staff
) -> None:
    contact = contact_on(register, staff, cph(2026, 3, 2, 9))

    with pytest.raises(ValidationError) as error:
        start_deadline(
            kind=DeadlineKind.PARTSHOERING,
            subject=contact,
            by=staff.caseworker,
            now=cph(2026, 3, 2, 9),
        )

    assert error.value.message_dict == {
        "due_at": ["Partshøring har ingen fast længde: angiv en frist eller en længde i dage."]
    }
    assert Deadline.objects.count() == 0
    assert JournalEntry.objects.count() == 0


def test_partshoering_runs_to_the_date_the_caseworker_gives(
    register: RegisterContact, staff: Staff
) -> None:
    contact = contact_on(register, staff, cph(2026, 3, 2, 9))

    deadline = start_deadline(
        kind=DeadlineKind.PARTSHOERING,
        subject=contact,
        by=staff.caseworker,
        now=cph(2026, 3, 3, 11),
        due_at=cph(2026, 3, 17, 12),
    )

    assert (deadline.started_at, deadline.due_at) == (cph(2026, 3, 3, 11), cph(2026, 3, 17, 12))
    assert JournalEntry.objects.count() == 0


def test_a_task_rule_beats_the_municipal_rule_which_beats_the_default(
    org: Org, tasks: dict[str, Task]
) -> None:
    task = tasks["heating"]
    municipality_id = org.building_dept.municipality_id
    default = rule_for(kind=DeadlineKind.COMPLAINT)
    municipal = DeadlineRule.objects.create(
        kind=DeadlineKind.COMPLAINT, municipality_id=municipality_id, length=20
    )
    for_task = DeadlineRule.objects.create(
        kind=DeadlineKind.COMPLAINT, task=task, length=30, day_count=DayCount.CALENDAR
    )

    assert default.length is None
    assert rule_for(kind=DeadlineKind.COMPLAINT, municipality_id=municipality_id) == municipal
    assert (
        rule_for(
            kind=DeadlineKind.COMPLAINT,
            municipality_id=municipality_id,
            task_id=task.pk,
        )
        == for_task
    )


def test_calendar_day_rule_moves_off_a_closed_day(
    register: RegisterContact, staff: Staff, tasks: dict[str, Task]
) -> None:
    DeadlineRule.objects.create(
        kind=DeadlineKind.INQUIRY, task=tasks["heating"], length=3, day_count=DayCount.CALENDAR
    )
    contact = contact_on(register, staff, cph(2026, 11, 19, 10), task=tasks["heating"])

    deadline = start_deadline(
        kind=DeadlineKind.INQUIRY, subject=contact, by=staff.caseworker, now=cph(2026, 11, 19, 10)
    )

    assert deadline.due_at == cph(2026, 11, 23, 10)  # Sunday the 22nd moves to Monday


def test_the_municipal_calendar_closes_its_extra_days(
    org: Org, register: RegisterContact, staff: Staff
) -> None:
    calendar = MunicipalCalendar.objects.create(
        municipality_id=org.frontline_dept.municipality_id,
        closing_days=[ClosingDay.CHRISTMAS_EVE],
    )
    ClosedDate.objects.create(calendar=calendar, date=dt.date(2026, 11, 23), reason="Flytning")

    contact = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)

    assert Deadline.objects.get(**subject_of(contact)).due_at == cph(2026, 11, 24, 15, 40)


def test_suspension_moves_due_date_by_paused_working_days(
    register: RegisterContact, staff: Staff
) -> None:
    contact = contact_on(register, staff, cph(2026, 4, 1, 9))
    deadline = start_deadline(
        kind=DeadlineKind.AKTINDSIGT, subject=contact, by=staff.caseworker, now=cph(2026, 4, 1, 9)
    )

    suspend_deadline(
        deadline=deadline, by=staff.caseworker, now=cph(2026, 4, 8, 9), reason="Venter på borgeren"
    )
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.SUSPENDED
    # Paused Wed 8 Apr 09:00 to Mon 13 Apr 09:00: three working days (9, 10, 13 April).
    resumed = resume_deadline(deadline=deadline, by=staff.caseworker, now=cph(2026, 4, 13, 9))

    assert resumed.status == DeadlineStatus.OPEN
    assert resumed.due_at == cph(2026, 4, 20, 9)
    assert resumed.remind_at == cph(2026, 4, 19, 9)
    assert [(c.action, c.old_due_at, c.new_due_at) for c in resumed.changes.all()] == [
        (ChangeAction.STARTED, None, cph(2026, 4, 15, 9)),
        (ChangeAction.SUSPENDED, cph(2026, 4, 15, 9), cph(2026, 4, 15, 9)),
        (ChangeAction.RESUMED, cph(2026, 4, 15, 9), cph(2026, 4, 20, 9)),
    ]


def test_resuming_a_running_deadline_is_refused_and_changes_nothing(
    register: RegisterContact, staff: Staff
) -> None:
    contact = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    deadline = Deadline.objects.get(**subject_of(contact))

    with pytest.raises(ValidationError) as error:
        resume_deadline(deadline=deadline, by=staff.frontline, now=FRIDAY_AFTERNOON)

    assert error.value.message_dict == {"status": ["Kun en sat-på-pause frist kan genoptages."]}
    assert deadline.changes.count() == 1


def test_extension_needs_a_reason_and_a_later_date(register: RegisterContact, staff: Staff) -> None:
    contact = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    deadline = Deadline.objects.get(**subject_of(contact))

    with pytest.raises(ValidationError) as error:
        extend_deadline(
            deadline=deadline,
            due_at=cph(2026, 11, 23, 12),
            by=staff.frontline,
            now=FRIDAY_AFTERNOON,
            reason=" ",
        )
    assert error.value.message_dict == {"reason": ["Skriv, hvorfor fristen forlænges."]}
    with pytest.raises(ValidationError) as error:
        extend_deadline(
            deadline=deadline,
            due_at=cph(2026, 11, 23, 12),
            by=staff.frontline,
            now=FRIDAY_AFTERNOON,
            reason="Syg",
        )
    assert error.value.message_dict == {"due_at": ["Den nye frist skal ligge efter den nuværende."]}
    assert Deadline.objects.get(pk=deadline.pk).due_at == cph(2026, 11, 23, 15, 40)

    extended = extend_deadline(
        deadline=deadline,
        due_at=cph(2026, 11, 24, 12),
        by=staff.frontline,
        now=FRIDAY_AFTERNOON,
        reason="Syg",
    )
    assert extended.due_at == cph(2026, 11, 24, 12)
    change = extended.changes.order_by("pk").last()
    assert change is not None
    assert (change.action, change.old_due_at, change.reason) == (
        ChangeAction.EXTENDED,
        cph(2026, 11, 23, 15, 40),
        "Syg",
    )


def test_aktindsigt_notice_records_why_and_when_and_moves_the_due_date(
    register: RegisterContact, staff: Staff
) -> None:
    contact = contact_on(register, staff, cph(2026, 4, 1, 9))
    deadline = start_deadline(
        kind=DeadlineKind.AKTINDSIGT, subject=contact, by=staff.caseworker, now=cph(2026, 4, 1, 9)
    )

    notice = record_notice(
        deadline=deadline,
        reason="Sagen har mange dokumenter",
        expected_at=cph(2026, 4, 30, 12),
        by=staff.caseworker,
        now=cph(2026, 4, 14, 10),
    )

    assert (notice.reason, notice.expected_at, notice.sent_at) == (
        "Sagen har mange dokumenter",
        cph(2026, 4, 30, 12),
        cph(2026, 4, 14, 10),
    )
    deadline.refresh_from_db()
    assert deadline.due_at == cph(2026, 4, 30, 12)
    assert deadline.changes.last().action == ChangeAction.NOTICE  # type: ignore[union-attr]


def test_completing_stops_the_clock_once(register: RegisterContact, staff: Staff) -> None:
    contact = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    deadline = Deadline.objects.get(**subject_of(contact))

    done = complete_deadline(deadline=deadline, by=staff.frontline, now=cph(2026, 11, 23, 9))

    assert (done.status, done.completed_at, done.stopped_by) == (
        DeadlineStatus.COMPLETED,
        cph(2026, 11, 23, 9),
        StopEvent.CALLED_BACK,
    )
    with pytest.raises(ValidationError) as error:
        complete_deadline(deadline=deadline, by=staff.frontline, now=cph(2026, 11, 23, 10))
    assert error.value.message_dict == {"status": ["Fristen er allerede afsluttet."]}
    assert Deadline.objects.get(pk=deadline.pk).completed_at == cph(2026, 11, 23, 9)


def test_sweep_reminds_the_owner_before_and_the_unit_manager_on_breach_once(
    register: RegisterContact, emails: Staff
) -> None:
    contact = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    deadline = Deadline.objects.get(**subject_of(contact))

    assert sweep(now=cph(2026, 11, 23, 13)) == NOTHING
    report = sweep(now=cph(2026, 11, 23, 14))
    assert (report.due_soon, report.breached, report.notifications, report.emails) == (1, 0, 1, 1)
    assert mail.outbox[0].to == ["front@kommune.example"]
    assert mail.outbox[0].subject == "Indgang: frister"
    assert mail.outbox[0].body == (
        "1 af dine frister udløber snart.\nSe dem under Mine frister i Indgang."
    )
    assert sweep(now=cph(2026, 11, 23, 15)) == NOTHING

    report = sweep(now=cph(2026, 11, 23, 16))
    assert (report.due_soon, report.breached, report.notifications, report.emails) == (0, 1, 1, 1)
    assert mail.outbox[1].to == ["leder@kommune.example"]
    assert sweep(now=cph(2026, 11, 23, 17)) == NOTHING

    assert sorted(Reminder.objects.values_list("deadline_id", "kind")) == [
        (deadline.pk, ReminderKind.BREACHED),
        (deadline.pk, ReminderKind.DUE_SOON),
    ]
    assert sorted(
        Notification.objects.values_list("user__username", "reminder__kind", "emailed_at")
    ) == [
        ("front", ReminderKind.DUE_SOON, cph(2026, 11, 23, 14)),
        ("leder", ReminderKind.BREACHED, cph(2026, 11, 23, 16)),
    ]


def test_an_extended_deadline_is_reminded_again_for_its_new_due_date(
    register: RegisterContact, staff: Staff
) -> None:
    contact = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    deadline = Deadline.objects.get(**subject_of(contact))
    sweep(now=cph(2026, 11, 23, 14))
    extend_deadline(
        deadline=deadline,
        due_at=cph(2026, 11, 24, 15),
        by=staff.frontline,
        now=cph(2026, 11, 23, 14),
        reason="Syg",
    )

    assert sweep(now=cph(2026, 11, 23, 15)).due_soon == 0
    assert sweep(now=cph(2026, 11, 24, 14)).due_soon == 1
    assert Reminder.objects.filter(kind=ReminderKind.DUE_SOON).count() == 2


def test_suspended_and_completed_deadlines_are_not_reminded(
    register: RegisterContact, staff: Staff
) -> None:
    first = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    second = register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    suspend_deadline(
        deadline=Deadline.objects.get(**subject_of(first)),
        by=staff.frontline,
        now=FRIDAY_AFTERNOON,
        reason="Venter",
    )
    complete_deadline(
        deadline=Deadline.objects.get(**subject_of(second)),
        by=staff.frontline,
        now=FRIDAY_AFTERNOON,
    )

    assert sweep(now=cph(2026, 11, 30, 9)) == NOTHING


def test_sweep_chunks_cover_every_deadline_and_repeat_harmlessly(
    register: RegisterContact, staff: Staff
) -> None:
    for _ in range(5):
        register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    now = cph(2026, 11, 24, 9)

    ranges = plan_sweep(now=now, chunk_size=2)
    assert len(ranges) == 3
    first = [sweep_range(first_id=a, last_id=b, now=now) for a, b in ranges]
    again = [sweep_range(first_id=a, last_id=b, now=now) for a, b in reversed(ranges)]

    assert [r.breached for r in first] == [2, 2, 1]
    assert [r.breached for r in again] == [0, 0, 0]
    assert Reminder.objects.count() == 5
    # The frontline unit's manager is told of each breach once.
    assert Notification.objects.filter(user=staff.manager).count() == 5


def test_a_department_manager_without_a_unit_hears_of_breaches_in_every_unit(
    org: Org, register: RegisterContact, staff: Staff
) -> None:
    RoleAssignment.objects.create(
        user=staff.other_caseworker, role=Role.MANAGER, department=org.frontline_dept
    )
    register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)

    sweep(now=cph(2026, 11, 24, 9))

    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "leder",
        "ydelse",
    ]


def test_the_digest_counts_the_next_working_day_by_the_municipalitys_calendar(
    org: Org, register: RegisterContact, emails: Staff
) -> None:
    calendar = MunicipalCalendar.objects.create(municipality=org.frontline_dept.municipality)
    ClosedDate.objects.create(calendar=calendar, date=dt.date(2026, 11, 17), reason="Flytning")
    contact = register(received_at=cph(2026, 11, 16, 9))
    start_deadline(
        kind=DeadlineKind.CALLBACK,
        subject=contact,
        by=emails.frontline,
        now=cph(2026, 11, 16, 9),
        due_at=cph(2026, 11, 18, 10),  # Wednesday: the next working day after a closed Tuesday
        owner=emails.frontline,
    )

    assert send_digest(now=cph(2026, 11, 16, 12)) == 1

    assert [(m.to, m.body) for m in mail.outbox] == [
        (
            ["front@kommune.example"],
            "Overskredet: 0\nUdløber inden næste arbejdsdag er omme: 1",
        )
    ]


def test_daily_digest_goes_out_once_a_day(register: RegisterContact, emails: Staff) -> None:
    register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    register(received_at=cph(2026, 11, 20, 9), outcome=Outcome.CALLBACK_PROMISED)

    sent = send_digest(now=cph(2026, 11, 23, 12))

    assert sent == 2
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert bodies == {
        "front@kommune.example": "Overskredet: 1\nUdløber inden næste arbejdsdag er omme: 1",
        "leder@kommune.example": (
            "Overskredet: 0\nUdløber inden næste arbejdsdag er omme: 0\n"
            "Overskredet i dine enheder: 1"
        ),
    }
    assert send_digest(now=cph(2026, 11, 23, 18)) == 0
    assert len(mail.outbox) == 2
    assert list(DigestRun.objects.values_list("day", "emails")) == [(dt.date(2026, 11, 23), 2)]
