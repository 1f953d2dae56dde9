"""Test-only tasks for real workers: each records every delivery and makes its effect once.

Celery workers import this module (`celery_workers` passes `--include`). The tables are plain
SQL, made and dropped by the tests, so the product's schema holds no test tables.
"""

from __future__ import annotations

import os
import time
from collections import Counter

from django.db import connection, transaction

from indgang.common.tasks import task

TABLES = {
    "probe_delivery": "probe_key VARCHAR(40) NOT NULL, worker INTEGER NOT NULL",
    "probe_effect": "probe_key VARCHAR(40) PRIMARY KEY, worker INTEGER NOT NULL",
}
# The key of the periodic probe (`probe_periodic`).
PERIODIC_KEY = "periodic"
# Long enough that a worker holds each task a moment, so the other worker takes the next one.
WORK_SECONDS = 0.02


def create_tables() -> None:
    with connection.cursor() as cursor:
        for name, columns in TABLES.items():
            cursor.execute(f"CREATE TABLE {name} ({columns})")


def drop_tables() -> None:
    with connection.cursor() as cursor:
        for name in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")  # noqa: S608 (our constant names)


def deliveries() -> Counter[str]:
    """How often each key was delivered (ran)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT probe_key FROM probe_delivery")
        return Counter(key for (key,) in cursor.fetchall())


def delivering_workers() -> set[int]:
    """The process ids that ran a delivery."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT worker FROM probe_delivery")
        return {worker for (worker,) in cursor.fetchall()}


def clear_tables() -> None:
    with connection.cursor() as cursor:
        for name in TABLES:
            cursor.execute(f"DELETE FROM {name}")  # noqa: S608 (our constant names)


def effects() -> Counter[str]:
    """How many effects each key has (the unique key allows one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT probe_key FROM probe_effect")
        return Counter(key for (key,) in cursor.fetchall())


def record(key: str, pause: float = WORK_SECONDS) -> None:
    """Record a delivery of `key` and make its effect unless it exists: idempotent."""
    worker = os.getpid()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO probe_delivery (probe_key, worker) VALUES (%s, %s)", [key, worker]
        )
        cursor.execute(
            "INSERT INTO probe_effect (probe_key, worker) VALUES (%s, %s) "
            "ON CONFLICT (probe_key) DO NOTHING",
            [key, worker],
        )
    time.sleep(pause)


@task(name="test.probe")
def probe(*, key: str, pause: float = WORK_SECONDS) -> None:
    record(key, pause)


@task(name="test.probe_fan_out")
def probe_fan_out(*, keys: int) -> None:
    """Enqueue one probe per key, as a sweep enqueues its chunks."""
    for number in range(keys):
        probe.enqueue(key=f"chunk-{number}")


# The key of the coalesced probe (`probe_once`).
ONCE_KEY = "once"


@task(name="test.probe_once")
def probe_once() -> None:
    """A task for `enqueue_once`: each run is one delivery of ONCE_KEY."""
    record(ONCE_KEY, pause=0)
