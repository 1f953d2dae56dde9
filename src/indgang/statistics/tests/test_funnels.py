from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation
from pytest_django.fixtures import Settings

from indgang.conftest import Org, Staff
from indgang.organisation.selectors import get_scope
from indgang.statistics.constants import Advice, FunnelEventKind, SolutionKind
from indgang.statistics.funnels import (
    AdviceThresholds,
    FunnelEventIn,
    Recorded,
    StepCount,
    ensure_solution,
    funnel_report,
    rebuild_funnel_counts,
    record_funnel_event,
    record_funnel_events,
    record_funnel_events_in_bulk,
    self_service_advice,
)
from indgang.statistics.models import (
    FunnelDayCount,
    FunnelEvent,
    FunnelMonthCount,
    SelfServiceSolution,
)
from indgang.statistics.selectors import StatisticsRefused

CPH = dt.timezone(dt.timedelta(hours=1))  # Danish winter time
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=CPH)
STEPS = ("address", "income", "confirm")


@pytest.fixture
def solution(org: Org) -> SelfServiceSolution:
    return ensure_solution(
        name="Boligstøtte",
        kind=SolutionKind.EXTERNAL_FORM,
        department=org.frontline_dept,
        external_system="os2forms",
        external_id="boligstotte",
        steps=STEPS,
    )


@pytest.fixture
def building_solution(org: Org) -> SelfServiceSolution:
    return ensure_solution(
        name="Byggetilladelse",
        kind=SolutionKind.OWN_FORM,
        department=org.building_dept,
        external_system="indgang",
        external_id="byggetilladelse",
    )


def event(
    event_id: str,
    kind: str = FunnelEventKind.STARTED,
    *,
    step: str = "",
    at: dt.datetime = NOW - dt.timedelta(hours=1),
    solution: str = "boligstotte",
    system: str = "os2forms",
    attempt: str = "a1",
) -> FunnelEventIn:
    return FunnelEventIn(
        event_id=event_id,
        system=system,
        solution=solution,
        attempt_id=attempt,
        kind=kind,
        occurred_at=at,
        step=step,
    )


def attempt(name: str, *, steps: int, outcome: str | None, at: dt.datetime) -> list[FunnelEventIn]:
    """An attempt's events: started, the first `steps` steps, then completed or abandoned."""
    events = [event(f"{name}-start", at=at, attempt=name)]
    events += [
        event(f"{name}-{step}", FunnelEventKind.STEP_REACHED, step=step, at=at, attempt=name)
        for step in STEPS[:steps]
    ]
    if outcome == FunnelEventKind.COMPLETED:
        events.append(event(f"{name}-end", FunnelEventKind.COMPLETED, at=at, attempt=name))
    elif outcome == FunnelEventKind.ABANDONED:
        last = STEPS[steps - 1] if steps else ""
        events.append(
            event(f"{name}-end", FunnelEventKind.ABANDONED, step=last, at=at, attempt=name)
        )
    return events


def counts() -> list[tuple[dt.date, str, int, int, int, int]]:
    """The day counts; checks on the way that the month counts are their sums per month."""
    days = list(
        FunnelDayCount.objects.order_by("day", "step").values_list(
            "day", "step", "started", "reached", "completed", "abandoned"
        )
    )
    summed: dict[tuple[dt.date, int, str], list[int]] = {}
    for day in FunnelDayCount.objects.all():
        total = summed.setdefault((day.day.replace(day=1), day.solution_id, day.step), [0] * 4)
        for index, name in enumerate(("started", "reached", "completed", "abandoned")):
            total[index] += getattr(day, name)
    months = {
        (row.month, row.solution_id, row.step): [
            row.started,
            row.reached,
            row.completed,
            row.abandoned,
        ]
        for row in FunnelMonthCount.objects.all()
    }
    assert months == summed
    return days


# Recording -----------------------------------------------------------------------------------


def test_a_batch_is_stored_and_counted_per_day_and_step(solution: SelfServiceSolution) -> None:
    day = dt.datetime(2026, 3, 1, 10, 0, tzinfo=CPH)
    batch = [
        *attempt("a", steps=3, outcome=FunnelEventKind.COMPLETED, at=day),
        *attempt("b", steps=2, outcome=FunnelEventKind.ABANDONED, at=day),
    ]
    assert record_funnel_events(events=batch, now=NOW) == Recorded(accepted=9, duplicate=0)
    assert FunnelEvent.objects.count() == 9
    sunday = dt.date(2026, 3, 1)
    assert counts() == [
        (sunday, "", 2, 0, 1, 0),
        (sunday, "address", 0, 2, 0, 0),
        (sunday, "confirm", 0, 1, 0, 0),
        (sunday, "income", 0, 2, 0, 1),
    ]


