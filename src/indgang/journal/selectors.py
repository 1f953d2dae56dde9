"""Reads: journal entries and documents of subjects (threads, cases). The subject's owning app
authorises it, through the subject registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import QuerySet

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.common.filecrypt import decrypt
from indgang.common.subjects import (
    facts_of,
    for_subjects,
    get_subject_for,
    name_of_reference,
    subject_of,
)
from indgang.journal.models import Document, JournalEntry
from indgang.organisation.selectors import Scope


def get_document_for(*, scope: Scope, document_id: int) -> Document:
    """A document with a file on a subject the scope may read (the subject's own rule);
    Document.DoesNotExist otherwise."""
    document = Document.objects.exclude(file="").get(pk=document_id)
    try:
        document.subject = get_subject_for(
            scope=scope, name=name_of_reference(document), pk=document.subject_id
        )
    except ObjectDoesNotExist as error:
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
class SubjectJournal:
    subject: models.Model
    entry: JournalEntry | None
    documents: QuerySet[Document]


def read_journal(
    *, user: User, subject: models.Model, via: Via, now: dt.datetime
) -> SubjectJournal:
    """The journal of a subject the caller has authorised, its read logged: the pages and the
    API all read it here."""
    facts = facts_of(subject)
    log_reads(
        user=user,
        party_ids=[facts.party_id],
        action=AccessAction.VIEWED_CONTACT,
        purpose=Purpose.CASEWORK,
        via=via,
        at=now,
    )
    return SubjectJournal(
        subject=subject,
        entry=JournalEntry.objects.filter(**subject_of(subject))
        .select_related("kle_topic")
        .first(),
        documents=list_documents(subject=subject),
    )


def list_documents(*, subject: models.Model) -> QuerySet[Document]:
    """The subject's documents, oldest first (the caller has authorised the subject)."""
    return Document.objects.filter(**subject_of(subject)).select_related("registered_by")


def journal_entries_of(*, model: type[models.Model], ids: list[int]) -> dict[int, JournalEntry]:
    """The journal entries of these subjects of one model, by subject id (one query)."""
    return {
        entry.subject_id: entry
        for entry in JournalEntry.objects.filter(**for_subjects(model, ids)).select_related(
            "kle_topic"
        )
    }
