"""Self-service funnels (issue 20, item 5): record the events form systems send, keep the daily
counts, and report each solution's funnel and what to do about it from those counts alone.

Idempotency is decided by the database: events are inserted with `ON CONFLICT (event_id) DO
NOTHING RETURNING event_id` (PostgreSQL, and SQLite from 3.35), and only the rows that statement
returns are added to the daily counts. A batch sent twice, even twice at the same moment, is
counted once: the second insert of an event id waits for the first transaction and then inserts
nothing.

Events for a solution nobody registered are refused, not registered on the fly: a solution
belongs to a department (which decides who may see its numbers), and a form system's typo would
otherwise become a solution of its own. Administrators register solutions in Django's admin.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Model, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.catalogue.models import Task
from indgang.common.inputs import CLOCK_SKEW_SECONDS, EARLIEST
from indgang.organisation.models import Department
from indgang.organisation.selectors import Scope
from indgang.statistics.constants import Advice, FunnelEventKind, SolutionKind
from indgang.statistics.models import (
    KEY_LENGTH,
    STEP_LENGTH,
    FunnelCounts,
    FunnelDayCount,
    FunnelEvent,
    FunnelMonthCount,
    SelfServiceSolution,
)
from indgang.statistics.selectors import StatisticsRefused, split_by_months, statistics_scope
from indgang.statistics.services import array_literal

MAX_BATCH = 1000  # events in one request to the API
# Rows per INSERT: 7 parameters each stays far below SQLite's 32,766 variables.
ROWS_PER_STATEMENT = 500
# On PostgreSQL a statement takes a column per array parameter instead (psycopg's and the
# parser's cost of a long VALUES list exceeded the insert's).
ARRAY_ROWS = 10_000
DAYS_PER_YEAR = 365
SYSTEM_LENGTH = 50

T = TypeVar("T")


# Writes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelEventIn:
    """One event as a form system sends it; the solution named by its form system and id."""

    event_id: str
    system: str
    solution: str
    attempt_id: str
    kind: str
    occurred_at: dt.datetime
    step: str = ""


@dataclass(frozen=True)
class Recorded:
    accepted: int  # stored and counted now
    duplicate: int  # already stored (or twice in the batch): acknowledged, not counted again


# The event as stored: event id, solution id, attempt id, kind, step, occurred at.
_Row = tuple[str, int, str, str, str, dt.datetime]
_SolutionKey = tuple[str, str]  # form system, id there


def ensure_solution(
    *,
    name: str,
    kind: SolutionKind,
    department: Department,
    external_system: str,
    external_id: str,
    steps: Sequence[str] = (),
    task: Task | None = None,
    url: str = "",
) -> SelfServiceSolution:
    """The solution the form system knows by this id, registered if it is not yet (the demo
    and simulate register theirs this way; administrators use the admin)."""
    solution, _created = SelfServiceSolution.objects.get_or_create(
        external_system=external_system,
        external_id=external_id,
        defaults={
            "name": name,
            "kind": kind,
            "department": department,
            "steps": list(steps),
            "task": task,
            "url": url,
        },
    )
    return solution


def record_funnel_event(
    *,
    solution: SelfServiceSolution,
    event_id: str,
    attempt_id: str,
    kind: FunnelEventKind,
    occurred_at: dt.datetime,
    now: dt.datetime,
    step: str = "",
) -> bool:
    """Record one event of one of our own forms; False if its event id was recorded before."""
    event = FunnelEventIn(
        event_id=event_id,
        system=solution.external_system,
        solution=solution.external_id,
        attempt_id=attempt_id,
        kind=kind,
        occurred_at=occurred_at,
        step=step,
    )
    return record_funnel_events(events=[event], now=now).accepted == 1


def record_funnel_events(*, events: Sequence[FunnelEventIn], now: dt.datetime) -> Recorded:
    """Record a batch as a whole: every event is checked first, and one refused event stores
    nothing (a ValidationError lists every problem). Events whose id is already stored are
    acknowledged as duplicates and not counted again."""
    if len(events) > MAX_BATCH:
        raise ValidationError(
            _("A batch holds at most %(most)d events; this one holds %(count)d.")
            % {"most": MAX_BATCH, "count": len(events)}
        )
    return _record(events, solutions=_solutions_for(events), now=now)


def record_funnel_events_in_bulk(
    *, events: Iterable[FunnelEventIn], now: dt.datetime, batch_size: int = MAX_BATCH
) -> Recorded:
    """Record a stream of events (simulate, a back-fill) batch by batch, each batch checked and
    committed as record_funnel_events does; memory holds one batch. Solutions are looked up
    once for the whole stream."""
    solutions: dict[_SolutionKey, SelfServiceSolution] = {}
    accepted = duplicate = 0
    for batch in _chunks(events, batch_size):
        missing = [event for event in batch if (event.system, event.solution) not in solutions]
        if missing:
            solutions.update(_solutions_for(missing))
        recorded = _record(batch, solutions=solutions, now=now)
        accepted += recorded.accepted
        duplicate += recorded.duplicate
    return Recorded(accepted=accepted, duplicate=duplicate)


def rebuild_funnel_counts() -> int:
    """Recompute the daily counts from the events (a repair; the counts are kept as events are
    recorded). Returns the number of events read."""
    alias = router.db_for_write(FunnelDayCount)
    read = 0
    with transaction.atomic(using=alias):
        FunnelDayCount.objects.using(alias).all().delete()
        FunnelMonthCount.objects.using(alias).all().delete()
        rows = (
            FunnelEvent.objects.using(alias)
            .order_by("pk")
            .values_list("event_id", "solution_id", "attempt_id", "kind", "step", "occurred_at")
            .iterator(chunk_size=10_000)
        )
        for chunk in _chunks(rows, 10_000):
            _add_to_counts(alias, chunk)
            read += len(chunk)
    return read


def _record(
    events: Sequence[FunnelEventIn],
    *,
    solutions: dict[_SolutionKey, SelfServiceSolution],
    now: dt.datetime,
) -> Recorded:
    rows, problems = _checked(events, solutions=solutions, now=now)
    if problems:
        raise ValidationError(problems)
    unique = list({row[0]: row for row in reversed(rows)}.values())  # the first of each id
    alias = router.db_for_write(FunnelEvent)
    with transaction.atomic(using=alias):
        inserted = _insert_new(alias, unique)
        _add_to_counts(alias, inserted)
    return Recorded(accepted=len(inserted), duplicate=len(rows) - len(inserted))


def _solutions_for(events: Iterable[FunnelEventIn]) -> dict[_SolutionKey, SelfServiceSolution]:
    keys = {(event.system, event.solution) for event in events}
    found = SelfServiceSolution.objects.filter(
        external_system__in={system for system, _id in keys},
        external_id__in={external_id for _system, external_id in keys},
    ).only("pk", "external_system", "external_id", "steps")
    return {
        (solution.external_system, solution.external_id): solution
        for solution in found
        if (solution.external_system, solution.external_id) in keys
    }


def _checked(
    events: Sequence[FunnelEventIn],
    *,
    solutions: dict[_SolutionKey, SelfServiceSolution],
    now: dt.datetime,
) -> tuple[list[_Row], list[str]]:
    """The events as rows to store, and every problem found, each naming its event."""
    rows: list[_Row] = []
    problems: list[str] = []
    for number, event in enumerate(events, start=1):
        solution = solutions.get((event.system, event.solution))
        found = _problems(event, solution, now=now)
        if found or solution is None:
            problems += [
                _("Event %(number)d (id %(event_id)r): %(problem)s")
                % {"number": number, "event_id": event.event_id[:KEY_LENGTH], "problem": problem}
                for problem in found
            ]
            continue
        rows.append(
            (
                event.event_id,
                solution.pk,
                event.attempt_id,
                event.kind,
                event.step,
                event.occurred_at,
            )
        )
    return rows, problems


# Messages built only for an event with a problem: gettext per event cost most of a batch.
_IDENTIFIERS = (
    ("event_id", KEY_LENGTH, gettext_lazy("The event id is blank.")),
    ("attempt_id", KEY_LENGTH, gettext_lazy("The attempt id is blank.")),
    ("system", SYSTEM_LENGTH, gettext_lazy("The form system is blank.")),
    ("solution", KEY_LENGTH, gettext_lazy("The solution is blank.")),
)
# Plain strings: comparing with an enum member costs more, once per event.
_KINDS = frozenset(FunnelEventKind.values)
_STEP_REACHED = FunnelEventKind.STEP_REACHED.value
_WITHOUT_STEP = frozenset({FunnelEventKind.STARTED.value, FunnelEventKind.COMPLETED.value})


def _problems(
    event: FunnelEventIn, solution: SelfServiceSolution | None, *, now: dt.datetime
) -> list[str]:
    """What is wrong with one event, in Danish; empty if nothing."""
    problems: list[str] = []
    for name, length, blank in _IDENTIFIERS:
        value: str = getattr(event, name)
        if not value:
            problems.append(str(blank))
        elif len(value) > length:
            problems.append(
                _("%(value)r is longer than %(length)d characters.")
                % {"value": value[:20] + "…", "length": length}
            )
    if event.system and event.solution and solution is None:
        problems.append(
            _("No self-service solution is registered as %(solution)r in form system %(system)r.")
            % {"solution": event.solution, "system": event.system}
        )
    if event.kind not in _KINDS:
        problems.append(_("Unknown kind %(kind)r.") % {"kind": event.kind})
    elif event.kind == _STEP_REACHED and not event.step:
        problems.append(_("An event of kind step_reached names its step."))
    elif event.kind in _WITHOUT_STEP and event.step:
        problems.append(_("An event of kind %(kind)s has no step.") % {"kind": event.kind})
    if event.step and solution is not None and event.step not in solution.steps:
        problems.append(
            _("The solution has no step %(step)r; its steps are: %(steps)s.")
            % {"step": event.step[:STEP_LENGTH], "steps": ", ".join(solution.steps) or "–"}
        )
    if event.occurred_at.utcoffset() is None:
        problems.append(_("The time has no time zone."))
    elif event.occurred_at > now + dt.timedelta(seconds=CLOCK_SKEW_SECONDS):
        problems.append(_("The time is in the future."))
    elif event.occurred_at < EARLIEST:
        problems.append(_("The time is before %(year)s.") % {"year": EARLIEST.year})
    return problems


def _insert_new(alias: str, rows: Sequence[_Row]) -> list[_Row]:
    """Insert the rows whose event id is not stored yet; return those the database inserted.

    Rows go in event-id order, so two transactions inserting the same ids take their locks in
    the same order and wait for each other rather than deadlock.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(FunnelEvent._meta.db_table)
    columns = ", ".join(
        quote(column)
        for column in _columns(
            FunnelEvent, ("event_id", "solution", "attempt_id", "kind", "step", "occurred_at")
        )
    )
    (event_id,) = (quote(column) for column in _columns(FunnelEvent, ("event_id",)))
    by_id = {row[0]: row for row in rows}
    inserted: list[_Row] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for chunk in _chunks(sorted(rows), ARRAY_ROWS):
                # unnest gives the rows in the arrays' order, event-id order.
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT * FROM unnest(%s::text[], "  # noqa: S608
                    "%s::bigint[], %s::text[], %s::text[], %s::text[], %s::timestamptz[]) "
                    f"ON CONFLICT ({event_id}) DO NOTHING RETURNING {event_id}",
                    [array_literal(values) for values in zip(*chunk, strict=True)],
                )
                inserted += [by_id[returned] for (returned,) in cursor.fetchall()]
            return inserted
        for chunk in _chunks(sorted(rows), ROWS_PER_STATEMENT):
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            parameters: list[Any] = [
                value
                for *fields, occurred_at in chunk
                for value in (*fields, connection.ops.adapt_datetimefield_value(occurred_at))
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 (names quoted)
                f"ON CONFLICT ({event_id}) DO NOTHING RETURNING {event_id}",
                parameters,
            )
            inserted += [by_id[returned] for (returned,) in cursor.fetchall()]
    return inserted


