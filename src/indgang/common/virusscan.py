"""Virus scan of uploads: no scan by default, ClamAV's daemon when INDGANG_CLAMAV_URL is set.

`ClamdScanner` speaks clamd's INSTREAM command itself (clamd(8): `zINSTREAM\\0`, then chunks
each prefixed with its length as a 4-byte big-endian integer, then a zero length; the daemon
answers `stream: OK` or `stream: NAME FOUND`). The Python clients on PyPI were last released
in 2014 and 2017.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings

# clamd's StreamMaxLength counts the bytes, not the chunks; a chunk of 64 KiB is what clamdscan
# sends too.
CHUNK_BYTES = 64 * 1024
REPLY_LIMIT = 4096


class ScannerUnavailableError(RuntimeError):
    """The scanner did not answer, or answered with an error: the upload is refused."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


class VirusScanner(Protocol):
    def scan(self, *, chunks: Iterable[bytes]) -> ScanResult: ...


class NoScanner:
    """Accepts everything: for installations without a virus scanner."""

    def scan(self, *, chunks: Iterable[bytes]) -> ScanResult:
        return ScanResult(infected=False)


@dataclass(frozen=True)
class ClamdScanner:
    """clamd at `tcp://host:port` or at a unix socket (`unix:///path` or a plain path)."""

    url: str
    timeout: float

    def scan(self, *, chunks: Iterable[bytes]) -> ScanResult:
        try:
            with self._connect() as sock:
                sock.settimeout(self.timeout)
                try:
                    sock.sendall(b"zINSTREAM\0")
                    for chunk in chunks:
                        for start in range(0, len(chunk), CHUNK_BYTES):
                            piece = chunk[start : start + CHUNK_BYTES]
                            sock.sendall(struct.pack("!L", len(piece)) + piece)
                    sock.sendall(struct.pack("!L", 0))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # clamd closes on a stream over its limit, after saying so: read it
                reply = _read_reply(sock)
        except OSError as error:
            raise ScannerUnavailableError(f"clamd at {self.url}: {error}") from error
        return _verdict(reply)

    def _connect(self) -> socket.socket:
        parts = urlsplit(self.url)
        if parts.scheme == "tcp":
            return socket.create_connection(
                (parts.hostname or "localhost", parts.port or 3310), timeout=self.timeout
            )
        path = parts.path if parts.scheme == "unix" else self.url
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(path)
        except OSError:
            sock.close()
            raise
        return sock


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < REPLY_LIMIT:
        received = sock.recv(REPLY_LIMIT)
        if not received:
            break
        reply += received
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _verdict(reply: str) -> ScanResult:
    """`stream: OK`, `stream: Eicar-Signature FOUND`, or an error such as `INSTREAM size limit
    exceeded. ERROR`."""
    found = reply.removeprefix("stream:").strip()
    if found == "OK":
        return ScanResult(infected=False)
    if found.endswith(" FOUND"):
        return ScanResult(infected=True, signature=found.removesuffix(" FOUND"))
    raise ScannerUnavailableError(f"clamd answered {reply!r}")


def get_scanner() -> VirusScanner:
    """The scanner the settings name: clamd when INDGANG_CLAMAV_URL is set, else none."""
    if settings.CLAMAV_URL:
        return ClamdScanner(url=settings.CLAMAV_URL, timeout=settings.CLAMAV_TIMEOUT_SECONDS)
    return NoScanner()
