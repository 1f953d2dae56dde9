"""Benchmark the statistics over a simulated year and print the figures (this is not a test).

Run it as ``benchmarks/statistics.py`` (the launcher); the code is here, under a name that does
not shadow the standard library's ``statistics`` for mypy.

On PostgreSQL (database ``indgang_bench_stats`` or ``--pg-database``, dropped and created on
each run):

1. ``indgang simulate`` generates 100,000 and then 10,500,000 contacts (Copenhagen's year, seed
   004 table 4) in a child process: contacts per second of its own work (its report's seconds,
   target >= 100,000/s) and with the process's start (wall time), and the child's peak memory
   (ru_maxrss; target <= 500 MB); beside it the ceiling, COPY's own rate of the same contacts
   and their threads into the same tables in the same mode (phase ``ceiling``), and the ratio;
2. p50/p95 of each dashboard read at both sizes, and their ratio (target t(large)/t(small)
   <= 1.5, p95 <= 100 ms): ``contact_counts`` as the dashboard asks for it (the last 12 months by
   month and channel, for the municipality, one department, one task), and every statistics
   URL of ``URLS`` that this checkout has (the API and the pages of the other issue-20 branches);
3. the cost of the rollup triggers on registration: benchmarks/contacts.py's POST figure with
   and without them (``contacts.py --no-rollups``), three rounds in alternating order, the
   median drop (target <= 10 %) with each round's, and PostgreSQL's CPU per POST.

Usage::

    .venv/bin/python benchmarks/statistics.py            # minutes to hours: 10.5 M contacts
    .venv/bin/python benchmarks/statistics.py --quick    # 20,000 and 100,000; quick POSTs
    .venv/bin/python benchmarks/statistics.py --sizes 100000 1000000 --no-posts
    .venv/bin/python benchmarks/statistics.py --reads-on indgang_small indgang_large  # kept
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from harness import (
    BENCH_DIR,
    ROOT,
    benchmark_parser,
    environment,
    percentile,
    pg_url,
    prepare_database,
    ran_phase,
    reference_ms,
    run_phase,
    say,
    setup_django,
    time_call,
)

BIN = Path(sys.executable).parent
# The script this module runs as, also for its phases (see its docstring).
SCRIPT = str(ROOT / "benchmarks" / "statistics.py")
PG_DB = "indgang_bench_stats"
KLE_FULL = ROOT.parent / "shared" / "data" / "kle" / "KLE-Emneplan_Version2-0_2015-08-01.xml"
YEAR = 2025
ADMIN = "admin"  # the demo organisation's administrator: every department's statistics
TARGET_RATE = 100_000.0
TARGET_P95_MS = 100.0
TARGET_RATIO = 1.5
TARGET_MAXRSS_MB = 500.0
TARGET_POST_DROP = 0.10
READS, WARMUP = 40, 5
# Statistics URLs of the issue-20 branches, measured where this checkout has them.
PERIOD = "from={start}&to={end}"
URLS = {
    "API contacts, municipality": f"/api/v1/statistics/contacts/?{PERIOD}&by=channel&period=month",
    "API contacts, one department": (
        f"/api/v1/statistics/contacts/?{PERIOD}&by=channel&period=month&department={{department}}"
    ),
    "API contacts, one task": (
        f"/api/v1/statistics/contacts/?{PERIOD}&by=channel&period=month&task={{task}}"
    ),
    "API KPIs": f"/api/v1/statistics/kpis/?{PERIOD}",
    "API costs": f"/api/v1/statistics/costs/?{PERIOD}",
    "API funnels": f"/api/v1/statistics/funnels/?{PERIOD}",
    # The page's own form names its dates; the API's names are passed too (ignored if unknown).
    "dashboard page": (f"/statistik/?{PERIOD}&start={{start}}&end={{end}}&period=month&by=channel"),
}


# --------------------------------------------------------------------------------------------
# In-process phases (a child process with Django set up on the benchmark database)
# --------------------------------------------------------------------------------------------


def phase_setup(payload: dict[str, Any]) -> dict[str, Any]:
    """The demo's organisation, staff, full KLE and task catalogue; the administrator's token."""
    setup_django()
    from django.contrib.auth.models import User
    from django.utils import timezone

    from indgang.demo.services import load_organisation
    from indgang.organisation.services import issue_api_token

    load_organisation(kle_path=Path(payload["kle"]), progress=lambda _line: None)
    admin = User.objects.get(username=ADMIN)
    token = issue_api_token(user=admin, name="bench", expires_in_days=None, now=timezone.now())
    return {"token": token.secret}


def phase_reads(payload: dict[str, Any]) -> dict[str, Any]:
    """p50/p95 of each read and its statements, after VACUUM ANALYZE (what autovacuum does
    after a load). Without a token in the payload (`--reads-on`), one is issued."""
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve
    from django.utils import timezone

    from indgang.contacts.models import Contact
    from indgang.organisation.selectors import get_scope
    from indgang.organisation.services import issue_api_token
    from indgang.statistics.models import ContactCount
    from indgang.statistics.selectors import Dimension, Slice, contact_counts

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    busiest = list(
        ContactCount.objects.values("department_id", "task_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:1]
    )[0]
    scope = get_scope(user=User.objects.get(username=ADMIN))
    slices = {
        "counts, municipality": Slice(start=start, end=end),
        "counts, one department": Slice(
            start=start, end=end, department_id=busiest["department_id"]
        ),
        "counts, one task": Slice(start=start, end=end, task_id=busiest["task_id"]),
    }
    by: tuple[Dimension, ...] = ("channel",)
    calls: dict[str, Callable[[], Any]] = {
        name: partial(contact_counts, scope=scope, slice=piece, by=by, period="month")
        for name, piece in slices.items()
    }
    token = payload.get("token") or (
        issue_api_token(
            user=User.objects.get(username=ADMIN),
            name="bench",
            expires_in_days=1,
            now=timezone.now(),
        ).secret
    )
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(User.objects.get(username=ADMIN))
    missing = []
    for name, template in URLS.items():
        path = template.format(
            start=start, end=end, department=busiest["department_id"], task=busiest["task_id"]
        )
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            missing.append(name)
            continue
        calls[name] = partial(_get, client, path)
    figures = {name: time_call(call, requests=READS, warmup=WARMUP) for name, call in calls.items()}
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as statements:
            call()
        figures[name]["statements"] = len(statements)
    return {
        "contacts": Contact.objects.count(),
        "reads": figures,
        "missing": missing,
        "reference_ms": reference_ms(),
    }


def _get(client: Any, path: str) -> Any:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code} {response.content[:300]!r}")
    return response


CEILING_ROWS = 200_000
# The columns of the rows `indgang simulate` writes, but the id.
CEILING_TABLES = {
    "contacts_thread": "subject, created_at, last_contact_at, department_id, party_id",
    "contacts_contact": (
        "channel, direction, received_at, summary, outcome, duration_seconds, created_at, "
        "department_id, handled_by_id, kle_topic_id, party_id, registered_by_id, task_id, "
        "unit_id, thread_id, awaiting_triage, received_on"
    ),
}


def phase_ceiling(payload: dict[str, Any]) -> dict[str, Any]:
    """COPY's own rate on this machine, in simulate's mode: the newest simulated contacts (at
    most CEILING_ROWS) and as many of the newest threads as simulate wrote with them, copied
    out and COPYed back under new ids (threads first), with the tables' indexes, the rollups
    counted by the caller and the references checked as simulate has them checked (per set
    where the role may skip the row triggers, else per row), then rolled back. No Python
    builds these rows: the ceiling for `indgang simulate`'s contacts per second."""
    setup_django()
    from django.db import connection, transaction

    from indgang.contacts.models import Contact, Thread
    from indgang.demo.bulkload import check_references, newest_ids
    from indgang.demo.simulate import simulated_row_triggers_skipped
    from indgang.statistics.services import counting_taken_over

    contacts = min(CEILING_ROWS, Contact.objects.count())
    counts = {
        "contacts_thread": round(contacts * Thread.objects.count() / Contact.objects.count()),
        "contacts_contact": contacts,
    }
    blocks: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        for table, columns in CEILING_TABLES.items():
            rows = io.BytesIO()
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            shift = cursor.fetchone()[0]
            with cursor.cursor.copy(
                f"COPY (SELECT id + {shift}, {columns} FROM {table} "  # noqa: S608
                f"ORDER BY id DESC LIMIT {counts[table]}) TO STDOUT"
            ) as copy:
                for block in copy:
                    rows.write(block)
            blocks[table] = rows.getvalue()
    started = time.perf_counter()
    with transaction.atomic():
        with counting_taken_over(), simulated_row_triggers_skipped() as per_set:
            newest = newest_ids([Thread, Contact])
            with connection.cursor() as cursor:
                if not per_set:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table, columns in CEILING_TABLES.items():
                    with cursor.cursor.copy(f"COPY {table} (id, {columns}) FROM STDIN") as copy:
                        copy.write(blocks[table])
            if per_set:
                check_references(newest)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "rows": contacts,
        "threads": counts["contacts_thread"],
        "per_set": per_set,
        "seconds": seconds,
        "per_second": contacts / seconds,
    }


