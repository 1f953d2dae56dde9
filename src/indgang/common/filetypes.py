"""What a file is, from its content (libmagic), never from its name."""

from __future__ import annotations

import zipfile
from typing import IO, NamedTuple

import magic
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# libmagic reads at most this much of a file (its own default, MAGIC_PARAM_BYTES_MAX, is 1 MiB).
HEAD_BYTES = 1024 * 1024


class FileType(NamedTuple):
    label: str | Promise
    extensions: tuple[str, ...]


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# Types named to the user: the ones an installation may allow, and the common ones refused.
KNOWN_TYPES: dict[str, FileType] = {
    "application/pdf": FileType("PDF", (".pdf",)),
    "image/png": FileType("PNG", (".png",)),
    "image/jpeg": FileType("JPEG", (".jpg", ".jpeg")),
    "image/tiff": FileType("TIFF", (".tif", ".tiff")),
    "text/plain": FileType(_("plain text"), (".txt",)),
    DOCX: FileType("Word (DOCX)", (".docx",)),
    XLSX: FileType("Excel (XLSX)", (".xlsx",)),
    ODT: FileType(_("OpenDocument text (ODT)"), (".odt",)),
    "message/rfc822": FileType(_("e-mail (EML)"), (".eml",)),
    "application/vnd.ms-outlook": FileType(_("Outlook message (MSG)"), (".msg",)),
    "text/html": FileType("HTML", (".html",)),
    "image/svg+xml": FileType("SVG", (".svg",)),
    "application/zip": FileType("ZIP", (".zip",)),
    "application/x-executable": FileType(_("program"), ()),
    "application/x-pie-executable": FileType(_("program"), ()),
    "application/x-sharedlib": FileType(_("program"), ()),
    "application/x-dosexec": FileType(_("Windows program"), (".exe",)),
    "application/x-empty": FileType(_("empty file"), ()),
}

# The part each zip-based office format must hold: libmagic reads the first entries' names only.
ZIP_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", ODT: "mimetype"}


def describe(media_type: str) -> str:
    """The type's name for a message: its label, or the media type itself when unknown."""
    known = KNOWN_TYPES.get(media_type)
    return str(known.label) if known else media_type


def detect_type(file: IO[bytes]) -> str:
    """The media type of the file's content; a zip-based office document only when the zip
    opens and holds its format's main part. Leaves the file at its start."""
    file.seek(0)
    media_type = str(magic.from_buffer(file.read(HEAD_BYTES), mime=True))
    part = ZIP_PARTS.get(media_type)
    if part is not None:
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if part not in names or (
                    # Read only a mimetype entry of its own size, never a zip bomb's.
                    media_type == ODT
                    and (
                        archive.getinfo(part).file_size != len(ODT)
                        or archive.read(part) != ODT.encode()
                    )
                ):
                    media_type = "application/zip"
        except zipfile.BadZipFile:
            media_type = "application/octet-stream"
    file.seek(0)
    return media_type


def safe_name(name: str, *, media_type: str) -> str:
    """The uploaded name for showing and downloading: without folders or control characters, at
    most 150 characters, and ending in an extension of its content's type."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".") or "dokument"
    extensions = KNOWN_TYPES[media_type].extensions if media_type in KNOWN_TYPES else ()
    stem, dot, suffix = base.rpartition(".")
    if extensions and not (dot and f".{suffix.lower()}" in extensions):
        base = f"{base}{extensions[0]}"
    if len(base) > 150:
        stem, dot, suffix = base.rpartition(".")
        base = f"{stem[: 149 - len(suffix)]}.{suffix}" if dot and len(suffix) < 10 else base[:150]
    return base
