"""Writes: template versions, letters and their delivery through the outbox."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from indgang.common.filecrypt import encrypt
from indgang.common.subjects import subject_of
from indgang.common.workdays import COPENHAGEN
from indgang.letters.constants import MAX_ATTEMPTS, RETRY_BACKOFF, LetterKind, MessageStatus
from indgang.letters.models import Letter, LetterTemplate, LetterTemplateVersion, OutgoingMessage
from indgang.letters.rendering import check_template, pdf_of, render_letter, score, variables_of
from indgang.letters.selectors import current_version, read_letter_pdf
from indgang.letters.transports import enabled_transports, get_transport
from indgang.parties.models import Party

logger = logging.getLogger(__name__)


@transaction.atomic
def save_template_version(
    *, kind: str, title: str, body: str, by: User | None, now: dt.datetime
) -> LetterTemplateVersion:
    """Store a new version of the kind's template, with its LIX; the next letters use it.

    ValidationError (a Danish message per field) and nothing stored when the title or body does
    not compile or uses a variable the kind does not declare.
    """
    if kind not in LetterKind.values:
        raise ValidationError({"kind": _("Unknown kind of letter: %(kind)s.") % {"kind": kind}})
    check_template(kind=kind, title=title, body=body)
    template, _created = LetterTemplate.objects.get_or_create(kind=kind)
    # Lock the template: two editors saving at once get numbers one after the other.
    LetterTemplate.objects.select_for_update().filter(pk=template.pk).get()
    last = template.versions.aggregate(last=Max("number"))["last"] or 0
    return LetterTemplateVersion.objects.create(
        template=template,
        number=last + 1,
        title=title,
        body=body,
        lix=Decimal(str(score(kind=kind, body=body))),
        created_by=by,
        created_at=now,
    )


@transaction.atomic
def compose_letter(
    *,
    kind: str,
    subject: models.Model,
    recipient: Party,
    context: Mapping[str, object],
    by: User,
    now: dt.datetime,
) -> Letter:
    """Write a letter of this kind from the current template version: render HTML and PDF and
    store the PDF encrypted. The caller has authorised the subject.

    ValidationError when the context lacks a variable the kind declares or adds one it does not.
    """
    version = current_version(kind=kind)
    expected = set(variables_of(kind))
    missing, unknown = sorted(expected - set(context)), sorted(set(context) - expected)
    if missing or unknown:
        raise ValidationError(
            _(
                "The letter's data does not fit its kind. "
                "Missing: %(missing)s. Unknown: %(unknown)s."
            )
            % {"missing": ", ".join(missing) or "-", "unknown": ", ".join(unknown) or "-"}
        )
    title, html = render_letter(title=version.title, body=version.body, context=context)
    letter = Letter(
        **subject_of(subject),
        kind=kind,
        template_version=version,
        recipient=recipient,
        case_number=str(context["case_number"]),
        title=title,
        html=html,
        created_by=by,
        created_at=now,
    )
    letter.pdf.name = _store_encrypted(pdf_of(html), year=now.astimezone(COPENHAGEN).year)
    letter.save()
    return letter


def _store_encrypted(content: bytes, *, year: int) -> str:
    """Write the bytes encrypted to the default storage under a random name; return the name."""
    sealed = b"".join(encrypt([content]))
    return default_storage.save(f"letters/{year}/{secrets.token_hex(16)}", ContentFile(sealed))


@transaction.atomic
def send_letter(
    *, letter: Letter, transport: str, address: str = "", now: dt.datetime
) -> OutgoingMessage:
    """Queue the letter for a transport; the outbox delivers it in the background once this
    transaction commits. ValidationError when the transport is not enabled."""
    from indgang.letters.tasks import deliver  # tasks import this module

    if transport not in enabled_transports():
        raise ValidationError(
            {
                "transport": _(
                    "Letters cannot be sent by %(transport)s; choose among: %(enabled)s."
                )
                % {"transport": transport, "enabled": ", ".join(enabled_transports())}
            }
        )
    message = OutgoingMessage.objects.create(
        letter=letter, transport=transport, address=address, queued_at=now, next_attempt_at=now
    )
    deliver.enqueue(message_id=message.pk)
    return message


def deliver_message(*, message_id: int, now: dt.datetime) -> OutgoingMessage:
    """Try to deliver a queued message once; a sent or given-up message is left as it is.

    A failure is recorded with the error and tried again after RETRY_BACKOFF, up to
    MAX_ATTEMPTS attempts; then the message is failed.
    """
    with transaction.atomic():
        message = (
            OutgoingMessage.objects.select_for_update()
            .select_related("letter__recipient", "letter__subject_type")
            .get(pk=message_id)
        )
        if message.status != MessageStatus.QUEUED:
            return message
        message.attempts += 1
        if message.transport not in enabled_transports():
            # Configured away since it was queued: trying again cannot help.
            _give_up(message, error=_("The transport is not enabled."))
        else:
            try:
                get_transport(message.transport)(message, read_letter_pdf(letter=message.letter))
            except Exception as error:  # whatever a transport meets is recorded and retried
                logger.warning(
                    "Letter message %s failed (attempt %s)", message.pk, message.attempts
                )
                if message.attempts >= MAX_ATTEMPTS:
                    _give_up(message, error=str(error) or type(error).__name__)
                else:
                    message.last_error = str(error) or type(error).__name__
                    message.next_attempt_at = now + RETRY_BACKOFF * message.attempts
            else:
                message.status, message.sent_at = MessageStatus.SENT, now
                message.next_attempt_at, message.last_error = None, ""
        message.save()
    return message


def _give_up(message: OutgoingMessage, *, error: str) -> None:
    message.status, message.next_attempt_at, message.last_error = MessageStatus.FAILED, None, error


def pending_message_ids(*, now: dt.datetime, waiting_too: bool = False) -> list[int]:
    """Queued messages whose next attempt is due; with `waiting_too`, every queued message."""
    queued = OutgoingMessage.objects.filter(status=MessageStatus.QUEUED)
    if not waiting_too:
        queued = queued.filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
    return list(queued.order_by("pk").values_list("pk", flat=True))


def deliver_pending(*, now: dt.datetime, waiting_too: bool = False) -> list[OutgoingMessage]:
    """Try each queued message that is due (with `waiting_too`: each one) once; return them as
    they ended."""
    return [
        deliver_message(message_id=pk, now=now)
        for pk in pending_message_ids(now=now, waiting_too=waiting_too)
    ]
