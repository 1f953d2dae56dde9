"""Benchmark the cases app's reads over 100,000 cases and print the figures (this is not a test).

Measures, on PostgreSQL (or SQLite):

1. p50/p95 latency and SQL statements per request of ``GET /api/v1/cases/servicemal-report/``
   (a year of decisions; target p95 <= 200 ms);
2. the same for a unit's work list ``GET /api/v1/cases/work-list/?unit=`` (first page of 50) and
   for the case detail ``GET /api/v1/cases/{id}/`` (targets p95 <= 50 ms), with the statements
   counted twice, on a small and on a large unit or case: the two must be equal.

Requests go through Django's test client in-process (token auth, ``indgang.conf.production``
settings), so the figures are the application's and the database's time without an HTTP server.

Usage::

    .venv/bin/python benchmarks/cases.py [--db sqlite|postgres|both] [--quick] [--json FILE]

The data: 20 building units, 100,000 applications (10,000 with --quick) received over two years
by 2,000 companies, inserted with bulk inserts, each with its events (receipt, screening, fully
informed, assessment; a third waited for information; nearly all cases older than five months
decided, of the younger 60 %; a tenth of the decided closed)
and the servicemål key that services.keep_clock_key keeps. PostgreSQL: ``indgang_bench_cases``,
dropped and created each run; SQLite: ``var/bench/cases.sqlite3``.

3. the HTML case screen of a case with 100 documents and 50 events and the unit's work list
   page (signed in with a session; targets p95 <= 50 ms, statements equal for a short case);
4. the time to render one letter (the decision letter's default text) to PDF with WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
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

PG_DB = "indgang_bench_cases"
UNITS = 20
COMPANIES = 2_000
BATCH = 5_000
SEED = 19
REPORT_TARGET_MS = 200.0
READ_TARGET_MS = 50.0


@dataclass(frozen=True)
class Plan:
    cases: int
    requests: int  # measured requests per figure
    warmup: int


FULL = Plan(cases=100_000, requests=200, warmup=20)
QUICK = Plan(cases=10_000, requests=50, warmup=5)


# --------------------------------------------------------------------------------------------
# Data: bulk inserts of cases with their events and clock keys
# --------------------------------------------------------------------------------------------


def phase_setup(payload: dict[str, Any]) -> dict[str, Any]:
    """Migrate, make the organisation and a caseworker in every unit, insert the cases."""
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from indgang.organisation.services import issue_api_token

    user, building, units = ensure_caseworker(units=UNITS)
    started = time.perf_counter()
    today = timezone.localdate()
    insert_cases(
        count=payload["cases"],
        department_id=building.pk,
        unit_ids=[unit.pk for unit in units],
        user_id=user.pk,
        today=today,
    )
    inserted_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    token = issue_api_token(user=user, name="bench", expires_in_days=None, now=timezone.now())
    return {"token": token.secret, "insert_s": inserted_s, "units": [u.pk for u in units]}


def _stay(rng: random.Random) -> int:
    """Days a case spends in one step: mostly short, sometimes long."""
    return int(rng.expovariate(1 / 9))


def insert_cases(
    *, count: int, department_id: int, unit_ids: list[int], user_id: int, today: dt.date
) -> None:
    """Insert `count` applications with their events, as the state machine would have left
    them, and the clock key clock.sort_key gives (what services.keep_clock_key stores)."""
    from django.db import transaction
    from django.utils import timezone

    from indgang.cases.clock import sort_key
    from indgang.cases.constants import CaseAction, CaseEventKind, CaseKind, CaseState
    from indgang.cases.models import Case, CaseEvent, ServiceTargetCategory
    from indgang.cases.selectors import waiting_periods
    from indgang.parties.constants import PartyKind
    from indgang.parties.models import Party

    rng = random.Random(SEED)
    categories = list(ServiceTargetCategory.objects.filter(area="building"))
    Party.objects.bulk_create(
        Party(kind=PartyKind.COMPANY, cvr=f"{90_000_000 + n}", name=f"Bygherre {n} ApS")
        for n in range(COMPANIES)
    )
    party_ids = list(Party.objects.values_list("pk", flat=True))
    start = today - dt.timedelta(days=730)

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))

    def step(case: Case, action: str, source: str, target: str, day: dt.date) -> CaseEvent:
        return CaseEvent(
            case=case,
            kind=CaseEventKind.TRANSITION,
            action=action,
            from_state=source,
            to_state=target,
            at=at(day),
            by_id=user_id,
            recorded_at=at(day),
        )

    for first in range(0, count, BATCH):
        cases: list[Case] = []
        timelines: list[list[tuple[str, str, str, int]]] = []
        for _ in range(min(BATCH, count - first)):
            category = rng.choice(categories)
            received = start + dt.timedelta(days=rng.randint(0, 720))
            # Most cases older than five months are decided; the young ones often not yet.
            settled = 0.97 if (today - received).days > 150 else 0.6
            plan: list[tuple[str, str, str, int]] = [
                (CaseAction.START_SCREENING, CaseState.RECEIVED, CaseState.SCREENING, 1),
                (
                    CaseAction.MARK_FULLY_INFORMED,
                    CaseState.SCREENING,
                    CaseState.FULLY_INFORMED,
                    _stay(rng),
                ),
                (
                    CaseAction.START_ASSESSMENT,
                    CaseState.FULLY_INFORMED,
                    CaseState.ASSESSMENT,
                    _stay(rng),
                ),
            ]
            if rng.random() < 1 / 3:
                plan.append(
                    (
                        CaseAction.REQUEST_INFORMATION,
                        CaseState.ASSESSMENT,
                        CaseState.AWAITING_INFORMATION,
                        _stay(rng),
                    )
                )
                if rng.random() < settled:
                    plan.append(
                        (
                            CaseAction.RECEIVE_INFORMATION,
                            CaseState.AWAITING_INFORMATION,
                            CaseState.ASSESSMENT,
                            _stay(rng),
                        )
                    )
            if plan[-1][2] == CaseState.ASSESSMENT and rng.random() < settled:
                plan.append((CaseAction.DECIDE, CaseState.ASSESSMENT, CaseState.DECIDED, 20))
                if rng.random() < 0.1:
                    plan.append((CaseAction.CLOSE, CaseState.DECIDED, CaseState.CLOSED, 2))
            # Keep only the steps taken by today.
            day, taken = received, []
            for action, source, target, after in plan:
                day = day + dt.timedelta(days=after)
                if day > today:
                    break
                taken.append((action, source, target, (day - received).days))
            days = {
                action: received + dt.timedelta(days=offset) for action, _s, _t, offset in taken
            }
            informed = days.get(CaseAction.MARK_FULLY_INFORMED)
            decided = days.get(CaseAction.DECIDE)
            case = Case(
                kind=CaseKind.APPLICATION,
                area="building",
                party_id=rng.choice(party_ids),
                property_address=f"Byvej {rng.randint(1, 400)}, 9999 Testby",
                category=category,
                department_id=department_id,
                unit_id=rng.choice(unit_ids),
                state=taken[-1][2] if taken else CaseState.RECEIVED,
                service_need_type=rng.choice(["klar_parat", "vejledning", "princip", "obs"]),
                decision="permit" if decided else "",
                received_at=at(received),
                fully_informed_at=at(informed) if informed else None,
                decided_at=at(decided) if decided else None,
                closed_at=at(days[CaseAction.CLOSE]) if CaseAction.CLOSE in days else None,
                pre_meeting_on=received - dt.timedelta(days=14) if rng.random() < 0.2 else None,
            )
            cases.append(case)
            timelines.append([(a, s, t, o) for a, s, t, o in taken])
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            events: list[CaseEvent] = []
            for case, taken in zip(cases, timelines, strict=True):
                received = timezone.localdate(case.received_at)
                timeline = [
                    CaseEvent(
                        case=case,
                        kind=CaseEventKind.RECEIVED,
                        to_state=CaseState.RECEIVED,
                        at=case.received_at,
                        by_id=user_id,
                        recorded_at=case.received_at,
                    ),
                    *(step(case, a, s, t, received + dt.timedelta(days=o)) for a, s, t, o in taken),
                ]
                events += timeline
                key = sort_key(
                    fully_informed=case.fully_informed_at
                    and timezone.localdate(case.fully_informed_at),
                    decided=case.decided_at and timezone.localdate(case.decided_at),
                    target_days=case.category.target_days,  # type: ignore[union-attr]
                    waiting=waiting_periods(timeline),
                    waiting_counts=False,
                )
                case.clock_due_on, case.clock_stopped_on, case.clock_days_used = (
                    key.due_on,
                    key.stopped_on,
                    key.days_used,
                )
            CaseEvent.objects.bulk_create(events, batch_size=BATCH)
            Case.objects.bulk_update(
                cases, ["clock_due_on", "clock_stopped_on", "clock_days_used"], batch_size=1000
            )


# --------------------------------------------------------------------------------------------
# Reads: latency and statements, in-process
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """One figure: a name, its p95 target, and two requests that must read the same number of
    statements (a small and a large list or case), the second the one timed."""

    name: str
    target_ms: float
    small: str
    large: str
    # The HTML screens sign in with a session; the API reads with the token.
    session: bool = False


def report_reads(data: dict[str, Any]) -> list[Read]:
    today = dt.date.fromisoformat(data["today"])
    year = f"decided_from={today - dt.timedelta(days=365)}&decided_to={today}"
    unit = data["units"][0]
    return [
        Read(
            "servicemål report (a year)",
            REPORT_TARGET_MS,
            f"/api/v1/cases/servicemal-report/?decided_from={today}&decided_to={today}",
            f"/api/v1/cases/servicemal-report/?{year}&unit={unit}",
        ),
        Read(
            "servicemål report (a year, all units)",
            REPORT_TARGET_MS,
            f"/api/v1/cases/servicemal-report/?decided_from={today}&decided_to={today}",
            f"/api/v1/cases/servicemal-report/?{year}",
        ),
    ]


def work_list_reads(data: dict[str, Any]) -> list[Read]:
    return [
        Read(
            "unit's work list (page 1 of 50)",
            READ_TARGET_MS,
            f"/api/v1/cases/work-list/?unit={data['small_unit']}",
            f"/api/v1/cases/work-list/?unit={data['units'][0]}",
        ),
        Read(
            "my cases (page 1 of 50)",
            READ_TARGET_MS,
            f"/api/v1/cases/work-list/?unit={data['small_unit']}&mine=true",
            "/api/v1/cases/work-list/?mine=true",
        ),
    ]


def case_detail_reads(data: dict[str, Any]) -> list[Read]:
    return [
        Read(
            "case detail",
            READ_TARGET_MS,
            f"/api/v1/cases/{data['short_case']}/",
            f"/api/v1/cases/{data['long_case']}/",
        )
    ]


def case_screen_reads(data: dict[str, Any]) -> list[Read]:
    return [
        Read(
            "case screen (100 documents, 50 events)",
            READ_TARGET_MS,
            f"/cases/{data['short_case']}/",
            f"/cases/{data['long_case']}/",
            session=True,
        ),
        Read(
            "unit's work list page",
            READ_TARGET_MS,
            f"/cases/?unit={data['small_unit']}",
            f"/cases/?unit={data['units'][0]}",
            session=True,
        ),
    ]


# Each takes the data phase_reads found and gives figures.
READS: list[Callable[[dict[str, Any]], list[Read]]] = [
    report_reads,
    work_list_reads,
    case_detail_reads,
    case_screen_reads,
]
LONG_CASE_DOCUMENTS = 100
LONG_CASE_EVENTS = 50


def prepare(token: str, units: list[int]) -> dict[str, Any]:
    """What the reads need: a unit with few cases, the caseworker's own cases, a short and a
    long case timeline."""
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.utils import timezone

    from indgang.cases.models import Case
    from indgang.organisation.models import Unit

    user = User.objects.get(username=CASEWORKER)
    department_id = Unit.objects.get(pk=units[0]).department_id
    small = Unit.objects.create(department_id=department_id, name="Lille enhed")
    Case.objects.filter(pk__in=Case.objects.filter(state="assessment").values("pk")[:3]).update(
        unit=small
    )
    # The caseworker works on every 40th open case, and on the small unit's.
    open_cases = Case.objects.exclude(state__in=["decided", "closed"]).values_list("pk", flat=True)
    mine = {*list(open_cases)[::40], *Case.objects.filter(unit=small).values_list("pk", flat=True)}
    Case.caseworkers.through.objects.bulk_create(
        Case.caseworkers.through(case_id=pk, user_id=user.pk) for pk in mine
    )
    lengths = Case.objects.annotate(n=Count("events")).order_by("n", "pk")
    short, long = lengths.first(), lengths.last()
    assert short is not None and long is not None  # noqa: S101 - the setup made cases
    _fill_case(long, user=user)
    return {
        "token": token,
        "units": units,
        "small_unit": small.pk,
        "short_case": short.pk,
        "long_case": long.pk,
        "today": timezone.localdate().isoformat(),
        "caseworker": user.pk,
    }


def _fill_case(case: Any, *, user: Any) -> None:
    """Give the long case 100 journal documents (metadata, as most are) and 50 events."""
    from django.utils import timezone

    from indgang.cases.constants import CaseEventKind
    from indgang.cases.models import CaseEvent
    from indgang.common.subjects import subject_of
    from indgang.journal.constants import DocumentDirection
    from indgang.journal.models import Document

    now = timezone.now()
    Document.objects.bulk_create(
        Document(
            **subject_of(case),
            direction=DocumentDirection.RECEIVED,
            title=f"Bilag {number}",
            dated=now.date(),
            registered_at=now,
            registered_by=user,
        )
        for number in range(LONG_CASE_DOCUMENTS)
    )
    missing = LONG_CASE_EVENTS - CaseEvent.objects.filter(case=case).count()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=CaseEventKind.CASEWORKERS_ASSIGNED,
            at=now,
            by=user,
            data={"caseworkers": [user.pk]},
            recorded_at=now,
        )
        for _ in range(missing)
    )


def letter_pdf_figure(*, requests: int, warmup: int) -> dict[str, float]:
    """p50/p95 of rendering the decision letter (its default text, example data) to PDF."""
    from indgang.letters.constants import LetterKind
    from indgang.letters.rendering import example_context, pdf_of, render_letter
    from indgang.letters.selectors import current_version

    version = current_version(kind=LetterKind.DECISION)
    _title, html = render_letter(
        title=version.title, body=version.body, context=example_context(LetterKind.DECISION)
    )
    return time_call(lambda: pdf_of(html), requests=requests, warmup=warmup)


def phase_reads(payload: dict[str, Any]) -> dict[str, Any]:
    """Each Read: statements of its small and large request, then p50/p95 of the large one."""
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    data = prepare(payload["token"], payload["units"])
    api = Client(HTTP_AUTHORIZATION=f"Token {data['token']}", HTTP_ACCEPT_LANGUAGE="da")
    browser = Client(HTTP_ACCEPT_LANGUAGE="da")
    browser.force_login(User.objects.get(pk=data["caseworker"]))
    figures: dict[str, Any] = {}
    for make in READS:
        for read in make(data):
            client = browser if read.session else api
            statements = []
            for url in (read.small, read.large):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                assert response.status_code == 200, (url, response.status_code, response.content)
                statements.append(len(queries))

            def get(url: str = read.large, client: Client = client) -> None:
                client.get(url)

            timing = time_call(get, requests=payload["requests"], warmup=payload["warmup"])
            figures[read.name] = {
                **timing,
                "target_ms": read.target_ms,
                "statements": statements,
                "reference_ms": reference_ms(),
            }
    pdf_requests = max(10, payload["requests"] // 10)
    figures["decision letter to PDF"] = {
        **letter_pdf_figure(requests=pdf_requests, warmup=2),
        "target_ms": None,
        "statements": [0, 0],
        "reference_ms": reference_ms(),
    }
    return {"figures": figures}


PHASES = {"setup": phase_setup, "reads": phase_reads}


def bench_database(db: str, plan: Plan) -> dict[str, Any]:
    url = prepare_database(db, sqlite_name="cases", pg_database=PG_DB)
    env = environment(url, INDGANG_API_CACHE_SECONDS="0")
    say(db, f"inserting {plan.cases:,} cases with their events ...")
    setup = run_phase(__file__, "setup", {"cases": plan.cases}, env)
    say(db, f"inserted in {setup['insert_s']:.1f} s")
    reads = run_phase(
        __file__,
        "reads",
        {
            "token": setup["token"],
            "units": setup["units"],
            "requests": plan.requests,
            "warmup": plan.warmup,
        },
        env,
    )
    for name, figure in reads["figures"].items():
        timing = f"{name}: p50 {figure['p50_ms']:.1f} ms, p95 {figure['p95_ms']:.1f} ms"
        reference = f"reference loop {figure['reference_ms']:.0f} ms"
        if figure["target_ms"] is None:  # a render, not a request: no target, no statements
            say(db, f"{timing}; {reference}")
            continue
        met = figure["p95_ms"] <= figure["target_ms"] and len(set(figure["statements"])) == 1
        say(
            db,
            f"{timing} (target {figure['target_ms']:.0f}); statements small/large "
            f"{figure['statements'][0]}/{figure['statements'][1]}; "
            f"{reference}  {'OK' if met else 'MISSED'}",
        )
    return {"insert_s": setup["insert_s"], **reads}


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__, PHASES)
    parser.add_argument("--quick", action="store_true", help="10,000 cases, fewer requests")
    args = parser.parse_args(argv)
    if ran_phase(args, PHASES):
        return 0
    plan = QUICK if args.quick else FULL
    run_databases(args.db, partial(bench_database, plan=plan), json_path=args.json)
    return 0


if __name__ == "__main__":
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
