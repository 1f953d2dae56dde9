"""Benchmark finding a party as one types and print the figures (this is not a test).

On SQLite and on PostgreSQL, with 100,000 parties (``--parties N`` for more): p50/p95 of
``overview.selectors.find_parties_for`` (the search, its access-log rows and the reasons check,
as a caseworker) over a fixed mix of what the front line types, and the SQL statements of a
search with one hit and with twenty, which must be equal.

Usage::

    .venv/bin/python benchmarks/parties.py [--db sqlite|postgres|both] [--parties N] [--json FILE]

The parties are invented: Danish first names and surnames drawn with the surnames' real
concentration (Jensen, Nielsen and Hansen each about one in twenty), street addresses, e-mail
addresses and phones; one in a hundred has a CPR number, one in twenty is a company with a CVR
number. They are bulk-inserted with their search keys as the services set them. PostgreSQL:
``indgang_bench_parties``, dropped and created each run; SQLite: ``var/bench/parties.sqlite3``.
"""

from __future__ import annotations

import random
import sys
import time
from functools import partial
from typing import Any

from harness import (
    BENCH_DIR,
    CASEWORKER,
    benchmark_parser,
    ensure_caseworker,
    environment,
    prepare_database,
    ran_phase,
    reference_ms,
    run_databases,
    run_phase,
    say,
    setup_django,
    time_call,
)

PG_DB = "indgang_bench_parties"
BATCH = 5_000
SEED = 21
TARGET_P95_MS = 100.0
REQUESTS_PER_QUERY = 20
FIRST = ["Anne", "Jens", "Søren", "Mette", "Peter", "Kirsten", "Lars", "Hanne", "Mads", "Åse"]
FIRST += ["Niels", "Susanne", "Henrik", "Lene", "Thomas", "Camilla", "Ørjan", "Emil", "Ida"]
# Surnames with Danmarks Statistik's order of frequency; the first three each ~4-5 %.
LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen"]
LAST += ["Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen"]
LAST += [f"Efternavn{n}" for n in range(2_000)]  # the long tail of rarer names
STREETS = ["Nørrebrogade", "Østergade", "Åboulevard", "Vestergade", "Søndergade", "Algade"]
QUERIES = [
    "jens",
    "jens hansen",
    "søren nielsen",
    "hansen",
    "mads pe",
    "åse",
    "nørrebrogade 12",
    "efternavn1234",
    "kirsten efternavn7",
    "anne østergade",
]


