"""Reads: journal entries and documents of the threads a user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.common.filecrypt import decrypt
from indgang.contacts.models import Thread
from indgang.contacts.selectors import visible_threads
from indgang.journal.models import Document, JournalEntry
from indgang.organisation.selectors import Scope


def get_thread_for(*, scope: Scope, thread_id: int) -> Thread:
    """A thread in a department the scope sees in full; DoesNotExist otherwise."""
    threads = visible_threads(scope=scope)
    if not scope.sees_all:
        threads = threads.filter(department_id__in=scope.department_ids)
    return threads.select_related("party", "journal_entry__kle_topic").get(pk=thread_id)


def get_document_for(*, scope: Scope, document_id: int) -> Document:
    """A document with a file on a thread the scope may read (`get_thread_for`'s rule);
    Document.DoesNotExist otherwise."""
    document = Document.objects.exclude(file="").get(pk=document_id)
    try:
        document.thread = get_thread_for(scope=scope, thread_id=document.thread_id)
    except Thread.DoesNotExist as error:
        raise Document.DoesNotExist from error
    return document


def read_document(*, document: Document) -> Iterator[bytes]:
    """The document's file, decrypted segment by segment as the chunks are consumed.

    The first segment is decrypted here, so a file altered or written with another key fails
    (`DecryptionError`) before an answer starts, not in the middle of a download.
    """
    content = _decrypted(document.file.name)
    first = next(content)
    return chain([first], content)


def _decrypted(name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as sealed:
        yield from decrypt(sealed.chunks())


@dataclass(frozen=True)
class ThreadJournal:
    thread: Thread
    entry: JournalEntry | None
    documents: QuerySet[Document]


def read_journal(*, user: User, thread: Thread, via: Via, now: dt.datetime) -> ThreadJournal:
    """The journal of a thread found by `get_thread_for`, its read logged: the page and the
    API both read it here."""
    log_reads(
        user=user,
        party_ids=[thread.party_id],
        action=AccessAction.VIEWED_CONTACT,
        purpose=Purpose.CASEWORK,
        via=via,
        at=now,
    )
    return ThreadJournal(
        thread=thread,
        entry=getattr(thread, "journal_entry", None),
        documents=list_documents(thread=thread),
    )


def list_documents(*, thread: Thread) -> QuerySet[Document]:
    return Document.objects.filter(thread=thread).select_related("registered_by")


def journal_entries_by_thread(*, thread_ids: list[int]) -> dict[int, JournalEntry]:
    return {
        entry.thread_id: entry
        for entry in JournalEntry.objects.filter(thread_id__in=thread_ids).select_related(
            "kle_topic"
        )
    }


def documents_by_thread(*, thread_ids: list[int]) -> dict[int, list[Document]]:
    found: dict[int, list[Document]] = {}
    for document in Document.objects.filter(thread_id__in=thread_ids).order_by("dated", "pk"):
        found.setdefault(document.thread_id, []).append(document)
    return found
