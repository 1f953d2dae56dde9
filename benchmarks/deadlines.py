"""Benchmark the reminder sweep over many open deadlines and print the figures (not a test).

For each configuration it creates a fresh database, migrates it, bulk-inserts N threads with one
open deadline each (set-based INSERT … SELECT over a generated series), and then times:

1. the first sweep: every reminder due is inserted and its notifications and e-mails go out;
2. a second sweep at the same instant: idempotent, it must insert nothing.

Of the deadlines (in blocks of 200 ids), 1 in 20 is past due (a breach: the unit's manager is
told), 1 in 20 is due within its reminder lead (the owner is reminded) and the rest are due in
ten days. 200 owners in
20 units, one manager per unit; e-mail goes to Django's in-memory backend.

Usage::

    .venv/bin/python benchmarks/deadlines.py [--quick]

Configurations: PostgreSQL with 100,000 and 1,000,000 deadlines (database
``indgang_bench_deadlines``, dropped and created; trust auth as ``postgres`` on 127.0.0.1:5432)
and SQLite with 100,000 (``var/bench/deadlines.sqlite3``). ``--quick`` runs 10,000 each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "indgang_bench_deadlines"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
SQLITE_FILE = BENCH_DIR / "deadlines.sqlite3"
UNITS = 20
OWNERS_PER_UNIT = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 deadlines per run")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one configuration
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_one(database=args.run, count=args.count)))
        return
    runs = [("postgres", 100_000), ("postgres", 1_000_000), ("sqlite", 100_000)]
    if args.quick:
        runs = [("postgres", 10_000), ("sqlite", 10_000)]
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared with other work)")
    print(
        f"{'database':<10} {'deadlines':>10} {'insert s':>9} {'sweep s':>8} {'again s':>8} "
        f"{'due':>7} {'reminded':>8} {'breach':>7} {'notes':>7} {'mails':>6} {'2nd':>4}"
    )
    for database, count in runs:
        figures = run_in_subprocess(database=database, count=count)
        print(
            f"{database:<10} {count:>10,} {figures['insert_s']:>9.1f} {figures['sweep_s']:>8.2f} "
            f"{figures['again_s']:>8.2f} {figures['expected']:>7,} {figures['due_soon']:>8,} "
            f"{figures['breached']:>7,} {figures['notifications']:>7,} {figures['emails']:>6,} "
            f"{figures['second']:>4}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(
        "due: reminders due by construction; reminded/breach: inserted by the first sweep; "
        "notes: in-app notifications; mails: e-mails (one per recipient per chunk of 50,000); "
        "2nd: reminders the second sweep inserted (must be 0)."
    )


def run_in_subprocess(*, database: str, count: int) -> dict[str, Any]:
    """Each configuration in its own process: settings are read once, at start-up."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "indgang.conf.dev"
    env["INDGANG_DEBUG"] = "false"
    env["INDGANG_TASK_BACKEND"] = "immediate"
    env["INDGANG_LOG_LEVEL"] = "WARNING"
    if database == "postgres":
        subprocess.run(["psql", PG_SERVER, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run(["psql", PG_SERVER, "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
        env["DATABASE_URL"] = PG_URL
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    output = subprocess.run(
        [sys.executable, __file__, "--run", database, "--count", str(count)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def run_one(*, database: str, count: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)

    from django.utils import timezone

    from indgang.deadlines.services import sweep

    now = timezone.now()
    started = time.perf_counter()
    expected = populate(count=count, now=now)
    insert_s = time.perf_counter() - started

    started = time.perf_counter()
    first = sweep(now=now)
    sweep_s = time.perf_counter() - started
    started = time.perf_counter()
    again = sweep(now=now)
    again_s = time.perf_counter() - started
    assert first.due_soon + first.breached == expected, (first, expected)
    return {
        "insert_s": insert_s,
        "sweep_s": sweep_s,
        "again_s": again_s,
        "expected": expected,
        "due_soon": first.due_soon,
        "breached": first.breached,
        "notifications": first.notifications,
        "emails": first.emails,
        "second": again.due_soon + again.breached,
    }


def populate(*, count: int, now: dt.datetime) -> int:
    """Insert the organisation, then `count` threads and deadlines set-based; return how many
    reminders are due at `now`."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from indgang.contacts.models import Thread
    from indgang.deadlines.constants import DeadlineKind
    from indgang.deadlines.models import Deadline
    from indgang.deadlines.services import ensure_default_rules
    from indgang.organisation.constants import Role
    from indgang.organisation.models import RoleAssignment
    from indgang.organisation.services import (
        ensure_department,
        ensure_municipality,
        ensure_staff_user,
        ensure_unit,
    )

    municipality = ensure_municipality(code="999", name="Benchkommune")
    department = ensure_department(municipality=municipality, abbreviation="BTF", name="Teknik")
    units = [ensure_unit(department=department, name=f"Enhed {n:02d}") for n in range(UNITS)]
    owners = []
    for unit in units:
        manager = ensure_staff_user(
            username=f"leder-{unit.pk}",
            password="bench-password-1",  # noqa: S106 - a throwaway database
            full_name="Leder",
            roles=[(Role.MANAGER, department, unit)],
        )
        manager.email = f"{manager.username}@bench.example"
        manager.save(update_fields=["email"])
        for n in range(OWNERS_PER_UNIT):
            owner = ensure_staff_user(
                username=f"sb-{unit.pk}-{n}",
                password="bench-password-1",  # noqa: S106
                full_name="Sagsbehandler",
                roles=[(Role.CASEWORKER, department, unit)],
            )
            owner.email = f"{owner.username}@bench.example"
            owner.save(update_fields=["email"])
            owners.append((owner.pk, unit.pk))
    assert RoleAssignment.objects.filter(role=Role.MANAGER).count() == UNITS
    rule = ensure_default_rules()[DeadlineKind.INQUIRY]

    def prep(value: dt.datetime) -> Any:
        return Deadline._meta.get_field("due_at").get_db_prep_value(value, connection)

    breached_due = now - dt.timedelta(hours=1)
    soon_due = now + dt.timedelta(hours=2)
    later_due = now + dt.timedelta(days=10)
    lead = dt.timedelta(hours=rule.reminder_lead_hours)
    owner_cases = " ".join(f"WHEN {i} THEN {pk}" for i, (pk, _unit) in enumerate(owners))
    unit_cases = " ".join(f"WHEN {i} THEN {unit}" for i, (_pk, unit) in enumerate(owners))
    if connection.vendor == "postgresql":
        series, prefix = "generate_series(1, %s) AS s(g)", ""
    else:
        prefix = "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %s) "
        series = "s"
    thread_table, deadline_table = Thread._meta.db_table, Deadline._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        sql = (
            f"INSERT INTO {thread_table} (subject, department_id, created_at, last_contact_at, "  # noqa: S608
            f"party_id) {prefix}SELECT 'Bench', %s, %s, %s, NULL FROM {series}"
        )
        values = [department.pk, prep(now), prep(now)]
        cursor.execute(sql, [count, *values] if prefix else [*values, count])
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {thread_table}")  # noqa: S608
        first_thread, last_thread = cursor.fetchone()
        assert last_thread - first_thread + 1 == count
        n = len(owners)
        sql = f"""
            INSERT INTO {deadline_table} (
                rule_id, kind, subject_type_id, subject_id, department_id, unit_id, owner_id,
                started_at, due_at, remind_at, status, stopped_by, created_at
            )
            SELECT %s, %s, %s, t.id, %s,
                CASE (t.id % {n}) {unit_cases} END,
                CASE (t.id % {n}) {owner_cases} END,
                %s,
                CASE (t.id / 200) % 20 WHEN 0 THEN %s WHEN 1 THEN %s ELSE %s END,
                CASE (t.id / 200) % 20 WHEN 0 THEN %s WHEN 1 THEN %s ELSE %s END,
                'open', '', %s
            FROM {thread_table} t
        """  # noqa: S608 - generated numbers and model table names only
        cursor.execute(
            sql.replace("%", "%%").replace("%%s", "%s"),
            [
                rule.pk,
                DeadlineKind.INQUIRY,
                ContentType.objects.get_for_model(Thread).pk,
                department.pk,
                prep(now - dt.timedelta(days=3)),
                prep(breached_due),
                prep(soon_due),
                prep(later_due),
                prep(breached_due - lead),
                prep(soon_due - lead),
                prep(later_due - lead),
                prep(now),
            ],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {deadline_table}")
    ids = range(first_thread, last_thread + 1)
    return sum(1 for g in ids if (g // 200) % 20 in (0, 1))


if __name__ == "__main__":
    main()
