"""Real Celery workers on a real Redis, for tests: the harness behind `celery_workers`.

The fixture `celery_workers` (src/indgang/conftest.py) is the way in; this module holds its
parts, so a test can also start a beat or more workers itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

# Workers run the development settings with the overrides in `worker_environment`: the test
# settings pin the immediate backend, and workers must pass fanned-out tasks on through Celery.
WORKER_SETTINGS = "indgang.conf.dev"
REDIS_HINT = (
    "`.ci/run` starts it; by hand: "
    "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no"
)


def sqlite_test_database_file() -> Path:
    """Where this pytest process keeps its SQLite test database (one file per process)."""
    return Path(tempfile.gettempdir()) / f"indgang-test-{os.getpid()}.sqlite3"


def isolate_test_databases() -> None:
    """Give this pytest process test databases of its own that other processes can open.

    SQLite's is a file, not in memory, so that Celery workers and scheduler threads open it.
    PostgreSQL's is named for the process, so that test runs at the same time on one server
    (several people, or CI beside a developer) never drop each other's.
    """
    for database in settings.DATABASES.values():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3":
            test["NAME"] = str(sqlite_test_database_file())
        elif not test.get("NAME"):
            test["NAME"] = f"test_{database['NAME']}_{os.getpid()}"


def database_url() -> str:
    """The test database as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if str(db["NAME"]).startswith(("file:", ":memory:")):
            raise RuntimeError("Worker processes cannot open an in-memory SQLite database.")
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise RuntimeError(f"No worker database URL for {db['ENGINE']}.")


def require_redis(url: str) -> None:
    """Fail the test, with what to do, when Redis is not there: it is never skipped."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {url}: {error}. {REDIS_HINT}", pytrace=False)


def worker_environment(*, queue: str, extra: Mapping[str, str] = {}) -> dict[str, str]:
    """The environment of worker and beat processes: the test database, Redis, our queue."""
    environment = dict(os.environ)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
            "DATABASE_URL": database_url(),
            "INDGANG_DEBUG": "false",
            "INDGANG_TASK_BACKEND": "celery",
            "INDGANG_CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "INDGANG_CELERY_QUEUE": queue,
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update(extra)
    return environment


@dataclass
class CeleryWorkers:
    """Worker (and beat) processes serving one queue of their own on the test database."""

    queue: str
    directory: Path
    environment: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    beats: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def pids(self) -> set[int]:
        """The workers' process ids; a task run in a worker sees one of them as os.getpid()."""
        return {process.pid for process in self.processes}

    def start(self, *, count: int, include: Sequence[str] = (), timeout: float = 60) -> None:
        """Start `count` more workers (one process each, solo pool) and wait until ready."""
        first = len(self.processes) + 1
        names = [f"w{number}@{self.queue}" for number in range(first, first + count)]
        for name in names:
            command = [sys.executable, "-m", "celery", "-A", "indgang", "worker"]
            command += ["--pool=solo", "--queues", self.queue, "--hostname", name]
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            command += ["--loglevel=INFO"]
            if include:
                command += ["--include", ",".join(include)]
            self.processes.append(self._spawn(command, name.split("@")[0]))
        for name in names:
            ready = partial(self.logged, f"{name} ready.")
            self.wait_for(ready, timeout=timeout, what=f"{name} to start")

    def start_beat(self, *, tick_seconds: float = 1) -> None:
        """Start a `celery beat` that sends `indgang.tick` to our queue every `tick_seconds`."""
        number = len(self.beats) + 1
        command = [sys.executable, "-m", "celery", "-A", "indgang", "beat", "--loglevel=INFO"]
        command += ["--schedule", str(self.directory / f"beat{number}-schedule")]
        self.beats.append(
            self._spawn(
                command,
                f"beat{number}",
                extra={"INDGANG_SCHEDULER_TICK_SECONDS": f"{tick_seconds:g}"},
            )
        )

    def logs(self) -> str:
        """Everything the workers and beats have logged so far."""
        return "".join(
            log.read_text(encoding="utf-8", errors="replace")
            for log in sorted(self.directory.glob("*.log"))
        )

    def logged(self, text: str) -> bool:
        """Whether a worker or beat has logged `text`."""
        return text in self.logs()

    def wait_for(self, condition: Callable[[], bool], *, timeout: float = 60, what: str) -> None:
        """Poll `condition` until it holds; fail with the processes' logs after `timeout` s."""
        deadline = time.monotonic() + timeout
        while not condition():
            exited = [p.pid for p in self.processes + self.beats if p.poll() is not None]
            if exited or time.monotonic() > deadline:
                reason = f"processes {exited} exited" if exited else f"{timeout:g} s passed"
                pytest.fail(f"Waiting for {what}: {reason}.\n{self.logs()}", pytrace=False)
            time.sleep(0.05)

    def stop(self, *, timeout: float = 20) -> None:
        """Stop every process (a warm shutdown, then SIGKILL) and empty our queue in Redis."""
        processes = self.beats + self.processes
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=5)
        keys = list(broker.scan_iter(match=f"*{self.queue}*"))
        if keys:
            broker.delete(*keys)

    def _spawn(
        self, command: list[str], log_name: str, extra: Mapping[str, str] = {}
    ) -> subprocess.Popen[bytes]:
        log = (self.directory / f"{log_name}.log").open("wb")
        try:
            return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                command,
                cwd=self.directory,
                env={**self.environment, **extra},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so a SIGKILL reaches it all
            )
        finally:
            log.close()


def new_queue() -> str:
    """A queue name no other test run on the same Redis uses."""
    return f"indgang-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