def test_the_day_is_the_danish_one(solution: SelfServiceSolution) -> None:
    # 23:30 UTC on 28 February is 00:30 on 1 March in Copenhagen.
    late = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)
    record_funnel_events(events=[event("e1", at=late)], now=NOW)
    assert counts() == [(dt.date(2026, 3, 1), "", 1, 0, 0, 0)]


def test_the_same_batch_twice_is_counted_once(solution: SelfServiceSolution) -> None:
    batch = attempt("a", steps=1, outcome=FunnelEventKind.COMPLETED, at=NOW)
    first = record_funnel_events(events=batch, now=NOW)
    before = counts()
    again = record_funnel_events(events=batch, now=NOW)
    assert (first, again) == (Recorded(3, 0), Recorded(0, 3))
    assert counts() == before
    assert FunnelEvent.objects.count() == 3


def test_a_partly_known_batch_counts_only_its_new_events(solution: SelfServiceSolution) -> None:
    record_funnel_events(events=[event("e1")], now=NOW)
    recorded = record_funnel_events(events=[event("e1"), event("e2"), event("e2")], now=NOW)
    assert recorded == Recorded(accepted=1, duplicate=2)
    assert counts() == [(NOW.date(), "", 2, 0, 0, 0)]


def test_a_known_event_id_is_a_duplicate_whatever_it_now_says(
    solution: SelfServiceSolution,
) -> None:
    record_funnel_events(events=[event("e1")], now=NOW)
    recorded = record_funnel_events(events=[event("e1", FunnelEventKind.COMPLETED)], now=NOW)
    assert recorded == Recorded(accepted=0, duplicate=1)
    assert FunnelEvent.objects.get().kind == FunnelEventKind.STARTED


def test_one_bad_event_stores_nothing_and_every_problem_is_listed_in_danish(
    solution: SelfServiceSolution,
) -> None:
    batch = [
        event("good"),
        event("x1", solution="ukendt"),
        event("x2", FunnelEventKind.STEP_REACHED),
        event("x3", FunnelEventKind.STEP_REACHED, step="payment"),
        event("x4", FunnelEventKind.COMPLETED, step="address"),
        event("x5", at=NOW + dt.timedelta(days=1)),
        event("", "opened", attempt=""),
    ]
    with translation.override("da"), pytest.raises(ValidationError) as refused:
        record_funnel_events(events=batch, now=NOW)
    assert refused.value.messages == [
        "Hændelse 2 (id 'x1'): Ingen selvbetjeningsløsning er registreret som 'ukendt' i "
        "formularsystemet 'os2forms'.",
        "Hændelse 3 (id 'x2'): En hændelse af typen step_reached skal angive sit trin.",
        "Hændelse 4 (id 'x3'): Løsningen har intet trin 'payment'; dens trin er: address, "
        "income, confirm.",
        "Hændelse 5 (id 'x4'): En hændelse af typen completed har intet trin.",
        "Hændelse 6 (id 'x5'): Tidspunktet ligger i fremtiden.",
        "Hændelse 7 (id ''): Hændelsens id er tomt.",
        "Hændelse 7 (id ''): Forsøgets id er tomt.",
        "Hændelse 7 (id ''): Ukendt type 'opened'.",
    ]
    assert FunnelEvent.objects.count() == 0
    assert counts() == []


def test_a_batch_holds_at_most_a_thousand_events(solution: SelfServiceSolution) -> None:
    with translation.override("da"), pytest.raises(ValidationError) as refused:
        record_funnel_events(events=[event(f"e{n}") for n in range(1001)], now=NOW)
    assert refused.value.messages == ["En samling rummer højst 1000 hændelser; denne rummer 1001."]
    assert FunnelEvent.objects.count() == 0


def test_one_event_of_our_own_form(solution: SelfServiceSolution) -> None:
    def record() -> bool:
        return record_funnel_event(
            solution=solution,
            event_id="own-1",
            attempt_id="a",
            kind=FunnelEventKind.STEP_REACHED,
            step="income",
            occurred_at=NOW,
            now=NOW,
        )

    assert (record(), record()) == (True, False)
    assert counts() == [(NOW.date(), "income", 0, 1, 0, 0)]