# The daily count a kind of event adds to.
_MEASURE = {
    FunnelEventKind.STARTED: "started",
    FunnelEventKind.STEP_REACHED: "reached",
    FunnelEventKind.COMPLETED: "completed",
    FunnelEventKind.ABANDONED: "abandoned",
}
_MEASURES = ("started", "reached", "completed", "abandoned")


def _add_to_counts(alias: str, rows: Iterable[_Row]) -> None:
    """Add the events to their days' and their months' counts, one upsert per chunk of
    buckets, in key order (so that concurrent batches lock the same rows in the same order),
    the days' first."""
    zone = ZoneInfo(settings.TIME_ZONE)
    days: dict[tuple[dt.date, int, str], Counter[str]] = defaultdict(Counter)
    months: dict[tuple[dt.date, int, str], Counter[str]] = defaultdict(Counter)
    for _event_id, solution_id, _attempt, kind, step, occurred_at in rows:
        day = occurred_at.astimezone(zone).date()
        measure = _MEASURE[FunnelEventKind(kind)]
        days[day, solution_id, step][measure] += 1
        months[day.replace(day=1), solution_id, step][measure] += 1
    _upsert_counts(alias, FunnelDayCount, "day", days)
    _upsert_counts(alias, FunnelMonthCount, "month", months)


