"""Writes: journal numbers for subjects (threads, cases), and the documents received and sent
on them. The caller has authorised the subject."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access
from indgang.catalogue.models import KleEntry
from indgang.common.filecrypt import encrypt
from indgang.common.filetypes import describe, detect_type, safe_name
from indgang.common.subjects import facts_of, subject_of
from indgang.common.uploads import OversizedUpload
from indgang.common.virusscan import ScannerUnavailableError, get_scanner
from indgang.common.workdays import COPENHAGEN
from indgang.journal.constants import SEQUENCE_DIGITS, DocumentDirection, JournalKind
from indgang.journal.models import Document, JournalEntry, JournalSequence
from indgang.journal.selectors import get_document_for, read_document
from indgang.organisation.selectors import Scope

logger = logging.getLogger(__name__)

# The encrypted copy stays in memory up to this size on its way to storage, then spools to a
# temporary file, which holds ciphertext only.
SPOOL_BYTES = 1024 * 1024


def next_journal_number(*, year: int) -> tuple[int, str]:
    """Take the year's next number; call inside a transaction (the sequence row stays locked)."""
    JournalSequence.objects.bulk_create([JournalSequence(year=year)], ignore_conflicts=True)
    JournalSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
    sequence = JournalSequence.objects.get(year=year).last_number
    return sequence, f"{year}-{sequence:0{SEQUENCE_DIGITS}d}"


@transaction.atomic
def journalise(
    *,
    subject: models.Model,
    kle_topic: KleEntry | None,
    kind: str,
    by: User,
    now: dt.datetime,
) -> JournalEntry:
    """Give the subject a journal number and KLE topic; a journalised subject keeps its number."""
    existing = JournalEntry.objects.filter(**subject_of(subject)).first()
    if existing is not None:
        return existing
    year = now.astimezone(COPENHAGEN).year
    sequence, number = next_journal_number(year=year)
    return JournalEntry.objects.create(
        **subject_of(subject),
        number=number,
        year=year,
        sequence=sequence,
        kind=JournalKind(kind),
        kle_topic=kle_topic,
        journalised_at=now,
        journalised_by=by,
    )


def add_document(
    *,
    subject: models.Model,
    direction: DocumentDirection,
    title: str,
    dated: dt.date,
    content: bytes | None,
    filename: str,
    by: User,
    now: dt.datetime,
) -> Document:
    """List a document made in Indgang (a letter's PDF) on the subject; its content, if any, is
    checked and encrypted as an upload is."""
    return upload_document(
        subject=subject,
        direction=direction,
        title=title,
        dated=dated,
        file=None if content is None else SimpleUploadedFile(filename, content),
        by=by,
        now=now,
    )


@transaction.atomic
def upload_document(
    *,
    subject: models.Model,
    direction: DocumentDirection,
    title: str,
    dated: dt.date,
    by: User,
    now: dt.datetime,
    file: UploadedFile | None = None,
) -> Document:
    """List a document received or sent on the subject, with its file checked and encrypted.

    A file is refused, and nothing stored, when it is too large, when its content is not of an
    allowed type (whatever its name says), or when the virus scanner finds something or does
    not answer.
    """
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the document a title.")
    if dated > now.astimezone(COPENHAGEN).date():
        errors["dated"] = _("The document's date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    document = Document(
        **subject_of(subject),
        direction=direction,
        title=title.strip(),
        dated=dated,
        registered_at=now,
        registered_by=by,
    )
    if file is None:
        document.save()
        return document
    document.content_type = _check_file(file)
    document.filename = safe_name(file.name or "", media_type=document.content_type)
    document.size = file.size
    document.file.name = _store_encrypted(file, year=now.astimezone(COPENHAGEN).year)
    try:
        document.save()
    except BaseException:
        default_storage.delete(document.file.name)
        raise
    return document


def _check_file(file: UploadedFile) -> str:
    """The media type of the file's content, once the file is within the size limit, of an
    allowed type and clean by the virus scanner; a ValidationError on `file` otherwise."""
    limit = settings.DOCUMENT_MAX_BYTES
    if isinstance(file, OversizedUpload) or (file.size or 0) > limit:
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s); at most %(limit)s can be uploaded.")
                % {"size": filesizeformat(file.size or 0), "limit": filesizeformat(limit)}
            }
        )
    media_type = detect_type(file)
    if media_type not in settings.DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "The file's content is %(type)s, which cannot be uploaded (whatever the "
                    "file is called). Allowed: %(allowed)s."
                )
                % {
                    "type": describe(media_type),
                    "allowed": ", ".join(describe(allowed) for allowed in settings.DOCUMENT_TYPES),
                }
            }
        )
    try:
        scan = get_scanner().scan(chunks=file.chunks())
    except ScannerUnavailableError as error:
        logger.error("Virus scanner unavailable; upload refused: %s", error)
        raise ValidationError(
            {
                "file": _(
                    "The virus scanner cannot be reached, so the file was not stored. "
                    "Try again later."
                )
            }
        ) from error
    if scan.infected:
        logger.warning("Virus scanner found %s in an upload; refused", scan.signature)
        raise ValidationError(
            {
                "file": _("The virus scanner found %(signature)s in the file; it was not stored.")
                % {"signature": scan.signature}
            }
        )
    return media_type


def _store_encrypted(file: UploadedFile, *, year: int) -> str:
    """Write the file encrypted to the default storage under a random name; return the name."""
    file.seek(0)
    with SpooledTemporaryFile(max_size=SPOOL_BYTES) as sealed:
        for chunk in encrypt(file.chunks()):
            sealed.write(chunk)
        sealed.seek(0)
        return default_storage.save(f"journal/{year}/{secrets.token_hex(16)}", File(sealed))


@dataclass(frozen=True)
class OpenedDocument:
    document: Document
    content: Iterator[bytes]


def open_document(
    *, scope: Scope, user: User, document_id: int, via: Via, now: dt.datetime
) -> OpenedDocument:
    """A document's file, decrypted as it is read, for a user who may read its subject; the
    read is logged against the subject and its party. Document.DoesNotExist when there is no
    such file or the user may not read its subject."""
    document = get_document_for(scope=scope, document_id=document_id)
    assert document.subject is not None  # noqa: S101 - get_document_for found it
    party_id = facts_of(document.subject).party_id
    if party_id is not None:
        log_access(
            user=user,
            party_id=party_id,
            subject=document.subject,
            action=AccessAction.OPENED_DOCUMENT,
            purpose=Purpose.CASEWORK,
            via=via,
            at=now,
            detail=f"document {document.pk}",
        )
    return OpenedDocument(document=document, content=read_document(document=document))