def phase_setup(payload: dict[str, Any]) -> dict[str, Any]:
    """Migrate, make a caseworker, insert the parties in bulk."""
    setup_django()
    from django.db import connection

    ensure_caseworker(units=1)
    started = time.perf_counter()
    numbers = insert_parties(count=payload["parties"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"insert_s": time.perf_counter() - started, "numbers": numbers}


def insert_parties(*, count: int, start: int = 0) -> dict[str, str]:
    """Bulk-insert `count` invented parties, numbered from `start` (a second call from where the
    first ended invents others); the first phone, e-mail, CPR and CVR number inserted, to
    search by. A party whose CPR or CVR number is already in the register (say, one of
    `indgang simulate`'s) is left out."""
    from indgang.parties.constants import PartyKind
    from indgang.parties.identifiers import cpr_digest, encrypt_cpr, mask_cpr
    from indgang.parties.matching import phone_key, search_text
    from indgang.parties.models import Party

    rng = random.Random(SEED + start)
    weights = [5, 5, 5, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1] + [0.03] * 2_000
    batch: list[Any] = []
    numbers: dict[str, str] = {}
    for n in range(start, start + count):
        company = n % 20 == 0
        name = (
            f"{rng.choice(LAST)} {rng.choice(['ApS', 'A/S', 'I/S'])}"
            if company
            else f"{rng.choice(FIRST)} {rng.choices(LAST, weights)[0]}"
        )
        address = f"{rng.choice(STREETS)} {rng.randint(1, 200)}, {rng.randint(1000, 9990)} By"
        email = f"{name.split()[0].lower()}.{n}@example.dk"
        phone = f"+45 {20_000_000 + n}"
        cvr = f"{10_000_000 + n}" if company else None
        party = Party(kind=PartyKind.COMPANY if company else PartyKind.CITIZEN, name=name)
        party.address, party.email, party.phone, party.cvr = address, email, phone, cvr
        if not company and n % 100 == 1:
            # The first a valid one to look up.
            cpr = f"{n:010d}" if "cpr" in numbers else "0101901234"
            party.cpr_digest = cpr_digest(cpr)
            party.cpr_encrypted, party.cpr_masked = encrypt_cpr(cpr), mask_cpr(cpr)
            numbers.setdefault("cpr", cpr)
        party.search_text = search_text(
            name=name, address=address, email=email, phone=phone, cvr=cvr
        )
        party.phone_key = phone_key(phone)
        numbers.setdefault("phone", phone)
        numbers.setdefault("email", email)
        if cvr:
            numbers.setdefault("cvr", cvr)
        batch.append(party)
        if len(batch) == BATCH:
            Party.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Party.objects.bulk_create(batch, ignore_conflicts=True)
    return numbers


def phase_reads(payload: dict[str, Any]) -> dict[str, Any]:
    """Time each query of the mix, and count the statements of a small and a large search."""
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from indgang.audit.constants import Purpose, Via
    from indgang.organisation.selectors import get_scope
    from indgang.overview.selectors import find_parties_for

    user = User.objects.get(username=CASEWORKER)
    scope = get_scope(user=user)
    queries = [*QUERIES, *payload["numbers"].values()]

    def find(text: str) -> int:
        return len(
            find_parties_for(
                user=user,
                scope=scope,
                text=text,
                purpose=Purpose.CONTACT,
                via=Via.UI,
                now=timezone.now(),
            )
        )

    per_query: dict[str, dict[str, float]] = {}
    all_times: list[float] = []
    for text in queries:
        timing = time_call(partial(find, text), requests=REQUESTS_PER_QUERY, warmup=2)
        label = "(number)" if text in payload["numbers"].values() else text
        per_query[f"{label} {len(per_query)}"] = {**timing, "hits": find(text)}
        all_times.append(timing["p95_ms"])
    statements = []
    for text in (payload["numbers"]["email"], "hansen"):
        with CaptureQueriesContext(connection) as captured:
            find(text)
        statements.append(len(captured.captured_queries))
    return {
        "per_query": per_query,
        "worst_p95_ms": max(all_times),
        "statements": statements,
        "reference_ms": reference_ms(),
    }


PHASES = {"setup": phase_setup, "reads": phase_reads}


def bench_database(db: str, parties: int) -> dict[str, Any]:
    url = prepare_database(db, sqlite_name="parties", pg_database=PG_DB)
    env = environment(url)
    say(db, f"inserting {parties:,} parties ...")
    setup = run_phase(__file__, "setup", {"parties": parties}, env)
    say(db, f"inserted in {setup['insert_s']:.1f} s")
    reads = run_phase(__file__, "reads", {"numbers": setup["numbers"]}, env)
    for label, figure in reads["per_query"].items():
        say(
            db,
            f"{label:28} p50 {figure['p50_ms']:6.1f} ms  p95 {figure['p95_ms']:6.1f} ms  "
            f"{figure['hits']:2} hits",
        )
    small, large = reads["statements"]
    met = reads["worst_p95_ms"] <= TARGET_P95_MS and small == large
    say(
        db,
        f"worst p95 {reads['worst_p95_ms']:.1f} ms (target {TARGET_P95_MS:.0f}); statements "
        f"1 hit/20 hits {small}/{large}; reference loop {reads['reference_ms']:.0f} ms  "
        f"{'OK' if met else 'MISSED'}",
    )
    return {"insert_s": setup["insert_s"], **reads}


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, PHASES)
    parser.add_argument("--parties", type=int, default=100_000)
    args = parser.parse_args(argv)
    if ran_phase(args, PHASES):
        return 0
    run_databases(args.db, partial(bench_database, parties=args.parties), json_path=args.json)
    return 0


if __name__ == "__main__":
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