def _upsert_counts(
    alias: str,
    model: type[FunnelCounts],
    date: str,
    buckets: dict[tuple[dt.date, int, str], Counter[str]],
) -> None:
    if not buckets:
        return
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    keys = [quote(column) for column in _columns(model, (date, "solution", "step"))]
    measures = [quote(column) for column in _columns(model, _MEASURES)]
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in measures)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for chunk in _chunks(sorted(buckets.items()), ARRAY_ROWS):
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(keys + measures)}) SELECT * FROM "  # noqa: S608
                    "unnest(%s::date[], %s::bigint[], %s::text[], %s::int[], %s::int[], "
                    f"%s::int[], %s::int[]) ON CONFLICT ({', '.join(keys)}) "
                    f"DO UPDATE SET {updates}",
                    [
                        array_literal(values)
                        for values in zip(
                            *(
                                (*key, *(counts[name] for name in _MEASURES))
                                for key, counts in chunk
                            ),
                            strict=True,
                        )
                    ],
                )
            return
        for chunk in _chunks(sorted(buckets.items()), ROWS_PER_STATEMENT):
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            parameters: list[Any] = [
                value
                for (day, solution_id, step), counts in chunk
                for value in (
                    connection.ops.adapt_datefield_value(day),
                    solution_id,
                    step,
                    *(counts[name] for name in _MEASURES),
                )
            ]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(keys + measures)}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
                parameters,
            )


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    """The database columns of the model's fields, in the order named."""
    columns = {field.name: field.column for field in model._meta.concrete_fields}
    return [columns[name] for name in names]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# Reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepCount:
    step: str
    reached: int
    # Attempts lost since the step before (since the start for the first step); negative when
    # the form system sent steps without their start.
    drop_off: int


