"""The README's production command serves the API: granian with the production settings."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from indgang.common.tests.test_serve import free_port
from indgang.common.tests.workers import database_url
from indgang.conftest import CPR_A, Staff, token_secret
from indgang.contacts.models import Contact
from indgang.parties.selectors import find_citizen

WORKERS = 2


def _production_environment(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "indgang.conf.production",
        "DATABASE_URL": database_url(),
        "INDGANG_SECRET_KEY": settings.SECRET_KEY,
        "INDGANG_CPR_KEY": settings.CPR_KEY,
        "INDGANG_ALLOWED_HOSTS": "127.0.0.1",
        "INDGANG_SECURE_SSL_REDIRECT": "false",  # as behind the TLS proxy
        "INDGANG_VAR_DIR": str(var_dir),
    }


@dataclass(frozen=True)
class RunningServer:
    port: int
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture
def production_server(tmp_path: Path) -> Iterator[RunningServer]:
    """granian on a free port of this machine, as README.md runs it."""
    port = free_port()
    environment = _production_environment(tmp_path)
    log = tmp_path / "server.log"
    command = [
        str(Path(sys.executable).with_name("granian")),
        *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
        *(
            "--workers",
            str(WORKERS),
            "--blocking-threads",
            "2",
            "--http",
            "1",
            "--runtime-mode",
            "st",
        ),
        *("--respawn-failed-workers", "--no-ws", "indgang.wsgi:application"),
    ]
    with log.open("wb") as output:
        # A session of its own, so that its workers go with it if it has to be killed.
        server = subprocess.Popen(  # noqa: S603 (the project's own server)
            command,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        # Every worker booted: one that is still importing when the server is told to stop
        # misses the signal, and the server waits for it until it is killed.
        while not (_answers(port) and _workers_started(log) == WORKERS):
            assert server.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        yield RunningServer(port, server, log)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def _workers_started(log: Path) -> int:
    lines = log.read_text(encoding="utf-8").splitlines()
    return sum(bool(re.fullmatch(r"\[INFO\] Started worker-\d+", line)) for line in lines)


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/health/")
        return connection.getresponse().status == 200
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_production_server_registers_contacts_and_refuses_bad_input_in_danish(
    production_server: RunningServer, staff: Staff
) -> None:
    secret = token_secret(staff.frontline)
    headers = {"Authorization": f"Token {secret}", "Content-Type": "application/json"}
    contact = {"channel": "phone", "received_at": "2026-11-30T09:15:00+01:00", "summary": "Varme"}
    # One keep-alive connection for all three requests, as an integrator's client keeps one;
    # closed before the server stops, as granian waits for open connections when it stops.
    with closing(
        http.client.HTTPConnection("127.0.0.1", production_server.port, timeout=30)
    ) as connection:
        connection.request("GET", "/health/")
        health = connection.getresponse()
        assert (health.status, json.loads(health.read())) == (200, {"status": "ok"})

        connection.request(
            "POST", "/api/v1/contacts/", json.dumps({**contact, "cpr": CPR_A}), headers
        )
        created = connection.getresponse()
        body = json.loads(created.read())
        assert created.status == 201, body

        connection.request(
            "POST", "/api/v1/contacts/", json.dumps({**contact, "cpr": "3201901234"}), headers
        )
        refused = connection.getresponse()
        assert (refused.status, json.loads(refused.read())) == (
            400,
            {"cpr": ["CPR-nummeret begynder ikke med en gyldig fødselsdato."]},
        )
    citizen = find_citizen(cpr=CPR_A)
    assert citizen is not None
    assert list(Contact.objects.values_list("pk", "party_id", "summary")) == [
        (body["id"], citizen.pk, "Varme")
    ]


@dataclass(frozen=True)
class Answer:
    """One contact POST during the load: when it was sent, and the status and id, if any."""

    sent_at: float
    status: int | None
    contact_id: int | None


def _post_contacts(port: int, token: str, stop: threading.Event, answers: list[Answer]) -> None:
    """Register contacts one after another until told to stop; a failed request is noted and
    the next one goes out on a new connection."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    body = json.dumps(
        {"channel": "phone", "received_at": "2026-11-30T09:15:00+01:00", "summary": "Varme"}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while not stop.is_set():
        sent_at = time.monotonic()
        try:
            connection.request("POST", "/api/v1/contacts/", body, headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
        except (OSError, http.client.HTTPException):
            answers.append(Answer(sent_at, None, None))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        contact_id = answer["id"] if response.status == 201 else None
        answers.append(Answer(sent_at, response.status, contact_id))
    connection.close()


def _worker_pids(log: Path) -> list[int]:
    """The workers granian has spawned so far, in order, as its log names them."""
    text = log.read_text(encoding="utf-8")
    return [
        int(pid)
        for pid in re.findall(r"^\[INFO\] Spawning worker-\d+ with PID: (\d+)$", text, re.M)
    ]


def _wait_for(condition: Callable[[], bool], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_production_server_survives_a_killed_worker_and_keeps_every_accepted_contact(
    production_server: RunningServer, staff: Staff
) -> None:
    secret = token_secret(staff.frontline)
    answers: list[Answer] = []  # list.append is atomic: the posting threads share it
    stop = threading.Event()
    posters = [
        threading.Thread(
            target=_post_contacts, args=(production_server.port, secret, stop, answers)
        )
        for _ in range(4)
    ]
    for poster in posters:
        poster.start()
    try:
        _wait_for(lambda: _accepted(answers) >= 20, 60, production_server.log)
        victim = _worker_pids(production_server.log)[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        _wait_for(
            lambda: (
                len(_worker_pids(production_server.log)) == WORKERS + 1
                and _workers_started(production_server.log) == WORKERS + 1
            ),
            60,
            production_server.log,
        )
        respawned_at = time.monotonic()
        _wait_for(
            lambda: sum(a.status == 201 and a.sent_at > respawned_at for a in answers) >= 20,
            60,
            production_server.log,
        )
    finally:
        stop.set()
        for poster in posters:
            poster.join(timeout=30)

    assert production_server.process.poll() is None, production_server.log.read_text("utf-8")
    newcomer = _worker_pids(production_server.log)[-1]
    assert newcomer != victim
    assert Path(f"/proc/{newcomer}").exists()
    # Everything sent once the new worker was up was registered.
    assert {a.status for a in answers if a.sent_at > respawned_at} == {201}
    # Every 201 is a stored contact; a request the kill cut off may have been stored too, but
    # nothing beyond those.
    accepted = [a.contact_id for a in answers if a.status == 201]
    cut_off = [a for a in answers if a.status is None]
    assert all(a.sent_at < respawned_at and a.sent_at > killed_at - 10 for a in cut_off)
    assert {a.status for a in answers} <= {201, None}
    stored = set(Contact.objects.values_list("pk", flat=True))
    assert len(accepted) == len(set(accepted))
    assert set(accepted) <= stored
    assert len(stored) - len(accepted) <= len(cut_off)


def _accepted(answers: list[Answer]) -> int:
    return sum(answer.status == 201 for answer in answers)


def test_a_worker_imports_every_view_before_its_first_request(tmp_path: Path) -> None:
    probe = (
        "import sys, indgang.wsgi; print('indgang.urls' in sys.modules, 'sklearn' in sys.modules)"
    )
    loaded = subprocess.run(  # noqa: S603 (this interpreter)
        [sys.executable, "-c", probe],
        env=_production_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.split() == ["True", "True"]
