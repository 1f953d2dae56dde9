"""Journal documents' files: limits read from the content, a virus scan, encryption at rest, and
downloads only for those who may read the thread, each logged."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from indgang.audit.constants import Via
from indgang.audit.models import AccessLogEntry
from indgang.common.filecrypt import DecryptionError
from indgang.common.filetypes import DOCX, ODT, XLSX, safe_name
from indgang.common.tests.clamd import EICAR, EICAR_FOUND_AS, nothing_listening, real_clamd
from indgang.conftest import CPR_A, PASSWORD, ApiFor, RegisterContact, Staff
from indgang.contacts.models import Contact
from indgang.journal.constants import DocumentDirection
from indgang.journal.models import Document
from indgang.journal.services import open_document, upload_document
from indgang.organisation.selectors import get_scope

ALLOWED = (
    "PDF, PNG, JPEG, TIFF, ren tekst, Word (DOCX), Excel (XLSX), OpenDocument-tekst (ODT), "
    "e-mail (EML), Outlook-besked (MSG)"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def tiny_pdf(text: str = "Klage over byggetilladelse") -> bytes:
    """A real one-page PDF that shows `text`, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


def zipped(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    """Uploads land in a folder of the test's own, and so would any temporary file."""
    settings.LANGUAGE_CODE = "da"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    settings.CLAMAV_URL = ""
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def stored(media: Path) -> list[Path]:
    """Every file written, uploads' temporary files included."""
    return sorted(
        path
        for folder in (media, media.parent / "upload-tmp")
        for path in folder.rglob("*")
        if path.is_file()
    )


@pytest.fixture
def contact(register: RegisterContact, staff: Staff) -> Contact:
    """A contact in the building department, with a citizen as its party."""
    return register(by=staff.caseworker, cpr=CPR_A, party_name="Anna Jensen")


def browser(user: Any) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def upload(name: str, content: bytes) -> dict[str, Any]:
    """The form both the thread page and the API take, with the file as a browser sends it."""
    return {
        "direction": "received",
        "title": "Klage",
        "dated": "2026-11-19",
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
    }


def post_html(client: Client, contact: Contact, name: str, content: bytes) -> Any:
    return client.post(f"/threads/{contact.thread_id}/documents/", upload(name, content))


def post_api(api: Any, contact: Contact, name: str, content: bytes) -> Any:
    return api.post(
        f"/api/v1/threads/{contact.thread_id}/journal/", upload(name, content), format="multipart"
    )


def add(contact: Contact, by: Any, file: SimpleUploadedFile | None = None) -> Document:
    """A document listed on the contact's thread through the service, dated today."""
    return upload_document(
        subject=contact.thread,
        direction=DocumentDirection.RECEIVED,
        title="Bilag",
        dated=timezone.localdate(),
        by=by,
        now=timezone.now(),
        file=file,
    )


def assert_refused(message: str, *, page: Any, api: Any) -> None:
    """The thread page and the API both refused the file with the Danish message."""
    assert page.status_code == 400
    assert message in page.content.decode()
    assert api.status_code == 400
    assert api.json() == {"file": [message]}


def body_of(response: Any) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_pdf_uploaded_on_the_thread_page_is_stored_encrypted_under_a_random_name(
    contact: Contact, staff: Staff, media: Path
) -> None:
    pdf = tiny_pdf()

    response = post_html(browser(staff.caseworker), contact, "../Klage fra borger.pdf", pdf)

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.filename, document.content_type, document.size) == (
        "Klage fra borger.pdf",
        "application/pdf",
        len(pdf),
    )
    assert re.fullmatch(r"journal/\d{4}/[0-9a-f]{32}", document.file.name)
    [on_disk] = stored(media)
    assert on_disk == media / document.file.name
    sealed = on_disk.read_bytes()
    assert sealed.startswith(b"IGD1")
    assert b"%PDF" not in sealed
    assert b"byggetilladelse" not in sealed
    assert len(sealed) == 4 + 16 + 7 + len(pdf) + 16


@pytest.mark.django_db
def test_the_reader_of_the_thread_downloads_the_file_and_the_read_is_logged(
    contact: Contact, staff: Staff
) -> None:
    pdf = tiny_pdf()
    post_html(browser(staff.caseworker), contact, "Klage.pdf", pdf)
    document = Document.objects.get()

    page = browser(staff.caseworker).get(f"/threads/{contact.thread_id}/documents/")
    response = browser(staff.caseworker).get(f"/documents/{document.pk}/content/")

    assert f'href="/documents/{document.pk}/content/"' in page.content.decode()
    assert response.status_code == 200
    assert body_of(response) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(pdf))
    assert response["Content-Disposition"] == 'attachment; filename="Klage.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    entry = AccessLogEntry.objects.get(action="opened_document")
    assert (entry.user, entry.party_id, entry.purpose, entry.via, entry.detail) == (
        staff.caseworker,
        contact.party_id,
        "casework",
        "ui",
        f"document {document.pk}",
    )


