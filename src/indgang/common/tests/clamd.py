"""ClamAV for the virus-scan tests: its own daemon, and a protocol peer.

`real_clamd` starts Debian's clamd (package clamav-daemon, which `make unit` installs as root)
with a signature database of one line written by the test: EICAR's bytes. The published signature
databases are downloaded from the internet, which the tests may not reach; the engine, the
protocol and the answers are clamd's own.

`ClamdPeer` is a server on a real socket that speaks the INSTREAM command as clamd(8) describes
it and keeps what it was sent, so a test can see the bytes and the framing.
"""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def nothing_listening() -> str:
    """The URL of a local port where no clamd listens."""
    return f"tcp://127.0.0.1:{free_port()}"


CLAMD_HINT = (
    "The virus-scan tests run ClamAV's daemon: apt-get install clamav-daemon "
    "(`make unit` installs it when run as root)."
)
# What clamd calls a signature of a database of one's own (not ClamAV's signed ones).
EICAR_FOUND_AS = "Eicar-Signature.UNOFFICIAL"


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"zPING\0")
            return conn.recv(16) == b"PONG\0"
    except OSError:
        return False


@contextmanager
def real_clamd(folder: Path) -> Iterator[str]:
    """ClamAV's daemon on a free local port, knowing EICAR; yields its INDGANG_CLAMAV_URL."""
    executable = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    if executable is None:
        pytest.fail(CLAMD_HINT)
    database = folder / "clamav-db"
    database.mkdir()
    # A body signature (name:any file type:any offset:bytes in hex), found anywhere in a stream.
    (database / "eicar.ndb").write_text(f"Eicar-Signature:0:*:{EICAR.hex()}\n")
    port = free_port()
    config = folder / "clamd.conf"
    config.write_text(
        f"Foreground yes\nDatabaseDirectory {database}\nTCPAddr 127.0.0.1\nTCPSocket {port}\n"
        f"PidFile {folder / 'clamd.pid'}\nLogFile {folder / 'clamd.log'}\nStreamMaxLength 30M\n"
    )
    daemon = subprocess.Popen(  # noqa: S603 (Debian's clamd and a config written above)
        [executable, f"--config-file={config}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers_ping(port):
            if daemon.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.1)
        yield f"tcp://127.0.0.1:{port}"
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