PHASES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "setup": phase_setup,
    "reads": phase_reads,
    "ceiling": phase_ceiling,
}


# --------------------------------------------------------------------------------------------
# Generation in a child process: its rate and peak memory
# --------------------------------------------------------------------------------------------


def generate(env: dict[str, str], contacts: int, seed: int) -> dict[str, float]:
    """Run `indgang simulate` for `contacts` more contacts; seconds, rate and peak RSS (MB)."""
    command = [
        str(BIN / "indgang"),
        "simulate",
        "--municipality=koebenhavn",
        f"--year={YEAR}",
        f"--contacts={contacts}",
        f"--seed={seed}",
    ]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the largest of all).
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"indgang simulate failed: {output}")
    # "Simulerede N henvendelser … på S sekunder.": S is the simulation's own work, without
    # the process's start (imports, settings): the rate the target means.
    numbers = re.findall(r"\d+(?:\.\d+)?", output)
    written, work = int(numbers[0]), float(numbers[-1])
    return {
        "contacts": written,
        "seconds": work,
        "per_second": written / work,
        "wall_seconds": seconds,
        "wall_per_second": written / seconds,
        "maxrss_mb": usage.ru_maxrss / 1024,
    }


# --------------------------------------------------------------------------------------------
# The POST cost of the rollups: benchmarks/contacts.py with and without the triggers
# --------------------------------------------------------------------------------------------