@pytest.mark.django_db
def test_the_api_answers_with_the_download_url_and_serves_the_file_to_the_threads_reader(
    contact: Contact, staff: Staff, api_for: ApiFor
) -> None:
    pdf = tiny_pdf()
    api = api_for(staff.caseworker)

    created = post_api(api, contact, "Afgørelse.pdf", pdf)
    document = Document.objects.get()
    listed = api.get(f"/api/v1/threads/{contact.thread_id}/journal/").json()["documents"]
    response = api.get(f"/api/v1/documents/{document.pk}/content/")

    assert created.status_code == 201
    url = f"http://testserver/api/v1/documents/{document.pk}/content/"
    assert {key: created.json()[key] for key in ("file", "filename", "content_type", "size")} == {
        "file": url,
        "filename": "Afgørelse.pdf",
        "content_type": "application/pdf",
        "size": len(pdf),
    }
    assert listed[0]["file"] == url
    assert response.status_code == 200
    assert body_of(response) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''Afg%C3%B8relse.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert list(AccessLogEntry.objects.filter(action="opened_document").values_list("via")) == [
        ("api",)
    ]


@pytest.mark.django_db
def test_a_file_altered_on_disk_is_refused_before_the_answer_starts(
    contact: Contact, staff: Staff, media: Path
) -> None:
    document = add(contact, staff.caseworker, SimpleUploadedFile("Klage.pdf", tiny_pdf()))
    on_disk = media / document.file.name
    sealed = bytearray(on_disk.read_bytes())
    sealed[40] ^= 1
    on_disk.write_bytes(bytes(sealed))

    with pytest.raises(DecryptionError):
        open_document(
            scope=get_scope(user=staff.caseworker),
            user=staff.caseworker,
            document_id=document.pk,
            via=Via.API,
            now=timezone.now(),
        )


@pytest.mark.django_db
def test_staff_who_may_not_read_the_thread_get_404_and_no_read_is_logged(
    contact: Contact, staff: Staff, api_for: ApiFor
) -> None:
    post_html(browser(staff.caseworker), contact, "Klage.pdf", tiny_pdf())
    document = Document.objects.get()
    reads_before = AccessLogEntry.objects.filter(action="opened_document").count()

    statuses = [
        browser(user).get(f"/documents/{document.pk}/content/").status_code
        for user in (staff.other_caseworker, staff.frontline)
    ] + [
        api_for(user).get(f"/api/v1/documents/{document.pk}/content/").status_code
        for user in (staff.other_caseworker, staff.frontline)
    ]
    api_refusal = api_for(staff.other_caseworker).get(f"/api/v1/documents/{document.pk}/content/")

    assert statuses == [404, 404, 404, 404]
    assert api_refusal.json() == {"detail": "Findes ikke, eller du må ikke se den."}
    assert reads_before == 0
    assert AccessLogEntry.objects.filter(action="opened_document").count() == 0
    assert Client().get(f"/documents/{document.pk}/content/").status_code == 302  # to login


@pytest.mark.django_db
def test_a_document_without_a_file_has_no_download(
    contact: Contact, staff: Staff, api_for: ApiFor
) -> None:
    document = add(contact, staff.caseworker)

    listed = api_for(staff.caseworker).get(f"/api/v1/threads/{contact.thread_id}/journal/")

    assert listed.json()["documents"][0]["file"] is None
    assert browser(staff.caseworker).get(f"/documents/{document.pk}/content/").status_code == 404


@pytest.mark.django_db
def test_html_named_pdf_is_refused_by_its_content_on_the_page_and_in_the_api(
    contact: Contact, staff: Staff, api_for: ApiFor, media: Path
) -> None:
    message = (
        "Filens indhold er HTML, som ikke kan uploades (uanset hvad filen hedder). "
        f"Tilladt: {ALLOWED}."
    )

    page = post_html(browser(staff.caseworker), contact, "rapport.pdf", HTML)
    api = post_api(api_for(staff.caseworker), contact, "rapport.pdf", HTML)

    assert_refused(message, page=page, api=api)
    assert Document.objects.count() == 0
    assert stored(media) == []


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_on_the_page(
    contact: Contact, staff: Staff, settings: Settings, media: Path
) -> None:
    settings.DOCUMENT_MAX_BYTES = 2048

    response = post_html(browser(staff.caseworker), contact, "Klage.pdf", tiny_pdf() + b" " * 2000)

    assert response.status_code == 400
    assert (
        "Filen er for stor (2,5\xa0KB); der kan højst uploades 2,0\xa0KB."
        in response.content.decode()
    )
    assert Document.objects.count() == 0
    assert stored(media) == []


@pytest.mark.django_db
def test_30_mb_is_refused_by_the_api_and_nothing_is_stored(
    contact: Contact, staff: Staff, api_for: ApiFor, media: Path
) -> None:
    big = tiny_pdf() + b"\0" * (30 * 1024 * 1024)

    response = post_api(api_for(staff.caseworker), contact, "Stor.pdf", big)

    assert response.status_code == 400
    assert response.json() == {
        "file": ["Filen er for stor (30,0\xa0MB); der kan højst uploades 25,0\xa0MB."]
    }
    assert Document.objects.count() == 0
    assert stored(media) == []