@dataclass(frozen=True)
class FunnelRow:
    """One solution's funnel over a period."""

    solution_id: int
    name: str
    kind: str
    department_id: int
    task_id: int | None
    external_system: str
    external_id: str
    url: str
    is_active: bool
    started: int
    steps: tuple[StepCount, ...]
    completed: int
    abandoned: int
    days: int  # in the period

    @property
    def completion_rate(self) -> float | None:
        """Completed per started; None when none started."""
        return self.completed / self.started if self.started else None

    @property
    def abandoned_per_completed(self) -> float | None:
        """Seed 004's measure (3.75 nationally); None when none completed."""
        return self.abandoned / self.completed if self.completed else None

    @property
    def transactions_per_year(self) -> float:
        """Completed attempts scaled from the period to a year of 365 days."""
        return self.completed * DAYS_PER_YEAR / self.days

    @property
    def worst_step(self) -> StepCount | None:
        """The step most attempts are lost before; None without steps or without any loss."""
        worst = max(self.steps, key=lambda step: step.drop_off, default=None)
        return worst if worst is not None and worst.drop_off > 0 else None


@dataclass(frozen=True)
class AdviceThresholds:
    retire_below: float  # transactions a year
    fix_from: float  # abandoned per completed
    min_started: int  # attempts needed before completion is judged

    @classmethod
    def from_settings(cls) -> AdviceThresholds:
        return cls(
            retire_below=settings.SELF_SERVICE_RETIRE_BELOW,
            fix_from=settings.SELF_SERVICE_FIX_ABANDONED_PER_COMPLETED,
            min_started=settings.SELF_SERVICE_MIN_STARTED,
        )