# Rounds of the POST comparison: alone, one pair's drop swung from -1 % to 19 % on a quiet
# machine (2026-12-05); alternating the order and taking medians evens out drift and bursts.
POST_ROUNDS = 3


def _post_run(label: str, extra: list[str], quick: bool, pg_database: str) -> dict[str, Any]:
    out = BENCH_DIR / f"statistics-posts-{label.split()[0]}.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "contacts.py"),
            "--db=postgres",
            f"--pg-database={pg_database}",
            f"--json={out}",
            *(["--quick"] if quick else []),
            *extra,
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    figures: dict[str, Any] = json.loads(out.read_text())["postgres"]
    return figures


def post_rates(quick: bool, pg_database: str, rounds: int = POST_ROUNDS) -> dict[str, float]:
    """contacts.py with and without the rollups' triggers, `rounds` times in alternating order
    (with first, then without first, ...): the median rate and PostgreSQL's median CPU per POST
    of each, and every round's rates."""
    variants: tuple[tuple[str, list[str]], ...] = (
        ("with rollups", []),
        ("without rollups", ["--no-rollups"]),
    )
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _extra in variants}
    for number in range(rounds):
        for label, extra in variants if number % 2 == 0 else variants[::-1]:
            runs[label].append(_post_run(label, extra, quick, pg_database))
    rates: dict[str, float] = {}
    for label, figures in runs.items():
        for clients, key in (("1 client", "post_1"), ("4 clients", "post_n")):
            per_second = [run[key]["per_second"] for run in figures]
            rates[f"{label}, {clients}"] = percentile(per_second, 0.5)
            rates[f"{label}, {clients}, PostgreSQL CPU ms"] = percentile(
                [run[key]["cpu_ms_db"] for run in figures], 0.5
            )
            for number, rate in enumerate(per_second, start=1):
                rates[f"{label}, {clients}, round {number}"] = rate
    return rates


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, PHASES)
    parser.add_argument("--quick", action="store_true", help="20,000 and 100,000 contacts.")
    parser.add_argument("--sizes", type=int, nargs=2, help="The small and the large register.")
    parser.add_argument("--no-posts", action="store_true", help="Skip the POST comparison.")
    parser.add_argument("--only-posts", action="store_true", help="Only the POST comparison.")
    parser.add_argument(
        "--pg-database", default=PG_DB, help=f"Dropped and created (default {PG_DB})."
    )
    parser.add_argument(
        "--reads-on",
        nargs=2,
        metavar=("SMALL", "LARGE"),
        help="Only the reads, on these two existing, migrated databases (kept as they are).",
    )
    args = parser.parse_args(argv)
    if ran_phase(args, PHASES):
        return 0
    if args.reads_on:
        _print(reads_on(args.reads_on))
        return 0
    if args.only_posts:
        _print(_post_rows(post_rates(args.quick, f"{args.pg_database}_posts")))
        return 0
    small, large = args.sizes or ((20_000, 100_000) if args.quick else (100_000, 10_500_000))
    (BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)
    db = "postgres"
    env = environment(prepare_database(db, sqlite_name="statistics", pg_database=args.pg_database))
    subprocess.run([str(BIN / "indgang"), "migrate", "--noinput", "-v0"], env=env, check=True)
    token = run_phase(SCRIPT, "setup", {"kle": str(KLE_FULL)}, env)["token"]
    say(
        db,
        f"migrated; organisation and task catalogue loaded; reference loop {reference_ms():.0f} ms",
    )
    results: dict[str, Any] = {}
    for size, more, seed in ((small, small, 1), (large, large - small, 2)):
        made = generate(env, more, seed)
        say(
            db,
            f"indgang simulate, {made['contacts']:,} contacts: {made['per_second']:,.0f}/s "
            f"({made['seconds']:.1f} s of its own work; {made['wall_per_second']:,.0f}/s, "
            f"{made['wall_seconds']:.1f} s, with the process's start), "
            f"peak RSS {made['maxrss_mb']:.0f} MB "
            f"| reference loop {reference_ms():.0f} ms",
        )
        ceiling = run_phase(SCRIPT, "ceiling", {}, env)
        made["copy_per_second"] = ceiling["per_second"]
        say(
            db,
            f"ceiling: COPY of {ceiling['rows']:,} of these contacts and {ceiling['threads']:,} "
            f"threads, references checked {'per set' if ceiling['per_set'] else 'per row'}: "
            f"{ceiling['per_second']:,.0f}/s ({ceiling['seconds']:.1f} s) "
            f"| reference loop {reference_ms():.0f} ms",
        )
        reads = run_phase(SCRIPT, "reads", {"token": token}, env)
        for name, figure in reads["reads"].items():
            say(
                db,
                f"{size:>11,} contacts | {name}: p50 {figure['p50_ms']:.1f} ms, "
                f"p95 {figure['p95_ms']:.1f} ms",
            )
        if reads["missing"]:
            say(db, "not in this checkout: " + ", ".join(reads["missing"]))
        results[str(size)] = {"generate": made, **reads}
    summary = _summary(results, str(small), str(large))
    if not args.no_posts:
        results["posts"] = rates = post_rates(args.quick, f"{args.pg_database}_posts")
        summary += _post_rows(rates)
    _print(summary)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


