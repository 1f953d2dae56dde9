from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from indgang.common.workdays import COPENHAGEN
from indgang.conftest import PASSWORD, ApiFor, RegisterContact, Staff
from indgang.journal.constants import DocumentDirection, JournalKind
from indgang.journal.models import Document, JournalEntry
from indgang.journal.services import journalise, next_journal_number, upload_document

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=COPENHAGEN)


@pytest.fixture(autouse=True)
def _danish(settings: Any) -> None:
    settings.LANGUAGE_CODE = "da"


@pytest.mark.django_db
def test_documents_are_listed_on_the_thread_in_date_order(
    register: RegisterContact, staff: Staff, api_for: ApiFor
) -> None:
    contact = register(by=staff.caseworker, received_at=NOW)
    journalise(
        subject=contact.thread,
        kind=JournalKind.AKTINDSIGT,
        kle_topic=None,
        by=staff.caseworker,
        now=NOW,
    )
    upload_document(
        subject=contact.thread,
        direction=DocumentDirection.SENT,
        title="Afgørelse om aktindsigt",
        dated=dt.date(2026, 11, 19),
        by=staff.caseworker,
        now=NOW,
    )
    upload_document(
        subject=contact.thread,
        direction=DocumentDirection.RECEIVED,
        title="Anmodning om aktindsigt",
        dated=dt.date(2026, 11, 18),
        by=staff.caseworker,
        now=NOW,
    )

    body = api_for(staff.caseworker).get(f"/api/v1/threads/{contact.thread_id}/journal/").json()

    assert body["journal"] == {
        "number": "2026-000001",
        "kind": "aktindsigt",
        "kle_topic": None,
        "journalised_at": "2026-11-20T10:00:00+01:00",
    }
    assert [(d["direction"], d["title"]) for d in body["documents"]] == [
        ("received", "Anmodning om aktindsigt"),
        ("sent", "Afgørelse om aktindsigt"),
    ]
    assert (
        api_for(staff.other_caseworker)
        .get(f"/api/v1/threads/{contact.thread_id}/journal/")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_a_document_needs_a_title_and_a_date_not_in_the_future(
    register: RegisterContact, staff: Staff
) -> None:
    contact = register(by=staff.caseworker, received_at=NOW)

    with pytest.raises(ValidationError) as error:
        upload_document(
            subject=contact.thread,
            direction=DocumentDirection.RECEIVED,
            title=" ",
            dated=dt.date(2026, 11, 21),
            by=staff.caseworker,
            now=NOW,
        )

    assert error.value.message_dict == {
        "title": ["Giv dokumentet en titel."],
        "dated": ["Dokumentets dato kan ikke ligge i fremtiden."],
    }
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_add_a_document_on_the_thread_page(register: RegisterContact, staff: Staff) -> None:
    contact = register(by=staff.caseworker, received_at=NOW)
    client = Client()
    client.login(username=staff.caseworker.username, password=PASSWORD)

    response = client.post(
        f"/threads/{contact.thread_id}/documents/",
        {"direction": "received", "title": "Klage", "dated": "2026-11-19"},
        follow=True,
    )

    assert "Klage" in response.content.decode()
    assert list(Document.objects.values_list("title", "direction")) == [("Klage", "received")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_gives_each_matter_its_own_number() -> None:
    numbers: list[str] = []
    errors: list[BaseException] = []

    def take(count: int) -> None:
        try:
            from django.db import transaction

            for _ in range(count):
                with transaction.atomic():
                    numbers.append(next_journal_number(year=2026)[1])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=take, args=(10,)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 41)]
    assert JournalEntry.objects.count() == 0
    assert timezone.now()
