"""Uploads held in memory within a bound: no plain copy of an upload touches the disk, and an
upload too large is counted, not kept."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(InMemoryUploadedFile):
    """An upload beyond the request's bound: its `size` is what was sent, its content empty."""


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keep a request's uploads in memory up to `DOCUMENT_MAX_BYTES` in all.

    Django's own handlers write an upload above 2.5 MB to a temporary file in plain text; this
    one never does. Bytes beyond the bound are counted and dropped, and the file arrives as an
    `OversizedUpload` that the service refuses by its real size.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.budget = settings.DOCUMENT_MAX_BYTES
        self.buffer = BytesIO()
        self.oversized = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if not self.oversized and len(raw_data) <= self.budget:
            self.buffer.write(raw_data)
            self.budget -= len(raw_data)
        elif not self.oversized:
            self.oversized = True
            self.budget += self.buffer.tell()
            self.buffer = BytesIO()

    def file_complete(self, file_size: int) -> UploadedFile:
        self.buffer.seek(0)
        kind = OversizedUpload if self.oversized else InMemoryUploadedFile
        return kind(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
