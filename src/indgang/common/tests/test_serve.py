"""`indgang serve` (the demo's server) runs the periodic tasks, in the serving process only."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone

from indgang.common.models import ScheduledRun
from indgang.common.tasks import latest_slot, next_slot, periodic_tasks
from indgang.common.tests.workers import database_url

ANNOUNCEMENT = "Periodiske opgaver kører i denne proces; der ses efter forfaldne hvert 1. sekund."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    tmp_path: Path, *, port: int, ready: Callable[[str], bool], **settings: str
) -> Iterator[Path]:
    """`indgang serve` on `port` with the dev settings and `settings` over them, once
    `ready(its log so far)`; its log's path. Stopped, the whole process group, however the
    block ends."""
    log = tmp_path / "serve.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "indgang.conf.dev",
        "DATABASE_URL": database_url(),
        "INDGANG_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        **settings,
    }
    command = [str(Path(sys.executable).with_name("indgang")), "serve", f"127.0.0.1:{port}"]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 (our own command)
            command,
            cwd=tmp_path,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the autoreloader and its child: one group to stop
        )
    try:
        deadline = time.monotonic() + 60
        while not ready(log.read_text(encoding="utf-8")):
            assert server.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        yield log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_serve_runs_every_periodic_task_from_the_serving_process_only(tmp_path: Path) -> None:
    # This module's own test.* tasks are registered here only, not in the server.
    periodic = [t for t in periodic_tasks() if not t.name.startswith("test.")]
    expected = {t.name for t in periodic}
    assert expected, "no app declares a periodic task"
    started = timezone.now()
    with serving(
        tmp_path,
        port=free_port(),
        ready=lambda _log: set(ScheduledRun.objects.values_list("task", flat=True)) == expected,
        INDGANG_TASK_BACKEND="embedded",
        INDGANG_SCHEDULER_TICK_SECONDS="1",
    ) as log:
        time.sleep(2)  # two more ticks: nothing is due again
    ended = timezone.now()

    # Each task ran in each slot that began while the server ticked, at most once: once, unless
    # an every-minute task's next slot began meanwhile.
    for task in periodic:
        assert task.schedule is not None
        slots = list(ScheduledRun.objects.filter(task=task.name).values_list("slot", flat=True))
        possible = {latest_slot(task.schedule, now=started)}
        while (after := next_slot(task.schedule, after=max(possible))) <= ended:
            possible.add(after)
        assert 1 <= len(slots) == len(set(slots)) and set(slots) <= possible, (task.name, slots)
    served = log.read_text(encoding="utf-8")
    # One scheduler per serving process; a source file saved meanwhile restarts that process.
    reloads = served.count(" changed, reloading.")
    assert served.count(ANNOUNCEMENT) == 1 + reloads
    assert " failed with " not in served  # run_in_worker's words for a task that raised


@pytest.mark.django_db(transaction=True)
def test_serve_answers_as_the_demo_does_in_danish_with_debug_off(tmp_path: Path) -> None:
    """`make demo`'s server: Danish lines only, Danish error pages, static files and the
    favicon served although DEBUG is off."""
    port = free_port()
    with serving(
        tmp_path,
        port=port,
        ready=lambda log: "Indgang kører på" in log,
        INDGANG_DEBUG="false",  # as the Makefile's demo target runs it
        INDGANG_LANGUAGE="da",
    ) as log:
        answers = {path: get(port, path) for path in (FAVICON, STYLE, "/ingen-side/")}

    assert answers[FAVICON][:2] == (200, "image/svg+xml")
    assert answers[STYLE][0] == 200
    status, _type, body = answers["/ingen-side/"]
    assert status == 404
    assert "<h1>Findes ikke</h1>" in body
    assert "Django" not in body  # not the debug page
    served = log.read_text(encoding="utf-8")
    assert served.splitlines()[:2] == [
        f"Indgang kører på http://127.0.0.1:{port}/ (stop med Ctrl-C).",
        "Periodiske opgaver kører i denne proces; der ses efter forfaldne hvert 30. sekund.",
    ]
    for english in ("WARNING", "development server", "Django version", "system checks"):
        assert english not in served


FAVICON = "/static/indgang/favicon.svg"
STYLE = "/static/indgang/indgang.css"


def get(port: int, path: str) -> tuple[int, str, str]:
    """Status, content type and body of a GET, in Danish."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Language": "da"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()
