"""Files encrypted at rest: AES-256-GCM in segments, so a copy of the disk or the bucket reveals
nothing and a file is encrypted and decrypted as a stream.

The layout follows the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), as
Tink's streaming AEAD and age use it. A file starts with a header: a version tag, a random salt
and a random nonce prefix. The file's own key is derived from the configured secret and the
salt (HKDF-SHA256). Each segment of `SEGMENT_BYTES` plaintext is sealed with a nonce of the
prefix, the segment's number and a flag set only on the last one, and with the header as
associated data: segments cannot be reordered, dropped, truncated or moved between files
without the tag failing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = b"IGD1"
SALT_BYTES = 16
PREFIX_BYTES = 7
HEADER_BYTES = len(VERSION) + SALT_BYTES + PREFIX_BYTES
SEGMENT_BYTES = 64 * 1024
TAG_BYTES = 16


class DecryptionError(ValueError):
    """The file was not written by `encrypt`, or with another key, or it was altered."""


@lru_cache(maxsize=4)
def _secret(document_key: str, cpr_key: str) -> bytes:
    # An empty INDGANG_DOCUMENT_KEY derives the secret from the CPR key, under its own label.
    if document_key:
        return hashlib.sha256(b"indgang-document-key:" + document_key.encode()).digest()
    return hashlib.sha256(b"indgang-document-from-cpr-key:" + cpr_key.encode()).digest()


def _cipher(salt: bytes) -> AESGCM:
    secret = _secret(settings.DOCUMENT_KEY, settings.CPR_KEY)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"indgang-file").derive(secret)
    return AESGCM(key)


def _nonce(prefix: bytes, number: int, *, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _segments(chunks: Iterable[bytes], size: int) -> Iterator[tuple[bytes, bool]]:
    """The bytes of `chunks` in pieces of `size`, each with whether it is the last; the last
    may be short or empty."""
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        if len(pending) > size:
            # Whole pieces, keeping at least one byte back: only the end knows which is last.
            cut = (len(pending) - 1) // size * size
            ready = bytes(pending[:cut])
            del pending[:cut]
            for start in range(0, cut, size):
                yield ready[start : start + size], False
    yield bytes(pending), True


def encrypt(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The encrypted file of the plaintext `chunks`: its header, then its sealed segments."""
    salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
    header = VERSION + salt + prefix
    cipher = _cipher(salt)
    yield header
    for number, (segment, last) in enumerate(_segments(chunks, SEGMENT_BYTES)):
        yield cipher.encrypt(_nonce(prefix, number, last=last), segment, header)


def decrypt(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The plaintext of an encrypted file read as `chunks`; raises `DecryptionError` at the first
    segment that does not authenticate, or at a missing end."""
    stream = iter(chunks)
    header = b""
    for chunk in stream:
        header += chunk
        if len(header) >= HEADER_BYTES:
            break
    if len(header) < HEADER_BYTES or not header.startswith(VERSION):
        raise DecryptionError("not an encrypted file")
    first, header = header[HEADER_BYTES:], header[:HEADER_BYTES]
    salt, prefix = header[len(VERSION) : -PREFIX_BYTES], header[-PREFIX_BYTES:]
    cipher = _cipher(salt)
    sealed = _segments(chain([first], stream), SEGMENT_BYTES + TAG_BYTES)
    for number, (segment, last) in enumerate(sealed):
        try:
            yield cipher.decrypt(_nonce(prefix, number, last=last), segment, header)
        except InvalidTag as error:
            raise DecryptionError(f"segment {number} does not authenticate") from error
