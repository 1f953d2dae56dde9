"""Benchmark each role's start page and finding a party on a simulated register and print the
figures (this is not a test).

PostgreSQL only. A register at two sizes, the same database grown from the first to the second:

1. contacts by ``indgang simulate`` (Copenhagen's year, as benchmarks/statistics.py makes it),
   the parties topped up with benchmarks/parties.py's invented ones, and what the start pages
   show through the demo's helpers: the personas' own contacts of the last weeks with their
   call-backs, deadlines (some overdue), building cases at every stage, a trained triage model
   and contacts waiting in its queue;
2. p50/p95 of the start page ``/`` of each demo persona (front line, caseworker, manager,
   administrator), logged in with a session, and of finding a party as one types
   (``POST /parties/find/`` as htmx sends it; ``GET /api/v1/parties/?q=``; the front desk's
   ``POST /parties/caller/``) for a surname, a name, part of an address, a phone, a CVR and a
   full CPR number; requests run in-process through Django's test client with production
   settings, each with the reference loop beside it (target p95 <= 100 ms);
3. the SQL statements of each request at both sizes, which must be equal.

Usage::

    .venv/bin/python benchmarks/workspace.py          # 100,000, then 1 M contacts and parties
    .venv/bin/python benchmarks/workspace.py --quick  # 20,000, then 100,000; fewer requests
    .venv/bin/python benchmarks/workspace.py --sizes 100000 1000000 --parties 100000 1000000
    .venv/bin/python benchmarks/workspace.py --pg-database indgang_big --json var/bench/big.json

``--pg-database NAME`` measures an existing database (a simulated register such as
statistics.py's) at its size instead of generating one: its parties are topped up to the
larger ``--parties`` and the personas' work is added once; nothing is dropped. Without it the
register is built in ``--fresh-database`` (default ``indgang_bench_workspace``), which is
dropped and created.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from harness import (
    ROOT,
    benchmark_parser,
    environment,
    pg_url,
    prepare_database,
    ran_phase,
    reference_ms,
    run_phase,
    say,
    setup_django,
    time_call,
)
from parties import insert_parties
from simulated_year import BIN, KLE_FULL, generate
from simulated_year import SCRIPT as STATISTICS_SCRIPT

PG_DB = "indgang_bench_workspace"
TARGET_P95_MS = 100.0
READS, WARMUP = 40, 5
QUICK_READS, QUICK_WARMUP = 10, 2
# The demo's personas (demo.services.STAFF), one per role.
PERSONAS = {"front line": "skranke", "caseworker": "byg", "manager": "leder", "admin": "admin"}
SEARCHER = "skranke"  # the front desk finds the caller
# What the front line types; the numbers are read from the register (phase_reads).
WORDS = {"surname": "hansen", "name": "jens hansen", "address": "nørrebrogade 12"}
# Contacts without a task that the front line registers today: triage queues the unsure ones.
UNROUTED = [
    "Borgeren ringede og ville tale med en sagsbehandler om et brev.",
    "Spørger om noget, hun har fået tilsendt, men kan ikke huske hvad.",
    "Ringede tilbage efter en besked på telefonsvareren.",
    "Vil gerne have hjælp til at udfylde en blanket.",
    "Har spørgsmål til en regning fra kommunen.",
    "Vil klage, men ved ikke over hvem.",
]


# --------------------------------------------------------------------------------------------
# In-process phases (a child process with Django set up on the benchmark database)
# --------------------------------------------------------------------------------------------


def phase_parties(payload: dict[str, Any]) -> dict[str, Any]:
    """Top the register's parties up to `parties` with parties.py's invented ones."""
    setup_django()
    from django.db import connection

    from indgang.parties.models import Party

    present = Party.objects.count()
    started = time.perf_counter()
    insert_parties(count=max(0, payload["parties"] - present), start=present)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE parties_party")
    return {
        "before": present,
        "parties": Party.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def phase_work(payload: dict[str, Any]) -> dict[str, Any]:
    """What the start pages show, once per register, through the demo's helpers: the
    personas' contacts of the last weeks, deadlines, cases, a triage model trained on their
    contacts and a few contacts without a task that triage queues; then VACUUM ANALYZE, as
    autovacuum does after a load."""
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from indgang.catalogue.constants import Channel
    from indgang.contacts.models import Contact
    from indgang.contacts.services import NewContact, register_contact
    from indgang.demo.cases import load_cases_demo
    from indgang.demo.deadlines import load_deadlines_demo
    from indgang.demo.services import invent_persona_contacts, load_organisation
    from indgang.organisation.selectors import get_scope
    from indgang.triage.demo import seed_triage

    now = timezone.now()
    _departments, units, users = load_organisation(
        kle_path=Path(payload["kle"]), progress=lambda _line: None
    )
    front_line, caseworker, manager = users[0], users[1], users[2]
    added = not Contact.objects.filter(registered_by__in=users).exists()
    if added:
        invent_persona_contacts(users=users, units=units, now=now)
        load_deadlines_demo(now=now, progress=lambda _line: None)
        load_cases_demo(
            caseworker=caseworker,
            manager=manager,
            unit=units["BTF", "Byggesager"],
            now=now,
            progress=lambda _line: None,
        )
        seed_triage(
            registrar=front_line,
            progress=lambda _line: None,
            now=now,
            contacts=Contact.objects.filter(registered_by__in=users),
        )
        for summary in UNROUTED:  # triaged as they are registered (immediate task backend)
            register_contact(
                new=NewContact(channel=Channel.PHONE, received_at=now, summary=summary),
                registered_by=front_line,
                registrar=get_scope(user=front_line),
                now=now,
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"added": added}


def phase_reads(payload: dict[str, Any]) -> dict[str, Any]:
    """p50/p95 and statements of each start page and search, and what the pages show."""
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from indgang.contacts.models import Contact
    from indgang.organisation.selectors import get_scope
    from indgang.parties.models import Party
    from indgang.workspace.selectors import get_start_page

    requests: dict[str, Callable[[], Any]] = {}
    shown: dict[str, str] = {}
    for role, username in PERSONAS.items():
        user = User.objects.get(username=username)
        client = Client(HTTP_ACCEPT_LANGUAGE="da")
        client.force_login(user)
        requests[f"start page, {role}"] = partial(_ok, client.get, "/")
        page = get_start_page(scope=get_scope(user=user), user=user, now=timezone.now())
        shown[role] = _shown(page)
    searcher = Client(HTTP_ACCEPT_LANGUAGE="da")
    searcher.force_login(User.objects.get(username=SEARCHER))
    queries = {**WORDS, **_numbers()}
    for label, text in queries.items():
        requests[f"find a party, {label}"] = partial(
            _ok, searcher.post, "/parties/find/", {"q": text}, HTTP_HX_REQUEST="true"
        )
    requests["API parties ?q=, surname"] = partial(
        _ok, searcher.get, "/api/v1/parties/", {"q": WORDS["surname"]}
    )
    requests["caller look-up, phone"] = partial(
        _ok, searcher.post, "/parties/caller/", {"caller_phone": queries["phone"]}
    )
    figures = {}
    for name, request in requests.items():
        timing = time_call(request, requests=payload["reads"], warmup=payload["warmup"])
        with CaptureQueriesContext(connection) as captured:
            request()
        figures[name] = {
            **timing,
            "statements": len(captured.captured_queries),
            "reference_ms": reference_ms(),
            # The loop's time is CPU time: other processes' load shows in the wall times only.
            "load": os.getloadavg()[0],
        }
    return {
        "contacts": Contact.objects.count(),
        "parties": Party.objects.count(),
        "reads": figures,
        "shown": shown,
    }


def _numbers() -> dict[str, str]:
    """A phone, a CVR and a full CPR number of the register's parties, the same at any size:
    the first phone (of the first invented party: simulate's have none), the first valid CVR
    number and the first citizen's CPR number (simulate's), by their ids."""
    from indgang.parties.constants import PartyKind
    from indgang.parties.identifiers import InvalidIdentifierError, clean_cvr, decrypt_cpr
    from indgang.parties.models import Party

    def valid(cvr: str | None) -> bool:
        try:
            return cvr is not None and clean_cvr(cvr) == cvr
        except InvalidIdentifierError:
            return False

    companies = Party.objects.filter(kind=PartyKind.COMPANY, cvr__isnull=False).order_by("pk")
    citizen = Party.objects.exclude(cpr_encrypted="").order_by("pk").first()
    assert citizen is not None  # noqa: S101 - simulate makes citizens
    return {
        "phone": Party.objects.exclude(phone="").order_by("pk").values_list("phone")[0][0],
        "CVR": next(
            str(cvr) for cvr in companies.values_list("cvr", flat=True)[:100] if valid(cvr)
        ),
        "CPR": decrypt_cpr(citizen.cpr_encrypted),
    }


def _ok(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    response = method(*args, **kwargs)
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code} {response.content[:300]!r}")
    return response


def _shown(page: Any) -> str:
    """What a start page shows, in a few numbers: that the panels have something to show."""
    if page.front_line:
        panel = page.front_line
        return (
            f"{panel.callbacks_count} call-backs due, {panel.queue_size} in the triage queue, "
            f"{panel.registered_today} registered today"
        )
    if page.caseworker:
        panel = page.caseworker
        return (
            f"{panel.deadlines_count} open deadlines ({panel.deadlines_overdue} overdue), "
            f"{panel.cases_count} cases, {panel.new_contacts_today} new contacts today"
        )
    if page.manager:
        panel = page.manager
        return (
            f"{panel.deadlines_overdue} deadlines overdue, {panel.deadlines_at_risk} at risk, "
            f"{panel.cases_over_target} cases over target, {len(panel.people)} people"
        )
    panel = page.admin
    return f"{len(panel.tasks)} periodic tasks, model {panel.model}, {len(panel.imports)} imports"


PHASES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "parties": phase_parties,
    "work": phase_work,
    "reads": phase_reads,
}


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def measure(env: dict[str, str], *, parties: int, quick: bool) -> dict[str, Any]:
    """Top the parties up, add the personas' work, and read: the figures at this size."""
    db = "postgres"
    topped = run_phase(__file__, "parties", {"parties": parties}, env)
    say(
        db,
        f"parties {topped['before']:,} -> {topped['parties']:,} in {topped['seconds']:.1f} s "
        f"| reference loop {reference_ms():.0f} ms",
    )
    work = run_phase(
        __file__, "work", {"kle": str(KLE_FULL)}, {**env, "INDGANG_TASK_BACKEND": "immediate"}
    )
    say(db, "the personas' work " + ("added" if work["added"] else "already there"))
    reads = run_phase(
        __file__,
        "reads",
        {"reads": QUICK_READS if quick else READS, "warmup": QUICK_WARMUP if quick else WARMUP},
        env,
    )
    for role, text in reads["shown"].items():
        say(db, f"{role}: {text}")
    for name, figure in reads["reads"].items():
        say(
            db,
            f"{reads['contacts']:>11,} contacts | {name:32} p50 {figure['p50_ms']:6.1f} ms  "
            f"p95 {figure['p95_ms']:6.1f} ms  {figure['statements']:3} statements  "
            f"| reference loop {figure['reference_ms']:.0f} ms, load {figure['load']:.1f}",
        )
    return reads


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, PHASES)
    parser.add_argument("--quick", action="store_true", help="20,000 then 100,000.")
    parser.add_argument("--sizes", type=int, nargs=2, help="Contacts, small and large.")
    parser.add_argument("--parties", type=int, nargs=2, help="Parties, small and large.")
    parser.add_argument("--pg-database", help="Measure this existing database; not dropped.")
    parser.add_argument(
        "--fresh-database", default=PG_DB, help=f"Dropped and created (default {PG_DB})."
    )
    args = parser.parse_args(argv)
    if ran_phase(args, PHASES):
        return 0
    small, large = args.sizes or ((20_000, 100_000) if args.quick else (100_000, 1_000_000))
    parties = args.parties or (small, large)
    print(f"load average before: {os.getloadavg()[0]:.2f}; reference loop {reference_ms():.0f} ms")
    results: dict[str, Any] = {}
    if args.pg_database:
        env = environment(pg_url(args.pg_database))
        reads = measure(env, parties=parties[1], quick=args.quick)
        results[str(reads["contacts"])] = reads
    else:
        env = environment(
            prepare_database("postgres", sqlite_name="", pg_database=args.fresh_database)
        )
        subprocess.run([str(BIN / "indgang"), "migrate", "--noinput", "-v0"], env=env, check=True)
        run_phase(STATISTICS_SCRIPT, "setup", {"kle": str(KLE_FULL)}, env)
        for size, more, seed, count in (
            (small, small, 1, parties[0]),
            (large, large - small, 2, parties[1]),
        ):
            made = generate(env, more, seed)
            say("postgres", f"indgang simulate: {made['contacts']:,} contacts more")
            results[str(size)] = measure(env, parties=count, quick=args.quick)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    _print_summary(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def _print_summary(results: dict[str, Any]) -> None:
    """One row per request: p50/p95 and statements at each size, the target's verdict."""
    sizes = list(results.values())
    header = " | ".join(f"{s['contacts']:,} contacts, {s['parties']:,} parties" for s in sizes)
    print(f"\nSummary: p50/p95 ms (statements) at {header}")
    for name in sizes[0]["reads"]:
        figures = [size["reads"][name] for size in sizes]
        cells = " | ".join(
            f"{f['p50_ms']:6.1f} /{f['p95_ms']:6.1f} ({f['statements']})" for f in figures
        )
        counts = [f["statements"] for f in figures]
        # A search stops once its page is full: a larger register may fill it a statement
        # sooner (parties.selectors.search_parties), never later.
        growth = (
            "equal"
            if len(set(counts)) == 1
            else "fewer"
            if counts == sorted(counts, reverse=True)
            else "MORE"
        )
        fast = all(f["p95_ms"] <= TARGET_P95_MS for f in figures)
        print(
            f"{name:34} {cells}  p95 <= {TARGET_P95_MS:.0f}: {'met' if fast else 'NOT met'}; "
            f"statements {growth}"
        )
    refs = " | ".join(
        f"{min(f['reference_ms'] for f in s['reads'].values()):.0f}-"
        f"{max(f['reference_ms'] for f in s['reads'].values()):.0f} ms"
        for s in sizes
    )
    loads = " | ".join(
        f"{min(f['load'] for f in s['reads'].values()):.1f}-"
        f"{max(f['load'] for f in s['reads'].values()):.1f}"
        for s in sizes
    )
    print(f"reference loop (fixed Python work; machine speed): {refs}; load average {loads}")


if __name__ == "__main__":
    (ROOT / "var" / "bench" / "static").mkdir(parents=True, exist_ok=True)
    sys.exit(main())