def test_a_stream_is_recorded_in_batches(solution: SelfServiceSolution) -> None:
    def stream() -> Iterator[FunnelEventIn]:
        for number in range(25):
            yield from attempt(f"s{number}", steps=1, outcome=FunnelEventKind.ABANDONED, at=NOW)

    recorded = record_funnel_events_in_bulk(events=stream(), now=NOW, batch_size=7)
    assert recorded == Recorded(accepted=75, duplicate=0)
    assert counts() == [(NOW.date(), "", 25, 0, 0, 0), (NOW.date(), "address", 0, 25, 0, 25)]


def test_rebuilding_the_counts_gives_the_counts_kept(solution: SelfServiceSolution) -> None:
    for number in range(6):
        at = NOW - dt.timedelta(days=number, hours=number)
        record_funnel_events(
            events=attempt(f"r{number}", steps=number % 4, outcome=None, at=at), now=NOW
        )
    kept = counts()
    assert rebuild_funnel_counts() == 13
    assert counts() == kept


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_at_the_same_time_is_counted_once(org: Org) -> None:
    """Eight threads send the same batch at once: each event is stored and counted once."""
    ensure_solution(
        name="Boligstøtte",
        kind=SolutionKind.EXTERNAL_FORM,
        department=org.frontline_dept,
        external_system="os2forms",
        external_id="boligstotte",
        steps=STEPS,
    )
    batch = [
        each
        for number in range(50)
        for each in attempt(f"c{number}", steps=2, outcome=FunnelEventKind.COMPLETED, at=NOW)
    ]
    results: list[Recorded] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def send() -> None:
        try:
            start.wait()
            results.append(record_funnel_events(events=batch, now=NOW))
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "sqlite":
        # One writer at a time: a thread may find the database locked, and then stores nothing.
        errors = [error for error in errors if "locked" not in str(error)]
    assert errors == []
    assert sum(result.accepted for result in results) == 200
    assert all(result.accepted + result.duplicate == 200 for result in results)
    assert FunnelEvent.objects.count() == 200
    assert counts() == [
        (NOW.date(), "", 50, 0, 50, 0),
        (NOW.date(), "address", 0, 50, 0, 0),
        (NOW.date(), "income", 0, 50, 0, 0),
    ]


# Reports -------------------------------------------------------------------------------------


def test_the_funnel_report_sums_the_period(
    solution: SelfServiceSolution, building_solution: SelfServiceSolution, staff: Staff
) -> None:
    inside = dt.datetime(2026, 2, 10, 9, 0, tzinfo=CPH)
    outside = dt.datetime(2026, 1, 31, 9, 0, tzinfo=CPH)
    batch = [
        *attempt("a", steps=3, outcome=FunnelEventKind.COMPLETED, at=inside),
        *attempt("b", steps=3, outcome=FunnelEventKind.COMPLETED, at=inside),
        *attempt("c", steps=2, outcome=FunnelEventKind.ABANDONED, at=inside),
        *attempt("d", steps=1, outcome=FunnelEventKind.ABANDONED, at=inside),
        *attempt("e", steps=0, outcome=None, at=inside),
        *attempt("f", steps=3, outcome=FunnelEventKind.COMPLETED, at=outside),
    ]
    record_funnel_events(events=batch, now=NOW)
    rows = funnel_report(
        scope=get_scope(user=staff.admin), start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)
    )
    assert [row.name for row in rows] == ["Boligstøtte", "Byggetilladelse"]
    funnel, empty = rows
    assert (funnel.started, funnel.completed, funnel.abandoned, funnel.days) == (5, 2, 2, 28)
    assert funnel.steps == (
        StepCount("address", reached=4, drop_off=1),
        StepCount("income", reached=3, drop_off=1),
        StepCount("confirm", reached=2, drop_off=1),
    )
    assert funnel.completion_rate == 2 / 5
    assert funnel.abandoned_per_completed == 1.0
    assert funnel.transactions_per_year == 2 * 365 / 28
    assert (empty.started, empty.steps, empty.completed, empty.completion_rate) == (0, (), 0, None)


