"""A protocol peer for the virus-scan tests: a server on a real socket that speaks clamd's
INSTREAM command as clamd(8) describes it, and finds the EICAR test file.

ClamAV's own daemon needs signature databases downloaded from the internet; this peer answers as
it does for the one signature every scanner carries, EICAR's.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# The EICAR anti-virus test file (eicar.org), in two parts so that this source is not one.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + b"-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _receive_exactly(conn: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        received = conn.recv(count - len(data))
        if not received:
            raise ConnectionError("the client closed the stream early")
        data += received
    return data


class ClamdPeer:
    """Serves INSTREAM on `server` until closed; keeps each scanned stream in `received`."""

    def __init__(self, server: socket.socket) -> None:
        self.server = server
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def close(self) -> None:
        with suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        self.server.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                conn, _address = self.server.accept()
            except OSError:
                return  # closed
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += _receive_exactly(conn, 1)
                self.commands.append(command)
                data = b""
                while size := struct.unpack("!L", _receive_exactly(conn, 4))[0]:
                    data += _receive_exactly(conn, size)
                self.received.append(data)
                found = b"stream: Eicar-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(found)


@contextmanager
def clamd_on_tcp() -> Iterator[tuple[str, ClamdPeer]]:
    """A peer on a free local port; yields its INDGANG_CLAMAV_URL and the peer."""
    server = socket.create_server(("127.0.0.1", 0))
    peer = ClamdPeer(server)
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}", peer
    finally:
        peer.close()


@contextmanager
def clamd_on_unix_socket(path: Path) -> Iterator[tuple[str, ClamdPeer]]:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()
    peer = ClamdPeer(server)
    try:
        yield str(path), peer
    finally:
        peer.close()


def nothing_listening() -> str:
    """The URL of a local port where no clamd listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"
