"""What every benchmark script shares: a fresh database, the server's environment, percentiles.

The scripts run as `python benchmarks/NAME.py`, so this module is imported as `harness`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from indgang.organisation.models import Department, Unit

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
# Throwaway keys: benchmark data is invented and dropped on the next run.
CPR_KEY = "ipeN1m3wvuDONhPdK39dJEiswZ3ctsRrwYfjpXwrqIo="
SECRET_KEY = "benchmark-only-not-secret-" + "k" * 40
CASEWORKER = "bench-byg"


def setup_django() -> None:
    """Set Django up in a phase's process: production settings, unless the environment says."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.conf.production")
    import django

    django.setup()


def ensure_caseworker(*, units: int) -> tuple[User, Department, list[Unit]]:
    """Migrate; then Benchmark Kommune's building department with `units` units and the
    caseworker CASEWORKER in the first, through the services."""
    from django.core.management import call_command

    from indgang.organisation.constants import Role
    from indgang.organisation.services import (
        ensure_department,
        ensure_municipality,
        ensure_staff_user,
        ensure_unit,
    )

    call_command("migrate", verbosity=0)
    municipality = ensure_municipality(code="999", name="Benchmark Kommune")
    building = ensure_department(
        municipality=municipality, abbreviation="BTF", name="Teknik og Miljø"
    )
    made = [ensure_unit(department=building, name=f"Byggesager {n:02d}") for n in range(units)]
    user = ensure_staff_user(
        username=CASEWORKER,
        password="bench-password-1",  # noqa: S106 - a throwaway user in a throwaway database
        full_name="Bench Byg",
        roles=[(Role.CASEWORKER, building, made[0])],
    )
    return user, building, made


def pg_url(database: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{database}"


def prepare_database(db: str, *, sqlite_name: str, pg_database: str) -> str:
    """A fresh, empty database (`var/bench/SQLITE_NAME.sqlite3` or PG_DATABASE); its URL."""
    if db == "sqlite":
        path = BENCH_DIR / f"{sqlite_name}.sqlite3"
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as admin:
        # Quoted: a name may hold a hyphen (indgang_<helper-name>_...).
        admin.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{pg_database}"')
    return pg_url(pg_database)


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-settings process on the benchmark database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "indgang.conf.production",
        "INDGANG_SECRET_KEY": SECRET_KEY,
        "INDGANG_CPR_KEY": CPR_KEY,
        "INDGANG_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "INDGANG_SECURE_SSL_REDIRECT": "false",
        "INDGANG_VAR_DIR": str(BENCH_DIR),
        "INDGANG_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **extra,
    }


REFERENCE_LOOP = 1_000_000


def reference_ms() -> float:
    """CPU milliseconds of a fixed piece of pure-Python work: the machine's speed just now.

    On a shared virtual machine the same code's CPU time per request has changed by a factor
    of two within an hour. Figures from two runs compare only next to their readings of this.
    """
    started = time.process_time()
    total = 0
    for number in range(REFERENCE_LOOP):
        total += number * number % 7
    return (time.process_time() - started) * 1000


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with `fraction` of all at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def time_call(call: Callable[[], Any], *, requests: int, warmup: int) -> dict[str, float]:
    """p50/p95 milliseconds of `call` (e.g. a letter rendered to PDF), after `warmup` calls."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}


def run_phase(
    script: str, name: str, payload: dict[str, Any], env: dict[str, str]
) -> dict[str, Any]:
    """Run `script --phase NAME` in a fresh process with `payload` on stdin; its last line's JSON.

    A fresh process per phase, so each starts with the settings (and database) of `env`.
    """
    completed = subprocess.run(
        [sys.executable, str(Path(script).resolve()), "--phase", name],
        input=json.dumps(payload),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise RuntimeError(f"phase {name} failed")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def say(db: str, text: str) -> None:
    print(f"[{db:8}] {text}", flush=True)


Phases = Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]]


def benchmark_parser(doc: str | None, phases: Phases) -> argparse.ArgumentParser:
    """The options every database benchmark takes: --db, --json, and the hidden --phase that
    `run_phase` uses to run one of `phases` in a fresh process."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0] if doc else None)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--json", type=Path, help="Also write every figure to this file.")
    parser.add_argument("--phase", choices=sorted(phases), help=argparse.SUPPRESS)
    return parser


def ran_phase(args: argparse.Namespace, phases: Phases) -> bool:
    """With --phase: run that phase on the JSON payload on stdin and print its result."""
    if not args.phase:
        return False
    print(json.dumps(phases[args.phase](json.loads(sys.stdin.read()))))
    return True


def databases_to_run(choice: str) -> list[str]:
    """The databases of `--db`, with var/bench/ ready (its static/ is whitenoise's STATIC_ROOT)."""
    (BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)
    return ["sqlite", "postgres"] if choice == "both" else [choice]


def run_databases(
    choice: str, bench: Callable[[str], dict[str, Any]], *, json_path: Path | None
) -> dict[str, dict[str, Any]]:
    """Run `bench` on each database of `--db` between two readings of the machine's load; the
    figures by database, also written to `json_path` when given."""
    print(f"load average before: {os.getloadavg()[0]:.2f}; reference loop {reference_ms():.0f} ms")
    results = {db: bench(db) for db in databases_to_run(choice)}
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if json_path:
        json_path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results
