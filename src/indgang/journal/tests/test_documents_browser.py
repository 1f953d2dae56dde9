"""A document's file in a real browser: upload it on the thread page, download it from its link,
and see a disguised HTML file refused.

Drives Debian's chromium through Playwright against pytest-django's live server, as the front
desk's browser test does. Elements are found by id, name and value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from indgang.audit.models import AccessLogEntry
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.tests.test_front_desk_browser import chromium, log_in, new_page
from indgang.journal.models import Document
from indgang.journal.tests.test_documents import HTML, tiny_pdf


def attach(page: Page, *, name: str, content: bytes) -> None:
    page.locator("#id_direction").select_option("received")
    page.locator("#id_title").fill("Klage")
    page.locator("#id_dated").fill("2026-11-19")
    page.locator("#id_file").set_input_files(
        files=FilePayload(name=name, mimeType="application/pdf", buffer=content)
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()


@pytest.mark.browser
def test_a_caseworker_uploads_a_pdf_downloads_it_and_a_disguised_html_file_is_refused(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    tmp_path: Path,
    staff: Staff,
    register: RegisterContact,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MEDIA_ROOT = tmp_path
    settings.CLAMAV_URL = ""
    contact = register(by=staff.caseworker, cpr=CPR_A, party_name="Anna Jensen")
    pdf = tiny_pdf()

    with chromium() as browser:
        page = new_page(browser, width=1280, height=900)
        log_in(page, base_url=live_server.url, username=staff.caseworker.username)
        page.goto(f"{live_server.url}/threads/{contact.thread_id}/documents/")

        attach(page, name="Klage.pdf", content=pdf)
        link = page.locator("td a[download]")
        expect(link).to_have_text("Klage.pdf")
        with page.expect_download() as downloading:
            link.click()
        download = downloading.value
        downloaded = Path(download.path()).read_bytes()

        attach(page, name="rapport.pdf", content=HTML)
        expect(page.locator("#id_file_error")).to_contain_text(
            "Filens indhold er HTML, som ikke kan uploades (uanset hvad filen hedder)."
        )

    assert download.suggested_filename == "Klage.pdf"
    assert downloaded == pdf
    assert list(Document.objects.values_list("filename", "content_type")) == [
        ("Klage.pdf", "application/pdf")
    ]
    assert AccessLogEntry.objects.filter(action="opened_document").count() == 1