@pytest.mark.django_db
def test_clamd_passes_a_clean_upload_and_an_infected_one_is_refused(
    contact: Contact,
    staff: Staff,
    api_for: ApiFor,
    settings: Settings,
    media: Path,
    tmp_path: Path,
) -> None:
    message = f"Virusscanneren fandt {EICAR_FOUND_AS} i filen; den er ikke gemt."
    (tmp_path / "clamd").mkdir()
    with real_clamd(tmp_path / "clamd") as url:
        settings.CLAMAV_URL = url
        clean = post_api(api_for(staff.caseworker), contact, "Klage.pdf", tiny_pdf())
        page = post_html(browser(staff.caseworker), contact, "eicar.txt", EICAR)
        api = post_api(api_for(staff.caseworker), contact, "eicar.com", EICAR)

    assert clean.status_code == 201
    assert_refused(message, page=page, api=api)
    assert list(Document.objects.values_list("filename", flat=True)) == ["Klage.pdf"]
    assert len(stored(media)) == 1


@pytest.mark.django_db
def test_an_unreachable_virus_scanner_refuses_the_upload(
    contact: Contact, staff: Staff, api_for: ApiFor, settings: Settings, media: Path
) -> None:
    settings.CLAMAV_URL = nothing_listening()
    message = "Virusscanneren kan ikke nås, så filen er ikke gemt. Prøv igen senere."

    page = post_html(browser(staff.caseworker), contact, "Klage.pdf", tiny_pdf())
    api = post_api(api_for(staff.caseworker), contact, "Klage.pdf", tiny_pdf())

    assert_refused(message, page=page, api=api)
    assert Document.objects.count() == 0
    assert stored(media) == []


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.png", PNG, ("scan.png", "image/png")),
        (
            "foto",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
            ("foto.jpg", "image/jpeg"),
        ),
        ("fax.tif", b"II*\x00\x08\x00\x00\x00\x00\x00", ("fax.tif", "image/tiff")),
        (
            "notat.html",
            b"Hej, jeg ringer om fjernvarme.\n",
            ("notat.html.txt", "text/plain"),
        ),
        (
            "brev.docx",
            zipped(
                {
                    "[Content_Types].xml": "<Types/>",
                    "_rels/.rels": "<x/>",
                    "word/document.xml": "<w:document/>",
                }
            ),
            ("brev.docx", DOCX),
        ),
        (
            "ark.xlsx",
            zipped(
                {
                    "[Content_Types].xml": "<Types/>",
                    "_rels/.rels": "<x/>",
                    "xl/workbook.xml": "<workbook/>",
                }
            ),
            ("ark.xlsx", XLSX),
        ),
        ("brev.odt", zipped({"mimetype": ODT, "content.xml": "<x/>"}), ("brev.odt", ODT)),
        (
            "mail.eml",
            b"From: a@example.dk\nTo: b@example.dk\nSubject: Klage\n"
            b"Date: Mon, 2 Nov 2026 10:00:00 +0100\n\nTekst\n",
            ("mail.eml", "message/rfc822"),
        ),
    ],
)
@pytest.mark.django_db
def test_allowed_types_are_known_by_their_content_and_named_to_match(
    contact: Contact, staff: Staff, name: str, content: bytes, expected: tuple[str, str]
) -> None:
    document = add(contact, staff.caseworker, SimpleUploadedFile(name, content))

    assert (document.filename, document.content_type) == expected


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (HTML, "HTML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (Path(shutil.which("ls") or "/bin/ls").read_bytes()[:65536], "program"),
        # libmagic takes it for Word by its first entries; it lacks word/document.xml.
        (
            zipped(
                {"[Content_Types].xml": "<Types/>", "_rels/.rels": "<x/>", "word/evil.xml": "<x/>"}
            ),
            "ZIP",
        ),
        (b"", "tom fil"),
    ],
)
@pytest.mark.django_db
def test_other_types_are_refused_by_name_whatever_the_file_is_called(
    contact: Contact, staff: Staff, content: bytes, named: str
) -> None:
    with pytest.raises(ValidationError) as error:
        add(contact, staff.caseworker, SimpleUploadedFile("bilag.pdf", content))

    assert error.value.message_dict == {
        "file": [
            f"Filens indhold er {named}, som ikke kan uploades (uanset hvad filen hedder). "
            f"Tilladt: {ALLOWED}."
        ]
    }
    assert Document.objects.count() == 0


def test_the_shown_name_loses_folders_and_control_characters_and_keeps_150_characters() -> None:
    assert safe_name("C:\\Users\\sb\\Brev.PDF", media_type="application/pdf") == "Brev.PDF"
    assert safe_name("../../etc/pass\x00wd\n", media_type="text/plain") == "passwd.txt"
    assert safe_name("", media_type="image/png") == "dokument.png"
    assert safe_name("a" * 300 + ".pdf", media_type="application/pdf") == "a" * 146 + ".pdf"
