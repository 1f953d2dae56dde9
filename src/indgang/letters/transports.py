"""The ways a letter leaves: a small registry of transports, enabled by LETTERS_TRANSPORTS.

Each transport takes the message and the letter's PDF and delivers it or raises; the outbox
records whatever it raised and tries again. Writing under the message's UUID makes a repeated
delivery overwrite, not duplicate, the file transport's and Digital Post's output.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from indgang.letters.constants import Transport
from indgang.letters.models import OutgoingMessage
from indgang.parties.constants import PartyKind
from indgang.parties.identifiers import decrypt_cpr

# Digitaliseringsstyrelsen's Message Model (MeMo) 1.x: https://digitaliser.dk/digital-post/vejledninger/memo
MEMO = "https://DigitalPost.dk/MeMo-1"
GRD = "https://data.gov.dk/model/core/"
MEMO_VERSION = "1.1"
ElementTree.register_namespace("memo", MEMO)
ElementTree.register_namespace("grd", GRD)


class DeliveryError(Exception):
    """The message cannot be delivered as it stands (no address, no identifier)."""


Deliver = Callable[[OutgoingMessage, bytes], None]


def deliver_to_file(message: OutgoingMessage, pdf: bytes) -> None:
    """Write the PDF and a JSON envelope to the spool directory's `file/` folder."""
    letter = message.letter
    envelope = {
        "message": str(message.uuid),
        "letter": letter.pk,
        "kind": letter.kind,
        "title": letter.title,
        "recipient": {"name": letter.recipient.name, "address": letter.recipient.address},
        "address": message.address,
        "subject": {"type": letter.subject_type.model, "id": letter.subject_id},
        "created_at": letter.created_at.isoformat(),
        "pdf": f"{message.uuid}.pdf",
    }
    folder = _spool("file")
    _write(folder / f"{message.uuid}.pdf", pdf)
    _write(folder / f"{message.uuid}.json", json.dumps(envelope, ensure_ascii=False).encode())


def deliver_by_email(message: OutgoingMessage, pdf: bytes) -> None:
    """E-mail the letter's text with the PDF attached, to the address given or the party's."""
    letter = message.letter
    address = message.address or letter.recipient.email
    if not address:
        raise DeliveryError(_("The recipient has no e-mail address."))
    email = EmailMessage(
        subject=letter.title,
        body=_(
            "Dear %(name)s\n\nYou have a letter from %(sender)s: %(title)s.\n"
            "The letter is attached as a PDF file.\n\nCase number: %(case)s"
        )
        % {
            "name": letter.recipient.name,
            "sender": settings.LETTERS_SENDER_NAME,
            "title": letter.title,
            "case": letter.case_number,
        },
        to=[address],
    )
    email.attach(f"{letter.title}.pdf", pdf, "application/pdf")
    email.send()


def deliver_by_digital_post(message: OutgoingMessage, pdf: bytes) -> None:
    """Write the message in MeMo to the spool directory's `digital_post/` folder, where the
    Digital Post gateway collects it."""
    _write(_spool("digital_post") / f"{message.uuid}.xml", memo_message(message, pdf))


def memo_message(message: OutgoingMessage, pdf: bytes) -> bytes:
    """The MeMo XML of a message: header (sender CVR, recipient CPR or CVR, case number as
    content data) and body with the PDF as main document."""
    letter = message.letter
    recipient = letter.recipient
    if recipient.kind == PartyKind.CITIZEN:
        id_type, recipient_id = "CPR", decrypt_cpr(recipient.cpr_encrypted)
    elif recipient.cvr:
        id_type, recipient_id = "CVR", recipient.cvr
    else:
        raise DeliveryError(_("The recipient has neither a CPR nor a CVR number."))
    root = ElementTree.Element(_memo("Message"), {"memoVersion": MEMO_VERSION})
    header = _child(root, "MessageHeader")
    _text(header, "messageType", "DIGITALPOST")
    _text(header, "messageUUID", str(message.uuid))
    _text(header, "messageID", f"letter-{letter.pk}")
    _text(header, "label", letter.title)
    _text(header, "mandatory", "false")
    _text(header, "legalNotification", "false")
    sender = _child(header, "Sender")
    _text(sender, "senderID", settings.LETTERS_SENDER_CVR)
    _text(sender, "idType", "CVR")
    _text(sender, "label", settings.LETTERS_SENDER_NAME)
    receiver = _child(header, "Recipient")
    _text(receiver, "recipientID", recipient_id)
    _text(receiver, "idType", id_type)
    _text(receiver, "label", recipient.name)
    content = _child(header, "ContentData")
    case = _child(content, "CaseID")
    _text(case, "caseID", letter.case_number)
    _text(case, "caseSystem", "Indgang")
    body = _child(root, "MessageBody")
    _text(body, "createdDateTime", letter.created_at.isoformat(timespec="seconds"))
    main = _child(body, "MainDocument")
    _text(main, "mainDocumentID", f"letter-{letter.pk}")
    _text(main, "label", letter.title)
    file = _child(main, "File")
    _text(file, "encodingFormat", "application/pdf")
    _text(file, "filename", f"{letter.title}.pdf")
    _text(file, "language", "da")
    _text(file, "content", base64.b64encode(pdf).decode("ascii"))
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def _memo(name: str) -> str:
    return f"{{{MEMO}}}{name}"


def _child(parent: ElementTree.Element, name: str) -> ElementTree.Element:
    return ElementTree.SubElement(parent, _memo(name))


def _text(parent: ElementTree.Element, name: str, value: str) -> None:
    _child(parent, name).text = value


def _spool(name: str) -> Path:
    return Path(settings.LETTERS_SPOOL_DIR) / name


def _write(path: Path, content: bytes) -> None:
    """Write whole or not at all: the collector never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    os.replace(partial, path)


REGISTRY: dict[str, Deliver] = {
    Transport.FILE: deliver_to_file,
    Transport.EMAIL: deliver_by_email,
    Transport.DIGITAL_POST: deliver_by_digital_post,
}


def enabled_transports() -> list[str]:
    """The transports the configuration allows, in the registry's order."""
    return [name for name in REGISTRY if name in settings.LETTERS_TRANSPORTS]


def get_transport(name: str) -> Deliver:
    """The enabled transport of this name; KeyError otherwise."""
    if name not in enabled_transports():
        raise KeyError(name)
    return REGISTRY[name]
