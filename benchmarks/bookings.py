"""Benchmark booking and finding free slots on PostgreSQL and print the figures (not a test).

Measures:

1. **bookings per second** from 4 concurrent clients, each a process of its own with its own
   database connection, booking through the service (`bookings.services.book_slot`, the
   partial unique index deciding, the calendar file's task enqueued) 250 free slots each;
2. **p50/p95 of finding free slots** for one unit over 90 days
   (`bookings.selectors.list_free_slots`, evaluated with the staff prefetched) with 50,000
   bookings in the table (target p95 <= 50 ms), and the same through
   `GET /api/v1/bookings/free-slots/` with token auth; the statements of a 1-day and a 90-day
   search are counted, and must be equal.

Data, through the services where they exist: Benchmark Kommune's building department with 20
units, two staff members each; `publish_slots` publishes 30-minute pre-application slots on
every working day from 180 days ago to 185 days ahead (about 70,000 slots); 50,000 bookings of
them (bulk insert, random slots, one in ten cancelled, which stays as history) for 2,000
citizens; each staff member away on 5 random days. PostgreSQL: ``indgang_bench_bookings``,
dropped and created each run.

Usage::

    .venv/bin/python benchmarks/bookings.py [--quick] [--json FILE]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from harness import (
    BENCH_DIR,
    ROOT,
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

PG_DB = "indgang_bench_bookings"
UNITS = 20
CITIZENS = 2_000
CLIENTS = 4
SEED = 22
FREE_SLOTS_TARGET_MS = 50.0
DAYS = 90


@dataclass(frozen=True)
class Plan:
    bookings: int
    per_client: int
    requests: int
    warmup: int


FULL = Plan(bookings=50_000, per_client=250, requests=200, warmup=20)
QUICK = Plan(bookings=5_000, per_client=50, requests=50, warmup=5)


def phase_setup(payload: dict[str, Any]) -> dict[str, Any]:
    """Migrate; the units, staff and absences; publish the slots; insert the bookings."""
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from indgang.bookings.constants import BookingStatus, MeetingType, Mode
    from indgang.bookings.models import Booking, Slot, StaffAbsence
    from indgang.bookings.services import publish_slots
    from indgang.organisation.constants import Role
    from indgang.organisation.services import ensure_staff_user, issue_api_token
    from indgang.parties.constants import PartyKind
    from indgang.parties.models import Party

    rng = random.Random(SEED)
    user, building, units = ensure_caseworker(units=UNITS)
    today = timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()
    staff = []
    for number, unit in enumerate(units):
        pair = [
            ensure_staff_user(
                username=f"bench-{number:02d}-{seat}",
                password="bench-password-1",  # noqa: S106 - a throwaway database
                full_name=f"Bench {number} {seat}",
                roles=[(Role.CASEWORKER, building, unit)],
            )
            for seat in "ab"
        ]
        staff += pair
        publish_slots(
            unit=unit,
            meeting_type=MeetingType.PRE_APPLICATION,
            length=dt.timedelta(minutes=30),
            first=today - dt.timedelta(days=180),
            last=today + dt.timedelta(days=185),
            mode=Mode.IN_PERSON,
            place="Rådhuset",
            staff=pair,
        )
    StaffAbsence.objects.bulk_create(
        StaffAbsence(
            user=member,
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(0))),
            ends_at=timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59))),
        )
        for member in staff
        for day in (today + dt.timedelta(days=rng.randint(-180, 185)) for _ in range(5))
    )
    Party.objects.bulk_create(
        Party(kind=PartyKind.COMPANY, cvr=f"{80_000_000 + n}", name=f"Ansøger {n} ApS")
        for n in range(CITIZENS)
    )
    party_ids = list(Party.objects.values_list("pk", flat=True))
    slot_ids = list(Slot.objects.values_list("pk", flat=True))
    held = rng.sample(slot_ids, payload["bookings"])
    Booking.objects.bulk_create(
        (
            Booking(
                slot_id=slot_id,
                party_id=rng.choice(party_ids),
                booked_at=now,
                booked_by=user,
                calendar_uid=uuid.uuid4(),
                status=BookingStatus.CANCELLED if n % 10 == 0 else BookingStatus.ACTIVE,
                cancelled_at=now if n % 10 == 0 else None,
            )
            for n, slot_id in enumerate(held)
        ),
        batch_size=5_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    token = issue_api_token(user=user, name="bench", expires_in_days=None, now=now)
    return {
        "token": token.secret,
        "setup_s": time.perf_counter() - started,
        "slots": len(slot_ids),
        "unit": units[0].pk,
        "today": today.isoformat(),
    }


def phase_client(payload: dict[str, Any]) -> dict[str, Any]:
    """Book the given slots one by one through the service, starting at `start_at` (epoch
    seconds), so the clients begin together."""
    setup_django()
    from django.contrib.auth.models import User
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.utils import timezone

    from indgang.bookings.models import Slot
    from indgang.bookings.services import book_slot
    from indgang.parties.models import Party

    user = User.objects.get(username="bench-byg")
    parties = list(Party.objects.order_by("pk")[: len(payload["slots"])])
    slots = list(Slot.objects.filter(pk__in=payload["slots"]).order_by("starts_at", "pk"))
    connection.ensure_connection()
    time.sleep(max(0.0, payload["start_at"] - time.time()))
    started = time.time()
    refused = 0
    for slot, party in zip(slots, parties, strict=False):
        try:
            book_slot(slot=slot, party=party, booked_by=user, now=timezone.now())
        except ValidationError:
            refused += 1
    return {"started": started, "ended": time.time(), "booked": len(slots) - refused}


def bookings_per_second(env: dict[str, str], plan: Plan, slot_ids: list[int]) -> dict[str, Any]:
    """CLIENTS processes booking disjoint free slots at once; bookings over the wall time from
    the first client's start to the last one's end."""
    start_at = time.time() + 8  # time for every process to set Django up
    processes = [
        subprocess.Popen(  # noqa: S603 - this interpreter running this script
            [sys.executable, str(Path(__file__).resolve()), "--phase", "client"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            text=True,
        )
        for _ in range(CLIENTS)
    ]
    for number, process in enumerate(processes):
        chunk = slot_ids[number * plan.per_client : (number + 1) * plan.per_client]
        assert process.stdin is not None  # noqa: S101 - opened with a pipe
        process.stdin.write(json.dumps({"slots": chunk, "start_at": start_at}))
        process.stdin.close()
    results = []
    for process in processes:
        assert process.stdout is not None  # noqa: S101 - opened with a pipe
        output = process.stdout.read()
        if process.wait() != 0:
            raise RuntimeError("a booking client failed")
        results.append(json.loads(output.strip().splitlines()[-1]))
    booked = sum(result["booked"] for result in results)
    wall = max(r["ended"] for r in results) - min(r["started"] for r in results)
    return {"booked": booked, "wall_s": wall, "per_s": booked / wall}


def phase_free(payload: dict[str, Any]) -> dict[str, Any]:
    """The free slots to book (future, of units other than the searched one), the statements
    of a 1-day and a 90-day search, then p50/p95 of the 90-day search, by the selector and by
    the API."""
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from indgang.bookings.selectors import bookable_slots, list_free_slots
    from indgang.common.workdays import COPENHAGEN, DEFAULT_CALENDAR, day_range, next_working_day
    from indgang.organisation.selectors import get_scope

    scope = get_scope(user=User.objects.get(username="bench-byg"))
    # From a working day, so that the 1-day search finds slots as the 90-day one does.
    today = next_working_day(
        dt.date.fromisoformat(payload["today"]) - dt.timedelta(days=1), calendar=DEFAULT_CALENDAR
    )
    unit = payload["unit"]
    to_book = list(
        bookable_slots(scope=scope)
        .filter(starts_at__gt=timezone.now() + dt.timedelta(days=1))
        .exclude(unit_id=unit)
        .order_by("?")
        .values_list("pk", flat=True)[: CLIENTS * payload["per_client"]]
    )

    def search(days: int) -> int:
        starts_from, starts_before = day_range(
            today, today + dt.timedelta(days=days - 1), zone=COPENHAGEN
        )
        return len(
            list(
                list_free_slots(
                    scope=scope,
                    unit_id=unit,
                    starts_from=starts_from,
                    starts_before=starts_before,
                )
            )
        )

    statements = []
    found = []
    for days in (1, DAYS):
        with CaptureQueriesContext(connection) as queries:
            found.append(search(days))
        statements.append(len(queries))
    selector = time_call(
        partial(search, DAYS), requests=payload["requests"], warmup=payload["warmup"]
    )
    selector_reference = reference_ms()
    api = Client(HTTP_AUTHORIZATION=f"Token {payload['token']}", HTTP_ACCEPT_LANGUAGE="da")
    query = {
        "unit": str(unit),
        "first": today.isoformat(),
        "last": (today + dt.timedelta(days=DAYS - 1)).isoformat(),
    }
    api_statements = []
    for last in (query["first"], query["last"]):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/bookings/free-slots/", {**query, "last": last})
        assert response.status_code == 200, response.content  # noqa: S101
        api_statements.append(len(queries))

    def get() -> None:
        api.get("/api/v1/bookings/free-slots/", query)

    return {
        "to_book": to_book,
        "found": found,
        "selector": {**selector, "statements": statements, "reference_ms": selector_reference},
        "api": {
            **time_call(get, requests=payload["requests"], warmup=payload["warmup"]),
            "statements": api_statements,
            "reference_ms": reference_ms(),
        },
    }


PHASES = {"setup": phase_setup, "client": phase_client, "free": phase_free}


def bench_database(db: str, plan: Plan) -> dict[str, Any]:
    url = prepare_database(db, sqlite_name="bookings", pg_database=PG_DB)
    env = environment(url, INDGANG_API_CACHE_SECONDS="0")
    say(db, f"publishing slots and inserting {plan.bookings:,} bookings ...")
    setup = run_phase(__file__, "setup", {"bookings": plan.bookings}, env)
    say(db, f"{setup['slots']:,} slots, set up in {setup['setup_s']:.1f} s")
    free = run_phase(
        __file__,
        "free",
        {**setup, "per_client": plan.per_client, "requests": plan.requests, "warmup": plan.warmup},
        env,
    )
    for name, figure in (("selector", free["selector"]), ("API", free["api"])):
        met = figure["p95_ms"] <= FREE_SLOTS_TARGET_MS and len(set(figure["statements"])) == 1
        say(
            db,
            f"free slots of a unit over {DAYS} days ({free['found'][1]} found), {name}: "
            f"p50 {figure['p50_ms']:.1f} ms, p95 {figure['p95_ms']:.1f} ms "
            f"(target {FREE_SLOTS_TARGET_MS:.0f}); statements 1 day/{DAYS} days "
            f"{figure['statements'][0]}/{figure['statements'][1]}; "
            f"reference loop {figure['reference_ms']:.0f} ms  {'OK' if met else 'MISSED'}",
        )
    rate = bookings_per_second(env, plan, free["to_book"])
    say(
        db,
        f"bookings per second, {CLIENTS} clients through the service: {rate['per_s']:.0f} "
        f"({rate['booked']} booked in {rate['wall_s']:.2f} s); "
        f"reference loop {reference_ms():.0f} ms",
    )
    return {"setup": {k: v for k, v in setup.items() if k != "token"}, "free": free, "rate": rate}


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, PHASES)
    parser.add_argument("--quick", action="store_true", help="5,000 bookings, fewer requests")
    parser.set_defaults(db="postgres")
    args = parser.parse_args(argv)
    if ran_phase(args, PHASES):
        return 0
    plan = QUICK if args.quick else FULL
    run_databases(args.db, partial(bench_database, plan=plan), json_path=args.json)
    return 0


if __name__ == "__main__":
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