def test_the_funnel_report_adds_whole_months_and_the_days_around_them(
    solution: SelfServiceSolution, staff: Staff, django_assert_num_queries: Any
) -> None:
    days = [(10, 30), (10, 31), (11, 1), (11, 10), (11, 30), (12, 1), (12, 2), (12, 20)]
    for number, (month, day) in enumerate(days):
        at = dt.datetime(2025, month, day, 9, 0, tzinfo=CPH)
        record_funnel_events(
            events=attempt(f"m{number}", steps=1, outcome=FunnelEventKind.COMPLETED, at=at),
            now=NOW,
        )
    scope = get_scope(user=staff.admin)
    for start, end, attempts in [
        (dt.date(2025, 10, 31), dt.date(2025, 12, 1), 5),  # a day, November, a day
        (dt.date(2025, 11, 1), dt.date(2025, 12, 31), 6),  # two whole months
        (dt.date(2025, 10, 30), dt.date(2025, 11, 9), 3),  # no whole month
        (dt.date(2025, 10, 1), dt.date(2025, 11, 29), 4),  # October and days of November
    ]:
        with django_assert_num_queries(2):
            (funnel,) = funnel_report(scope=scope, start=start, end=end)
        assert (funnel.started, funnel.completed) == (attempts, attempts), (start, end)
        assert funnel.steps[0] == StepCount("address", reached=attempts, drop_off=0)


def test_the_funnel_report_reads_two_statements_however_many_solutions(
    org: Org, staff: Staff, django_assert_num_queries: Any
) -> None:
    for number in range(5):
        _solution(org, f"s{number}")
    scope = get_scope(user=staff.manager)
    with django_assert_num_queries(2):
        rows = funnel_report(scope=scope, start=NOW.date(), end=NOW.date())
    assert len(rows) == 5


def test_an_inactive_solution_shows_only_with_events(
    solution: SelfServiceSolution, building_solution: SelfServiceSolution, staff: Staff
) -> None:
    SelfServiceSolution.objects.update(is_active=False)
    record_funnel_events(events=[event("e1")], now=NOW)
    rows = funnel_report(scope=get_scope(user=staff.admin), start=NOW.date(), end=NOW.date())
    assert [(row.name, row.started) for row in rows] == [("Boligstøtte", 1)]


def test_managers_see_their_departments_solutions_only(
    solution: SelfServiceSolution,
    building_solution: SelfServiceSolution,
    staff: Staff,
    org: Org,
) -> None:
    manager = get_scope(user=staff.manager)  # manages the front line's department
    rows = funnel_report(scope=manager, start=NOW.date(), end=NOW.date())
    assert [row.name for row in rows] == ["Boligstøtte"]
    with translation.override("da"), pytest.raises(StatisticsRefused) as refused:
        funnel_report(
            scope=manager,
            start=NOW.date(),
            end=NOW.date(),
            department_id=org.building_dept.pk,
        )
    assert str(refused.value) == "Du må ikke se statistikken for den forvaltning."
    admin_rows = funnel_report(
        scope=get_scope(user=staff.admin),
        start=NOW.date(),
        end=NOW.date(),
        department_id=org.building_dept.pk,
    )
    assert [row.name for row in admin_rows] == ["Byggetilladelse"]


@pytest.mark.parametrize("who", ["frontline", "caseworker"])
def test_front_line_and_caseworkers_are_refused(
    solution: SelfServiceSolution, staff: Staff, who: str
) -> None:
    with pytest.raises(StatisticsRefused):
        funnel_report(scope=get_scope(user=getattr(staff, who)), start=NOW.date(), end=NOW.date())
    with pytest.raises(StatisticsRefused):
        self_service_advice(
            scope=get_scope(user=getattr(staff, who)), start=NOW.date(), end=NOW.date()
        )


def test_a_period_ending_before_it_starts_is_refused(staff: Staff) -> None:
    with translation.override("da"), pytest.raises(ValidationError) as refused:
        funnel_report(
            scope=get_scope(user=staff.admin), start=NOW.date(), end=NOW.date() - dt.timedelta(1)
        )
    assert refused.value.messages == ["Perioden skal slutte på eller efter sin første dag."]


# Advice --------------------------------------------------------------------------------------

YEAR_START, YEAR_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _solution(org: Org, name: str) -> SelfServiceSolution:
    return ensure_solution(
        name=name,
        kind=SolutionKind.EXTERNAL_FORM,
        department=org.frontline_dept,
        external_system="openforms",
        external_id=name,
        steps=STEPS,
    )