Row = tuple[str, str, str]


def reads_on(databases: list[str]) -> list[Row]:
    """The reads phase on each existing database in turn, and the ratios of the second's to
    the first's."""
    results = {}
    for database in databases:
        reads = run_phase(SCRIPT, "reads", {}, environment(pg_url(database)))
        results[database] = reads
        for name, figure in reads["reads"].items():
            say(
                "postgres",
                f"{database} ({reads['contacts']:,} contacts) | {name}: p50 "
                f"{figure['p50_ms']:.1f} ms, p95 {figure['p95_ms']:.1f} ms, "
                f"{figure['statements']} statements "
                f"| reference loop {reads['reference_ms']:.0f} ms",
            )
    small, large = (results[database] for database in databases)
    return _read_rows(
        {"reads": small["reads"], "reference_ms": small["reference_ms"]},
        {"reads": large["reads"], "reference_ms": large["reference_ms"]},
        f"{small['contacts']:,}",
        f"{large['contacts']:,}",
    )


def _summary(results: dict[str, Any], small: str, large: str) -> list[Row]:
    rows: list[Row] = []
    for size in (small, large):
        made = results[size]["generate"]
        rows.append(
            (
                f"indgang simulate to {int(size):,}: contacts/s",
                f"{made['per_second']:,.0f}/s",
                _verdict(f">= {TARGET_RATE:,.0f}/s", made["per_second"] >= TARGET_RATE),
            )
        )
        rows.append(
            (
                f"  the same with the process's start (wall time), at {int(size):,}",
                f"{made['wall_per_second']:,.0f}/s",
                "",
            )
        )
        rows.append(
            (
                f"  ceiling: COPY of the same contacts and threads, same mode, at {int(size):,}",
                f"{made['copy_per_second']:,.0f}/s",
                f"simulate reaches {made['per_second'] / made['copy_per_second']:.0%} of it",
            )
        )
        rows.append(
            (
                f"indgang simulate to {int(size):,}: peak RSS",
                f"{made['maxrss_mb']:.0f} MB",
                _verdict(f"<= {TARGET_MAXRSS_MB:.0f} MB", made["maxrss_mb"] <= TARGET_MAXRSS_MB),
            )
        )
    return rows + _read_rows(results[small], results[large], f"{int(small):,}", f"{int(large):,}")


