"""Writes: journal numbers for matters, and the documents received and sent on a thread."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from indgang.catalogue.models import KleEntry
from indgang.common.workdays import COPENHAGEN
from indgang.contacts.models import Thread
from indgang.journal.constants import SEQUENCE_DIGITS, DocumentDirection, JournalKind
from indgang.journal.models import Document, JournalEntry, JournalSequence


def next_journal_number(*, year: int) -> tuple[int, str]:
    """Take the year's next number; call inside a transaction (the sequence row stays locked)."""
    JournalSequence.objects.bulk_create([JournalSequence(year=year)], ignore_conflicts=True)
    JournalSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
    sequence = JournalSequence.objects.get(year=year).last_number
    return sequence, f"{year}-{sequence:0{SEQUENCE_DIGITS}d}"


@transaction.atomic
def journalise_thread(
    *,
    thread: Thread,
    kind: str,
    kle_topic: KleEntry | None,
    by: User,
    now: dt.datetime,
) -> JournalEntry:
    """Give the thread a journal number and KLE topic; a journalised thread keeps its number."""
    existing = JournalEntry.objects.filter(thread=thread).first()
    if existing is not None:
        return existing
    year = now.astimezone(COPENHAGEN).year
    sequence, number = next_journal_number(year=year)
    return JournalEntry.objects.create(
        thread=thread,
        number=number,
        year=year,
        sequence=sequence,
        kind=JournalKind(kind),
        kle_topic=kle_topic,
        journalised_at=now,
        journalised_by=by,
    )


@transaction.atomic
def add_document(
    *,
    thread: Thread,
    direction: DocumentDirection,
    title: str,
    dated: dt.date,
    by: User,
    now: dt.datetime,
    file: UploadedFile | None = None,
) -> Document:
    """List a document received or sent on the thread."""
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the document a title.")
    if dated > now.astimezone(COPENHAGEN).date():
        errors["dated"] = _("The document's date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    document = Document(
        thread=thread,
        direction=direction,
        title=title.strip(),
        dated=dated,
        registered_at=now,
        registered_by=by,
    )
    if file is not None:
        document.file.save(file.name or "document", file, save=False)
    document.save()
    return document