def _year_of(name: str, *, completed: int, abandoned: int, at_step: int = 1) -> None:
    """A solution's year: `completed` completed attempts, `abandoned` abandoned after
    `at_step` steps, in batches of at most a thousand events."""
    day = dt.datetime(2025, 6, 1, 12, 0, tzinfo=CPH)

    def stream() -> Iterator[FunnelEventIn]:
        for number in range(completed + abandoned):
            done = number < completed
            prefix = f"{name}-{number}"
            yield FunnelEventIn(prefix, "openforms", name, prefix, FunnelEventKind.STARTED, day)
            for step in STEPS[: 3 if done else at_step]:
                yield FunnelEventIn(
                    f"{prefix}-{step}",
                    "openforms",
                    name,
                    prefix,
                    FunnelEventKind.STEP_REACHED,
                    day,
                    step,
                )
            kind = FunnelEventKind.COMPLETED if done else FunnelEventKind.ABANDONED
            yield FunnelEventIn(f"{prefix}-end", "openforms", name, prefix, kind, day)

    record_funnel_events_in_bulk(events=stream(), now=NOW)


def test_advice_retires_the_little_used_and_fixes_the_much_abandoned(
    org: Org, staff: Staff
) -> None:
    for name in ("few", "exactly-limit", "abandoned", "good", "untried"):
        _solution(org, name)
    _year_of("few", completed=99, abandoned=0)  # under 100 a year: retire
    _year_of("exactly-limit", completed=100, abandoned=375, at_step=2)  # 3.75: fix
    _year_of("abandoned", completed=120, abandoned=449)  # 3.74: keep
    _year_of("good", completed=300, abandoned=10)
    with translation.override("da"):
        advice = self_service_advice(
            scope=get_scope(user=staff.admin), start=YEAR_START, end=YEAR_END
        )
        reasons = [(row.funnel.name, row.advice, row.reason) for row in advice]
    assert reasons == [
        (
            "untried",
            Advice.RETIRE,
            "0,0 transaktioner om året (0 gennemført på 365 dage), færre end 100.",
        ),
        (
            "few",
            Advice.RETIRE,
            "99,0 transaktioner om året (99 gennemført på 365 dage), færre end 100.",
        ),
        (
            "exactly-limit",
            Advice.FIX,
            "375 opgivet for 100 gennemført af 475 påbegyndt (3,75 pr. gennemført; råd fra "
            "3,75). Flest går tabt før trinnet 'confirm' (375).",
        ),
    ]


def test_advice_thresholds_come_from_the_settings(
    org: Org, staff: Staff, settings: Settings
) -> None:
    _solution(org, "a")
    _year_of("a", completed=30, abandoned=60)
    scope = get_scope(user=staff.admin)
    settings.SELF_SERVICE_RETIRE_BELOW = 30
    settings.SELF_SERVICE_FIX_ABANDONED_PER_COMPLETED = 2
    settings.SELF_SERVICE_MIN_STARTED = 90
    assert [
        row.advice for row in self_service_advice(scope=scope, start=YEAR_START, end=YEAR_END)
    ] == [Advice.FIX]
    settings.SELF_SERVICE_MIN_STARTED = 91  # too few attempts to judge
    assert self_service_advice(scope=scope, start=YEAR_START, end=YEAR_END) == []
    settings.SELF_SERVICE_RETIRE_BELOW = 31
    assert [
        row.advice for row in self_service_advice(scope=scope, start=YEAR_START, end=YEAR_END)
    ] == [Advice.RETIRE]
    limits = AdviceThresholds(retire_below=0, fix_from=2.01, min_started=1)
    assert self_service_advice(scope=scope, start=YEAR_START, end=YEAR_END, thresholds=limits) == []


def test_a_solution_never_completed_but_abandoned_is_to_fix(org: Org, staff: Staff) -> None:
    _solution(org, "broken")
    _year_of("broken", completed=0, abandoned=20)
    limits = AdviceThresholds(retire_below=0, fix_from=3.75, min_started=20)
    (row,) = self_service_advice(
        scope=get_scope(user=staff.admin), start=YEAR_START, end=YEAR_END, thresholds=limits
    )
    assert (row.advice, row.funnel.abandoned, row.funnel.abandoned_per_completed) == (
        Advice.FIX,
        20,
        None,
    )
