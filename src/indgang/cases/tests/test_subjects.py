"""A case as a subject: deadlines, a journal number and documents hang on it (issue 19)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from indgang.cases.models import Case
from indgang.cases.tests.conftest import Receive
from indgang.common.subjects import describe_subjects, get_subject_for, subject_of
from indgang.conftest import ApiFor, RegisterContact, Staff
from indgang.deadlines.constants import DayCount, DeadlineKind
from indgang.deadlines.models import Deadline, DeadlineRule
from indgang.deadlines.selectors import calendar_for, deadline_rows, deadlines_of
from indgang.deadlines.services import due_instant, start_deadline
from indgang.journal.constants import DocumentDirection, JournalKind
from indgang.journal.models import Document, JournalEntry
from indgang.journal.selectors import list_documents, read_document
from indgang.journal.services import add_document, journalise
from indgang.journal.tests.test_documents import tiny_pdf
from indgang.organisation.selectors import get_scope

# A Tuesday morning in Copenhagen, clear of holidays for the next three weeks.
NOW = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_hearing_reply_runs_14_calendar_days_on_the_case_in_its_department(
    receive: Receive, staff: Staff
) -> None:
    case = receive()

    deadline = start_deadline(
        subject=case, kind=DeadlineKind.HEARING_REPLY, by=staff.caseworker, now=NOW
    )

    assert (
        deadline.subject,
        deadline.department_id,
        deadline.unit_id,
        deadline.owner,
        deadline.started_at,
        deadline.due_at,
        deadline.rule.day_count,
        deadline.rule.stops_on,
    ) == (
        case,
        case.department_id,
        case.unit_id,
        staff.caseworker,
        NOW,
        NOW + dt.timedelta(days=14),
        DayCount.CALENDAR,
        "party_responded",
    )
    assert list(deadlines_of(subject=case)) == [deadline]


@pytest.mark.django_db
def test_an_inspection_report_is_due_in_10_working_days_or_as_the_municipality_sets(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    calendar = calendar_for(municipality_id=None)

    default = start_deadline(
        subject=case, kind=DeadlineKind.INSPECTION_REPORT, by=staff.caseworker, now=NOW
    )
    DeadlineRule.objects.filter(kind=DeadlineKind.INSPECTION_REPORT).update(length=5)
    shorter = start_deadline(
        subject=case, kind=DeadlineKind.INSPECTION_REPORT, by=staff.caseworker, now=NOW
    )

    assert (default.due_at, shorter.due_at) == (
        due_instant(start=NOW, day_count=DayCount.WORKING, length=10, calendar=calendar),
        due_instant(start=NOW, day_count=DayCount.WORKING, length=5, calendar=calendar),
    )
    assert default.due_at == dt.datetime(2026, 9, 15, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_remediation_and_a_deficiency_reply_need_their_own_length(
    receive: Receive, staff: Staff
) -> None:
    case = receive()

    for kind in (DeadlineKind.REMEDIATION, DeadlineKind.DEFICIENCY_REPLY):
        with pytest.raises(ValidationError) as refused:
            start_deadline(subject=case, kind=kind, by=staff.caseworker, now=NOW)
        assert list(refused.value.message_dict) == ["due_at"]
    remediation = start_deadline(
        subject=case, kind=DeadlineKind.REMEDIATION, by=staff.caseworker, now=NOW, length=30
    )

    assert remediation.due_at == NOW + dt.timedelta(days=30)
    assert Deadline.objects.filter(**subject_of(case)).count() == 1


@pytest.mark.django_db
def test_a_case_deadline_refuses_an_owner_outside_the_department_and_a_contact_refuses_case_kinds(
    receive: Receive, register: RegisterContact, staff: Staff
) -> None:
    case = receive()
    contact = register(by=staff.caseworker)
    before = Deadline.objects.count()

    with pytest.raises(ValidationError) as owner:
        start_deadline(
            subject=case,
            kind=DeadlineKind.HEARING_REPLY,
            by=staff.caseworker,
            now=NOW,
            owner=staff.other_caseworker,
        )
    with pytest.raises(ValidationError) as kind:
        start_deadline(
            subject=contact, kind=DeadlineKind.HEARING_REPLY, by=staff.caseworker, now=NOW
        )

    assert (owner.value.message_dict, kind.value.message_dict) == (
        {"owner": ["Ejeren skal arbejde i den forvaltning, fristen hører under."]},
        {"kind": ["Høringssvar (nabohøring eller partshøring) løber på en sag."]},
    )
    assert Deadline.objects.count() == before


@pytest.mark.django_db
def test_a_case_gets_one_journal_number_and_its_documents_stored_encrypted(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    pdf = tiny_pdf("Mangelskrivelse")

    first = journalise(
        subject=case, kle_topic=None, kind=JournalKind.INQUIRY, by=staff.caseworker, now=NOW
    )
    again = journalise(
        subject=case, kle_topic=None, kind=JournalKind.INQUIRY, by=staff.caseworker, now=NOW
    )
    letter = add_document(
        subject=case,
        direction=DocumentDirection.SENT,
        title="Mangelskrivelse",
        dated=NOW.date(),
        content=pdf,
        filename="mangelskrivelse.pdf",
        by=staff.caseworker,
        now=NOW,
    )

    # The case was journalised when it was received; a later call keeps that number.
    assert (first.pk, first.number) == (again.pk, f"{first.year}-000001")
    assert JournalEntry.objects.get(**subject_of(case)) == first
    assert (letter.filename, letter.content_type, letter.size) == (
        "mangelskrivelse.pdf",
        "application/pdf",
        len(pdf),
    )
    with letter.file.open("rb") as stored:
        assert pdf not in stored.read()
    assert b"".join(read_document(document=letter)) == pdf
    # The receipt letter was filed when the application came in.
    assert [document.title for document in list_documents(subject=case).order_by("pk")] == [
        "Vi har modtaget din ansøgning",
        "Mangelskrivelse",
    ]


@pytest.mark.django_db
def test_a_document_in_the_future_is_refused_and_nothing_is_stored(
    receive: Receive, staff: Staff
) -> None:
    case = receive()

    with pytest.raises(ValidationError) as refused:
        add_document(
            subject=case,
            direction=DocumentDirection.SENT,
            title="Afgørelse",
            dated=timezone.now().date() + dt.timedelta(days=2),
            content=None,
            filename="",
            by=staff.caseworker,
            now=timezone.now(),
        )

    assert refused.value.message_dict == {"dated": ["Dokumentets dato kan ikke ligge i fremtiden."]}
    assert list(Document.objects.values_list("title", flat=True)) == [
        "Vi har modtaget din ansøgning"
    ]


@pytest.mark.django_db
def test_the_registry_finds_a_case_through_its_permission_path_and_withholds_it_elsewhere(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    deadline = start_deadline(
        subject=case, kind=DeadlineKind.HEARING_REPLY, by=staff.caseworker, now=NOW
    )
    building, benefits = get_scope(user=staff.caseworker), get_scope(user=staff.other_caseworker)

    found = get_subject_for(scope=building, name="case", pk=case.pk)
    with pytest.raises(Case.DoesNotExist):
        get_subject_for(scope=benefits, name="case", pk=case.pk)
    (row,) = deadline_rows(scope=building, deadlines=[deadline])
    elsewhere = describe_subjects(scope=benefits, references=[deadline])

    assert found == case
    assert (row.redacted, row.subject and row.subject.label, row.subject and row.subject.url) == (
        False,
        "Ansøgning Byvej 1, 9999 Testby",
        f"/parties/{case.party_id}/",
    )
    assert [view.redacted for view in elsewhere.values()] == [True]


@pytest.mark.django_db
def test_the_api_starts_a_deadline_on_a_case_and_lists_it_by_case(
    api_for: ApiFor, receive: Receive, staff: Staff
) -> None:
    case = receive()
    api = api_for(staff.caseworker)

    created = api.post(
        "/api/v1/deadlines/", {"case": case.pk, "kind": "hearing_reply"}, format="json"
    )
    listed = api.get(f"/api/v1/deadlines/?case={case.pk}").json()

    assert created.status_code == 201
    body = created.json()
    assert (body["case"], body["contact"], body["thread"], body["kind"]) == (
        case.pk,
        None,
        None,
        "hearing_reply",
    )
    assert [row["id"] for row in listed["results"]] == [body["id"]]


@pytest.mark.django_db
def test_the_api_refuses_a_case_of_another_department_and_two_subjects_storing_nothing(
    api_for: ApiFor, receive: Receive, register: RegisterContact, staff: Staff
) -> None:
    case = receive()
    contact = register(by=staff.caseworker)
    before = Deadline.objects.count()

    elsewhere = api_for(staff.other_caseworker).post(
        "/api/v1/deadlines/", {"case": case.pk, "kind": "hearing_reply"}, format="json"
    )
    both = api_for(staff.caseworker).post(
        "/api/v1/deadlines/",
        {"case": case.pk, "contact": contact.pk, "kind": "hearing_reply"},
        format="json",
    )

    assert (elsewhere.status_code, elsewhere.json()) == (
        400,
        {"case": [f"Sag {case.pk} findes ikke."]},
    )
    assert (both.status_code, both.json()) == (
        400,
        {"contact": ["Angiv den henvendelse eller den sag, fristen løber på (én af dem)."]},
    )
    assert Deadline.objects.count() == before
