from __future__ import annotations

import os

import pytest
from pytest_django.fixtures import Settings

from indgang.common.filecrypt import (
    HEADER_BYTES,
    SEGMENT_BYTES,
    TAG_BYTES,
    DecryptionError,
    decrypt,
    encrypt,
)


def sealed(data: bytes, *, chunk: int = 10_000) -> bytes:
    return b"".join(encrypt(data[start : start + chunk] for start in range(0, len(data), chunk)))


def opened(data: bytes, *, chunk: int = 4096) -> bytes:
    return b"".join(decrypt(data[start : start + chunk] for start in range(0, len(data), chunk)))


@pytest.mark.parametrize("size", [0, 1, SEGMENT_BYTES - 1, SEGMENT_BYTES, 3 * SEGMENT_BYTES + 5])
def test_a_file_comes_back_as_it_went_in_whatever_the_chunks(size: int) -> None:
    data = os.urandom(size)

    encrypted = sealed(data)

    segments = max(1, -(-size // SEGMENT_BYTES))
    assert len(encrypted) == HEADER_BYTES + size + segments * TAG_BYTES
    assert opened(encrypted) == data
    assert opened(encrypted, chunk=1) == data
    assert b"".join(decrypt([encrypted])) == data


def test_the_encrypted_file_shows_nothing_of_the_content_and_differs_each_time() -> None:
    data = "Klage over afgørelse, CPR 010190-1234\n".encode() * 100

    first, second = sealed(data), sealed(data)

    assert b"Klage" not in first
    assert b"010190" not in first
    assert first != second


def test_an_altered_byte_is_refused() -> None:
    encrypted = bytearray(sealed(os.urandom(1000)))
    encrypted[HEADER_BYTES + 10] ^= 1

    with pytest.raises(DecryptionError):
        opened(bytes(encrypted))


def test_a_file_cut_at_a_segment_boundary_is_refused() -> None:
    encrypted = sealed(os.urandom(2 * SEGMENT_BYTES + 100))

    with pytest.raises(DecryptionError):
        opened(encrypted[: HEADER_BYTES + SEGMENT_BYTES + TAG_BYTES])


def test_another_key_cannot_read_the_file(settings: Settings) -> None:
    settings.DOCUMENT_KEY = ""
    encrypted = sealed(b"Hej")

    settings.DOCUMENT_KEY = "a-different-secret-" + "x" * 30
    with pytest.raises(DecryptionError):
        opened(encrypted)


def test_a_plain_file_is_not_taken_for_an_encrypted_one() -> None:
    with pytest.raises(DecryptionError):
        opened(b"%PDF-1.4 plain text")