def _read_rows(
    small: dict[str, Any], large: dict[str, Any], at_small: str, at_large: str
) -> list[Row]:
    rows: list[Row] = []
    for name, figure in large["reads"].items():
        before = small["reads"][name]
        ratio = figure["p50_ms"] / before["p50_ms"]
        rows.append(
            (
                f"{name}: p50/p95 at {at_small} | at {at_large}",
                f"{before['p50_ms']:.1f}/{before['p95_ms']:.1f} | "
                f"{figure['p50_ms']:.1f}/{figure['p95_ms']:.1f} ms (x{ratio:.2f})",
                _verdict(
                    f"p95 <= {TARGET_P95_MS:.0f} ms, ratio <= {TARGET_RATIO}",
                    figure["p95_ms"] <= TARGET_P95_MS and ratio <= TARGET_RATIO,
                ),
            )
        )
    rows.append(
        (
            "reference loop (fixed Python work; machine speed)",
            f"{small['reference_ms']:.0f} / {large['reference_ms']:.0f} ms",
            "",
        )
    )
    return rows


def _post_rows(rates: dict[str, float]) -> list[Row]:
    rows = []
    for clients in ("1 client", "4 clients"):
        with_, without = rates[f"with rollups, {clients}"], rates[f"without rollups, {clients}"]
        drop = 1 - with_ / without
        per_round = [
            1 - rates[f"with rollups, {clients}, round {n}"] / rate
            for key, rate in rates.items()
            if key.startswith(f"without rollups, {clients}, round ")
            for n in [key.rsplit(" ", 1)[1]]
        ]
        drops = ", ".join(f"{one:.1%}" for one in per_round)
        rows.append(
            (
                f"POST /api/v1/contacts/, {clients}: with / without rollups, median",
                f"{with_:.0f} / {without:.0f} /s (drop {drop:.1%}; rounds {drops})",
                _verdict(f"drop <= {TARGET_POST_DROP:.0%}", drop <= TARGET_POST_DROP),
            )
        )
        cpu_with = rates[f"with rollups, {clients}, PostgreSQL CPU ms"]
        cpu_without = rates[f"without rollups, {clients}, PostgreSQL CPU ms"]
        rows.append(
            (
                f"  PostgreSQL CPU per POST, {clients}: with / without rollups",
                f"{cpu_with:.3f} / {cpu_without:.3f} ms",
                "",
            )
        )
    return rows


def _verdict(target: str, met: bool) -> str:
    return f"target {target}: {'met' if met else 'NOT met'}"


def _print(rows: list[Row]) -> None:
    width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    print("\nSummary\n" + "-" * (width + value_width + 30))
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>{value_width}}  {target}".rstrip())


if __name__ == "__main__":
    raise SystemExit("Run benchmarks/statistics.py.")