@dataclass(frozen=True)
class AdviceRow:
    funnel: FunnelRow
    advice: Advice
    reason: str  # the numbers behind the advice, in Danish


def funnel_report(
    *, scope: Scope, start: dt.date, end: dt.date, department_id: int | None = None
) -> list[FunnelRow]:
    """Each solution's funnel from `start` to `end` (Danish days, both included), by name: the
    active solutions and any other with events in the period. Managers see their departments'
    solutions, administrators all (statistics_scope); others are refused. Two statements, on
    the daily counts only."""
    if start > end:
        raise ValidationError(_("The period must end on or after the day it starts."))
    departments = _departments(scope, department_id)
    solutions = SelfServiceSolution.objects.order_by("name", "pk")
    # Whole months from the month counts, the days around them from the day counts.
    split = split_by_months(start, end)
    parts: list[QuerySet[Any]] = [
        FunnelDayCount.objects.filter(day__range=days) for days in split.days
    ]
    if split.months is not None:
        parts.append(FunnelMonthCount.objects.filter(month__range=split.months))
    if departments is not None:
        solutions = solutions.filter(department_id__in=departments)
        parts = [part.filter(solution__department_id__in=departments) for part in parts]
    grouped = [
        part.values_list("solution_id", "step")
        .annotate(*(Sum(name) for name in _MEASURES))
        .order_by()
        for part in parts
    ]
    sums: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for solution_id, step, *measures in grouped[0].union(*grouped[1:], all=True):
        sums[solution_id][step].update(dict(zip(_MEASURES, measures, strict=True)))
    days = (end - start).days + 1
    return [
        _funnel(solution, sums.get(solution.pk, {}), days)
        for solution in solutions.filter(Q(is_active=True) | Q(pk__in=list(sums)))
    ]


def self_service_advice(
    *,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    department_id: int | None = None,
    thresholds: AdviceThresholds | None = None,
) -> list[AdviceRow]:
    """The active solutions to retire or fix, with the numbers behind each piece of advice:
    retire those completed fewer times a year than `retire_below` (seed 004: 82 % of 295
    municipal solutions had under 100 a year); fix the others that lose `fix_from` or more
    attempts per completed one (seed 004: 3.75 nationally), once `min_started` attempts have
    begun. A solution to retire is not also advised fixed: nobody would use the fix. Those to
    retire come first, fewest transactions first; then those to fix, worst first."""
    return advice_on(
        funnel_report(scope=scope, start=start, end=end, department_id=department_id),
        thresholds=thresholds,
    )


