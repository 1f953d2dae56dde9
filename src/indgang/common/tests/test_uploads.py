from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile, UploadedFile
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from indgang.common.uploads import OversizedUpload


def parsed(content: bytes, *extra: bytes) -> list[UploadedFile]:
    """The files of a multipart request as the configured upload handlers give them."""
    files = {"file": SimpleUploadedFile("brev.pdf", content)}
    files |= {f"extra{n}": SimpleUploadedFile("bilag.pdf", data) for n, data in enumerate(extra)}
    request = RequestFactory().post("/threads/1/documents/", files)
    return [upload for name in files for upload in request.FILES.getlist(name)]


def test_an_upload_above_djangos_spool_size_stays_in_memory(
    settings: Settings, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    content = b"%PDF-1.4\n" + b"x" * (3 * 1024 * 1024)  # Django's handlers spool above 2.5 MB

    [upload] = parsed(content)

    assert type(upload) is InMemoryUploadedFile
    assert upload.size == len(content)
    assert upload.read() == content
    assert list(tmp_path.iterdir()) == []


def test_bytes_beyond_the_bound_are_counted_not_kept(settings: Settings, tmp_path: Path) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    settings.DOCUMENT_MAX_BYTES = 1000

    [upload] = parsed(b"y" * 1500)

    assert isinstance(upload, OversizedUpload)
    assert upload.size == 1500
    assert upload.read() == b""
    assert list(tmp_path.iterdir()) == []


def test_the_bound_holds_for_all_of_a_requests_files_together(settings: Settings) -> None:
    settings.DOCUMENT_MAX_BYTES = 1000

    first, second, third = parsed(b"a" * 600, b"b" * 300, b"c" * 200)

    assert [type(upload) for upload in (first, second, third)] == [
        InMemoryUploadedFile,
        InMemoryUploadedFile,
        OversizedUpload,
    ]
    assert [upload.size for upload in (first, second, third)] == [600, 300, 200]
