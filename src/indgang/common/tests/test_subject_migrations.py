"""The migrations onto the generic subject carry every row over, both ways (issue 19)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from indgang.common.tests.migrating import migrate
from indgang.conftest import RegisterContact, Staff
from indgang.contacts.models import Contact, Thread
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.models import Deadline
from indgang.deadlines.services import start_deadline
from indgang.journal.constants import DocumentDirection, JournalKind
from indgang.journal.models import Document, JournalEntry
from indgang.journal.services import journalise, upload_document

BEFORE = [
    ("deadlines", "0002_calendar_validators"),
    ("journal", "0002_document_file_metadata"),
]


def _subjects(model: Any) -> dict[int, tuple[str, int]]:
    return {
        row.pk: (ContentType.objects.get_for_id(row.subject_type_id).model, row.subject_id)
        for row in model.objects.all()
    }


@pytest.mark.django_db(transaction=True)
def test_deadlines_journal_entries_and_documents_keep_their_subjects_back_and_forth(
    register: RegisterContact, staff: Staff, back_and_forth: None
) -> None:
    now = timezone.now()
    contact = register(by=staff.caseworker, received_at=now - dt.timedelta(hours=1))
    other = register(by=staff.caseworker, received_at=now - dt.timedelta(hours=2))
    start_deadline(
        subject=contact, kind=DeadlineKind.INQUIRY, by=staff.caseworker, now=now, length=5
    )
    start_deadline(
        subject=other.thread, kind=DeadlineKind.PARTSHOERING, by=staff.caseworker, now=now, length=3
    )
    journalise(
        subject=other.thread, kle_topic=None, kind=JournalKind.INQUIRY, by=staff.caseworker, now=now
    )
    upload_document(
        subject=other.thread,
        direction=DocumentDirection.RECEIVED,
        title="Ansøgning",
        dated=now.date(),
        by=staff.caseworker,
        now=now,
    )
    deadlines, entries, documents = (
        _subjects(Deadline),
        _subjects(JournalEntry),
        _subjects(Document),
    )
    assert sorted(deadlines.values()) == [("contact", contact.pk), ("thread", other.thread_id)]
    # An inquiry journalises its contact's thread.
    assert sorted(entries.values()) == sorted(
        [("thread", contact.thread_id), ("thread", other.thread_id)]
    )
    assert list(documents.values()) == [("thread", other.thread_id)]

    old = migrate(BEFORE)
    assert {
        row.pk: (row.contact_id, row.thread_id)
        for row in old.get_model("deadlines", "Deadline").objects.all()
    } == {
        pk: (subject_id, None) if name == "contact" else (None, subject_id)
        for pk, (name, subject_id) in deadlines.items()
    }
    assert {
        row.pk: row.thread_id for row in old.get_model("journal", "JournalEntry").objects.all()
    } == {pk: subject_id for pk, (_name, subject_id) in entries.items()}
    assert {
        row.pk: row.thread_id for row in old.get_model("journal", "Document").objects.all()
    } == {pk: subject_id for pk, (_name, subject_id) in documents.items()}

    migrate(None)
    assert (_subjects(Deadline), _subjects(JournalEntry), _subjects(Document)) == (
        deadlines,
        entries,
        documents,
    )
    assert Contact.objects.count() == 2
    assert Thread.objects.count() == 2