def advice_on(
    funnels: Iterable[FunnelRow], *, thresholds: AdviceThresholds | None = None
) -> list[AdviceRow]:
    """self_service_advice on funnels already read (a page that shows them reads them once)."""
    limits = thresholds or AdviceThresholds.from_settings()
    retire: list[AdviceRow] = []
    fix: list[AdviceRow] = []
    for row in funnels:
        if not row.is_active:
            continue
        if row.transactions_per_year < limits.retire_below:
            retire.append(AdviceRow(row, Advice.RETIRE, _retire_reason(row, limits)))
        elif _needs_fixing(row, limits):
            fix.append(AdviceRow(row, Advice.FIX, _fix_reason(row, limits)))
    retire.sort(key=lambda advice: (advice.funnel.transactions_per_year, advice.funnel.name))
    fix.sort(
        key=lambda advice: (
            -(advice.funnel.abandoned_per_completed or float("inf")),
            advice.funnel.name,
        )
    )
    return retire + fix


def _needs_fixing(row: FunnelRow, limits: AdviceThresholds) -> bool:
    if row.started < limits.min_started:
        return False  # too few attempts to judge
    ratio = row.abandoned_per_completed
    return row.abandoned > 0 if ratio is None else ratio >= limits.fix_from


def _departments(scope: Scope, department_id: int | None) -> frozenset[int] | None:
    departments = statistics_scope(scope)
    if department_id is None:
        return departments
    if departments is not None and department_id not in departments:
        raise StatisticsRefused(_("You may not see the statistics of that department."))
    return frozenset({department_id})


def _funnel(
    solution: SelfServiceSolution, sums: Mapping[str, Mapping[str, int]], days: int
) -> FunnelRow:
    def total(measure: str) -> int:
        return sum(counts[measure] for counts in sums.values())

    # The solution's steps in order, then any the form system sent that it no longer lists.
    order = [*solution.steps, *sorted(step for step in sums if step and step not in solution.steps)]
    started = total("started")
    steps: list[StepCount] = []
    before = started
    for step in order:
        reached = sums.get(step, {}).get("reached", 0)
        steps.append(StepCount(step=step, reached=reached, drop_off=before - reached))
        before = reached
    return FunnelRow(
        solution_id=solution.pk,
        name=solution.name,
        kind=solution.kind,
        department_id=solution.department_id,
        task_id=solution.task_id,
        external_system=solution.external_system,
        external_id=solution.external_id,
        url=solution.url,
        is_active=solution.is_active,
        started=started,
        steps=tuple(steps),
        completed=total("completed"),
        abandoned=total("abandoned"),
        days=days,
    )


def _number(value: float, decimals: int = 1) -> str:
    """A number as Danish writes it: a decimal comma."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _retire_reason(row: FunnelRow, limits: AdviceThresholds) -> str:
    return _(
        "%(per_year)s transactions a year (%(completed)d completed in %(days)d days), "
        "fewer than %(limit)s."
    ) % {
        "per_year": _number(row.transactions_per_year),
        "completed": row.completed,
        "days": row.days,
        "limit": _number(limits.retire_below, 0),
    }


def _fix_reason(row: FunnelRow, limits: AdviceThresholds) -> str:
    ratio = row.abandoned_per_completed
    reason = _(
        "%(abandoned)d abandoned for %(completed)d completed of %(started)d started "
        "(%(ratio)s per completed; advice from %(limit)s)."
    ) % {
        "abandoned": row.abandoned,
        "completed": row.completed,
        "started": row.started,
        "ratio": "∞" if ratio is None else _number(ratio, 2),
        "limit": _number(limits.fix_from, 2),
    }
    worst = row.worst_step
    if worst is not None:
        reason += " " + _("Most are lost before step %(step)r (%(lost)d).") % {
            "step": worst.step,
            "lost": worst.drop_off,
        }
    return reason
