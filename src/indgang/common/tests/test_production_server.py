"""The README's production command serves the API: granian with the production settings."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from indgang.common.tests.test_serve import free_port
from indgang.common.tests.workers import database_url
from indgang.conftest import CPR_A, Staff
from indgang.contacts.models import Contact
from indgang.organisation.services import issue_api_token
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


@pytest.fixture
def production_server(tmp_path: Path) -> Iterator[int]:
    """granian on a free port of this machine, as README.md runs it; the port."""
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
        *("--no-ws", "indgang.wsgi:application"),
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
        yield port
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
    production_server: int, staff: Staff
) -> None:
    secret = issue_api_token(
        user=staff.frontline, name="test", expires_in_days=None, now=timezone.now()
    ).secret
    headers = {"Authorization": f"Token {secret}", "Content-Type": "application/json"}
    contact = {"channel": "phone", "received_at": "2026-11-30T09:15:00+01:00", "summary": "Varme"}
    # One keep-alive connection for all three requests, as an integrator's client keeps one;
    # closed before the server stops, as granian waits for open connections when it stops.
    with closing(
        http.client.HTTPConnection("127.0.0.1", production_server, timeout=30)
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
