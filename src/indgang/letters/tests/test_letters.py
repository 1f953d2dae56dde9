"""Letters: composed from the current version, PDF stored encrypted, sent by each transport
through the outbox, retried on failure."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from pypdf import PdfReader
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from indgang.conftest import CPR_A, CVR_A, Staff
from indgang.letters.constants import MAX_ATTEMPTS, RETRY_BACKOFF, LetterKind, MessageStatus
from indgang.letters.models import Letter, OutgoingMessage
from indgang.letters.rendering import example_context
from indgang.letters.selectors import letters_for_subject, read_letter_pdf
from indgang.letters.services import (
    compose_letter,
    deliver_message,
    deliver_pending,
    save_template_version,
    send_letter,
)
from indgang.parties.models import Party

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MEMO = "{https://DigitalPost.dk/MeMo-1}"

Compose = Callable[..., Letter]


@pytest.fixture
def compose(staff: Staff, citizen: Party, company: Party) -> Compose:
    """Compose a letter to the citizen about the company (any model may be a subject)."""

    def _compose(kind: str = LetterKind.DEFICIENCY, **changes: object) -> Letter:
        context = {**example_context(kind), **changes}
        return compose_letter(
            kind=kind,
            subject=company,
            recipient=citizen,
            context=context,
            by=staff.caseworker,
            now=NOW,
        )

    return _compose


def memo_of(folders: Path, message: OutgoingMessage) -> Element:
    """The MeMo message the Digital Post transport wrote, parsed back."""
    path = folders / "spool" / "digital_post" / f"{message.uuid}.xml"
    return ElementTree.fromstring(path.read_bytes())


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_a_letter_is_rendered_to_html_and_a_pdf_stored_encrypted(
    compose: Compose, citizen: Party, company: Party, staff: Staff
) -> None:
    letter = compose(missing_items=["En tegning af facaden", "Et situationsplan med mål"])
    assert letter.template_version.number == 1
    assert letter.title == "Vi mangler oplysninger til din ansøgning"
    assert letter.case_number == "2026-000123"
    assert (letter.recipient, letter.subject, letter.created_by) == (
        citizen,
        company,
        staff.caseworker,
    )
    assert "<li>En tegning af facaden</li><li>Et situationsplan med mål</li>" in letter.html
    with default_storage.open(letter.pdf.name, "rb") as stored:
        assert not stored.read().startswith(b"%PDF")
    pdf = read_letter_pdf(letter=letter)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Vi mangler oplysninger til din ansøgning" in text
    assert "Vi skal have det senest den 16. marts 2026." in text
    assert "Testkommune" in text
    assert "Sagsnummer: 2026-000123" in text


@pytest.mark.django_db
def test_a_letter_keeps_the_version_it_used_after_the_template_changes(
    compose: Compose, staff: Staff
) -> None:
    first = compose()
    save_template_version(
        kind=LetterKind.DEFICIENCY,
        title="Mangler i sag {{ case_number }}",
        body="<p>Send {{ missing_items|join:', ' }} senest {{ deadline_date|date:'j. F' }}.</p>",
        by=staff.admin,
        now=NOW,
    )
    second = compose()
    first.refresh_from_db()
    assert (first.template_version.number, second.template_version.number) == (1, 2)
    assert first.title == "Vi mangler oplysninger til din ansøgning"
    assert second.title == "Mangler i sag 2026-000123"
    assert "Send En tegning af facaden, Et situationsplan med mål senest 16. marts." in pdf_text(
        read_letter_pdf(letter=second)
    )


@pytest.mark.django_db
def test_a_letter_whose_data_does_not_fit_its_kind_is_refused(compose: Compose) -> None:
    with pytest.raises(ValidationError) as refusal:
        compose(LetterKind.RECEIPT, decision_text="Ja")
    assert refusal.value.messages == [
        "Brevets data passer ikke til brevtypen. Mangler: -. Ukendt: decision_text."
    ]
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_letters_for_subject_lists_that_subject_s_letters_newest_first(
    compose: Compose, staff: Staff, citizen: Party, company: Party
) -> None:
    first, second = compose(), compose(LetterKind.RECEIPT)
    compose_letter(
        kind=LetterKind.RECEIPT,
        subject=citizen,
        recipient=citizen,
        context=example_context(LetterKind.RECEIPT),
        by=staff.caseworker,
        now=NOW + dt.timedelta(hours=1),
    )
    assert list(letters_for_subject(subject=company)) == [second, first]


def sent(
    letter: Letter,
    transport: str,
    capture: DjangoCaptureOnCommitCallbacks,
    address: str = "",
) -> OutgoingMessage:
    with capture(execute=True):
        message = send_letter(letter=letter, transport=transport, address=address, now=NOW)
    message.refresh_from_db()
    return message


@pytest.mark.django_db
def test_the_file_transport_writes_the_pdf_and_an_envelope(
    compose: Compose,
    letter_folders: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    letter = compose()
    message = sent(letter, "file", django_capture_on_commit_callbacks)
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 1, "")
    folder = letter_folders / "spool" / "file"
    envelope = json.loads((folder / f"{message.uuid}.json").read_text())
    assert envelope == {
        "message": str(message.uuid),
        "letter": letter.pk,
        "kind": "deficiency",
        "title": "Vi mangler oplysninger til din ansøgning",
        "recipient": {"name": "Mette Hansen", "address": "Skovvej 12, 8000 Aarhus C"},
        "address": "",
        "subject": {"type": "party", "id": letter.subject_id},
        "created_at": "2026-03-02T09:00:00+00:00",
        "pdf": f"{message.uuid}.pdf",
    }
    assert (folder / f"{message.uuid}.pdf").read_bytes() == read_letter_pdf(letter=letter)
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [f"{message.uuid}.json", f"{message.uuid}.pdf"]
    )


@pytest.mark.django_db
def test_digital_post_writes_a_memo_message_with_the_pdf(
    compose: Compose,
    letter_folders: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    letter = compose()
    message = sent(letter, "digital_post", django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.SENT
    root = memo_of(letter_folders, message)
    assert root.tag == f"{MEMO}Message"
    assert root.get("memoVersion") == "1.1"
    header = root.find(f"{MEMO}MessageHeader")
    assert header is not None

    def at(path: str, parent: Element | None = None) -> str | None:
        return (header if parent is None else parent).findtext(
            "/".join(f"{MEMO}{part}" for part in path.split("/"))
        )

    assert at("messageType") == "DIGITALPOST"
    assert at("messageUUID") == str(message.uuid)
    assert at("messageID") == f"letter-{letter.pk}"
    assert at("label") == "Vi mangler oplysninger til din ansøgning"
    assert at("mandatory") == "false"
    assert (at("Sender/senderID"), at("Sender/idType"), at("Sender/label")) == (
        "29189978",
        "CVR",
        "Testkommune",
    )
    assert (at("Recipient/recipientID"), at("Recipient/idType")) == (CPR_A, "CPR")
    assert at("ContentData/CaseID/caseID") == "2026-000123"
    body = root.find(f"{MEMO}MessageBody")
    assert body is not None
    assert at("createdDateTime", body) == "2026-03-02T09:00:00+00:00"
    assert at("MainDocument/File/encodingFormat", body) == "application/pdf"
    assert at("MainDocument/File/language", body) == "da"
    content = base64.b64decode(at("MainDocument/File/content", body) or "")
    assert content == read_letter_pdf(letter=letter)


@pytest.mark.django_db
def test_digital_post_to_a_company_names_its_cvr(
    staff: Staff,
    company: Party,
    letter_folders: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    letter = compose_letter(
        kind=LetterKind.INSPECTION_NOTICE,
        subject=company,
        recipient=company,
        context=example_context(LetterKind.INSPECTION_NOTICE),
        by=staff.caseworker,
        now=NOW,
    )
    message = sent(letter, "digital_post", django_capture_on_commit_callbacks)
    recipient = memo_of(letter_folders, message).find(f"{MEMO}MessageHeader/{MEMO}Recipient")
    assert recipient is not None
    assert recipient.findtext(f"{MEMO}recipientID") == CVR_A
    assert recipient.findtext(f"{MEMO}idType") == "CVR"


@pytest.mark.django_db
def test_e_mail_attaches_the_pdf(
    compose: Compose, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    letter = compose()
    message = sent(letter, "email", django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.SENT
    [email] = mail.outbox
    assert email.to == ["mette@example.dk"]
    assert email.subject == "Vi mangler oplysninger til din ansøgning"
    assert "Kære Mette Hansen" in email.body
    [(name, content, media_type)] = email.attachments
    assert (name, media_type) == ("Vi mangler oplysninger til din ansøgning.pdf", "application/pdf")
    assert content == read_letter_pdf(letter=letter)


@pytest.mark.django_db
def test_a_disabled_transport_is_refused_and_nothing_queued(
    compose: Compose, settings: Settings
) -> None:
    settings.LETTERS_TRANSPORTS = ["file"]
    letter = compose()
    with pytest.raises(ValidationError) as refusal:
        send_letter(letter=letter, transport="email", now=NOW)
    assert refusal.value.message_dict == {
        "transport": ["Breve kan ikke sendes med email; vælg blandt: file."]
    }
    assert OutgoingMessage.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_delivery_is_recorded_retried_and_finally_given_up(
    compose: Compose, letter_folders: Path
) -> None:
    (letter_folders / "spool").write_text("not a folder")  # the spool cannot be written
    queued = send_letter(letter=compose(), transport="file", now=NOW)
    message = deliver_message(message_id=queued.pk, now=NOW)
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.last_error.startswith("[Errno 20] Not a directory")
    assert message.next_attempt_at == NOW + RETRY_BACKOFF
    # Not due yet: nothing is tried.
    assert deliver_pending(now=NOW + RETRY_BACKOFF - dt.timedelta(seconds=1)) == []
    for attempt in range(2, MAX_ATTEMPTS + 1):
        tried_at = message.next_attempt_at
        assert tried_at is not None
        [message] = deliver_pending(now=tried_at)
        assert message.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert message.next_attempt_at == tried_at + RETRY_BACKOFF * attempt
    assert (message.status, message.next_attempt_at) == (MessageStatus.FAILED, None)
    assert deliver_pending(now=NOW + dt.timedelta(days=1)) == []


@pytest.mark.django_db
def test_a_retry_after_the_fault_is_mended_sends_once(
    compose: Compose,
    letter_folders: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    blocker = letter_folders / "spool"
    blocker.write_text("not a folder")
    message = sent(compose(), "file", django_capture_on_commit_callbacks)
    blocker.unlink()
    output = io.StringIO()
    call_command("send_letters", stdout=output)
    assert output.getvalue() == "0 of 0 letters sent.\n"  # the message waits out its failure
    call_command("send_letters", "--all", stdout=output)
    assert output.getvalue().endswith("1 of 1 letters sent.\n")
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 2, "")
    # Delivered again (a task delivered twice): a sent message is left as it is.
    again = deliver_message(message_id=message.pk, now=NOW + dt.timedelta(hours=1))
    assert (again.status, again.attempts, again.sent_at) == (
        MessageStatus.SENT,
        2,
        message.sent_at,
    )


@pytest.mark.django_db
def test_e_mail_to_a_party_without_an_address_is_recorded_as_a_failed_attempt(
    staff: Staff, company: Party
) -> None:
    letter = compose_letter(
        kind=LetterKind.RECEIPT,
        subject=company,
        recipient=company,
        context=example_context(LetterKind.RECEIPT),
        by=staff.caseworker,
        now=NOW,
    )
    queued = send_letter(letter=letter, transport="email", now=NOW)
    message = deliver_message(message_id=queued.pk, now=NOW)
    assert (message.status, message.attempts, message.sent_at) == (MessageStatus.QUEUED, 1, None)
    assert message.last_error == "Modtageren har ingen e-mailadresse."
    assert mail.outbox == []
