"""Benchmark the task engine and print the figures (this is not a test).

Measures, on SQLite and on PostgreSQL:

1. Celery on Redis with two worker processes (solo pool, the `celery_workers` harness):
   enqueues per second from one producer, and deliveries per second of a task that writes a
   row and makes its effect once per key (every key is enqueued twice);
2. the embedded backend (a thread pool of INDGANG_EMBEDDED_TASK_WORKERS threads in this
   process): deliveries per second of the same task;
3. one scheduler tick when nothing is due (the steady state of `indgang serve` and beat), in
   milliseconds, for every periodic task the apps declare.

Usage::

    .venv/bin/python benchmarks/tasks.py [--db sqlite|postgres|both] [--tasks N]

Needs Redis on 127.0.0.1:6379. The SQLite file is var/bench/tasks.sqlite3; the PostgreSQL
database ``indgang_bench_tasks`` is dropped and created on each run (trust auth as ``postgres``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BENCH_DIR = ROOT / "var" / "bench"
PG_DB = "indgang_bench_tasks"
URLS = {
    "sqlite": f"sqlite:///{BENCH_DIR / 'tasks.sqlite3'}",
    "postgres": f"postgres://postgres@127.0.0.1:5432/{PG_DB}",
}
TICKS = 200


def reset_database(db: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (BENCH_DIR / f"tasks.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        server = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            connection.execute(f"CREATE DATABASE {PG_DB}")
    subprocess.run([BIN / "indgang", "migrate", "-v0"], check=True, env=os.environ)


def wait_until_delivered(count: int, timeout: float = 600) -> float:
    from indgang.common.tests import probe

    deadline = time.monotonic() + timeout
    while probe.deliveries().total() < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {probe.deliveries().total()} of {count} deliveries")
        time.sleep(0.02)
    return time.perf_counter()


def check_effects(keys: list[str]) -> None:
    from indgang.common.tests import probe

    assert probe.effects() == dict.fromkeys(keys, 1), "an effect is missing or doubled"


def measure_celery(keys: list[str]) -> None:
    from django.conf import settings

    from indgang.common.tests import probe
    from indgang.common.tests.workers import CeleryWorkers, new_queue, worker_environment

    queue = new_queue()
    settings.TASK_BACKEND = "celery"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    directory = BENCH_DIR / "celery"
    directory.mkdir(parents=True, exist_ok=True)
    for log in directory.glob("*.log"):
        log.unlink()
    workers = CeleryWorkers(
        queue=queue, directory=directory, environment=worker_environment(queue=queue)
    )
    try:
        workers.start(count=2, include=["indgang.common.tests.probe"])
        start = time.perf_counter()
        for key in keys:
            probe.probe.enqueue(key=key, pause=0)
            probe.probe.enqueue(key=key, pause=0)
        enqueued = time.perf_counter()
        done = wait_until_delivered(2 * len(keys))
        check_effects(keys)
        shares = sorted(_deliveries_per_worker().values())
    finally:
        workers.stop()
    print(f"  celery, 2 workers: enqueue {2 * len(keys) / (enqueued - start):,.0f}/s, ", end="")
    print(f"delivered {2 * len(keys) / (done - start):,.0f}/s (shares {shares})")


def _deliveries_per_worker() -> dict[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT worker, COUNT(*) FROM probe_delivery GROUP BY worker")
        return dict(cursor.fetchall())


def measure_embedded(keys: list[str]) -> None:
    from django.conf import settings

    from indgang.common.tests import probe

    settings.TASK_BACKEND = "embedded"
    start = time.perf_counter()
    for key in keys:
        probe.probe.enqueue(key=key, pause=0)
        probe.probe.enqueue(key=key, pause=0)
    done = wait_until_delivered(2 * len(keys))
    check_effects(keys)
    threads = settings.EMBEDDED_TASK_WORKERS
    print(f"  embedded, {threads} threads: delivered {2 * len(keys) / (done - start):,.0f}/s")


def measure_tick() -> None:
    from django.conf import settings
    from django.utils import timezone

    from indgang.common.tasks import periodic_tasks, tick

    settings.TASK_BACKEND = "immediate"
    declared = [t for t in periodic_tasks() if not t.name.startswith("test.")]
    tick(now=timezone.now(), tasks=declared)  # claims (and runs) what is due now
    start = time.perf_counter()
    for _ in range(TICKS):
        assert tick(now=timezone.now(), tasks=declared) == []
    elapsed = time.perf_counter() - start
    names = ", ".join(t.name for t in declared)
    print(f"  tick, nothing due: {elapsed / TICKS * 1000:.2f} ms for {len(declared)} ({names})")


def run_one(db: str, count: int) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "indgang.conf.dev",
            "DATABASE_URL": URLS[db],
            "INDGANG_DEBUG": "false",
            "INDGANG_VAR_DIR": str(BENCH_DIR),
            "INDGANG_LOG_LEVEL": "WARNING",
        }
    )
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    reset_database(db)
    import django

    django.setup()
    from indgang.common.tests import probe

    probe.create_tables()
    keys = [f"key-{number}" for number in range(count)]
    print(f"{db} ({count:,} keys, each enqueued twice; load {os.getloadavg()[0]:.1f}):")
    measure_celery(keys)
    probe.clear_tables()
    measure_embedded(keys)
    measure_tick()
    print(f"  load average after: {os.getloadavg()[0]:.1f} (2 cores, shared)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--tasks", type=int, default=2000, help="keys; each is enqueued twice")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        run_one(options.db, options.tasks)
        return
    for db in ["sqlite", "postgres"] if options.db == "both" else [options.db]:
        # One process per database: Django's settings are read once.
        command = [sys.executable, __file__, "--one", "--db", db, "--tasks", str(options.tasks)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
