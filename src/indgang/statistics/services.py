"""Writes: fold new contacts into the contact rollups, recompute them from the register (a
repair; triggers keep them), and count bulk writers' contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

from django.db import connection, connections, router, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth

from indgang.catalogue.models import Task
from indgang.contacts.constants import DANISH_TIME
from indgang.contacts.models import Contact
from indgang.knowledge.models import KnowledgeUse
from indgang.statistics.models import (
    ContactCount,
    Counts,
    DayContactCount,
    NewContactCount,
    TaskMonthContactCount,
    UnitContactCount,
    UnitMonthContactCount,
    date_field,
)

# In the order the triggers write them (migration 0006: the month grains first), so that
# writers lock them alike.
GRAINS: tuple[type[Counts], ...] = (
    UnitMonthContactCount,
    TaskMonthContactCount,
    DayContactCount,
    UnitContactCount,
    ContactCount,
)
REBUILD_BATCH = 5000
# A task with a self-service solution, as the catalogue has it now (migration 0005).
SELF_SERVICE_TASK = ~Q(task__self_service_url="") & Q(task__isnull=False)
# What each dimension of a bucket is on the contact: 0 for no department, unit or task.
DIMENSION_OF_CONTACT = {
    "day": F("received_on"),
    "month": TruncMonth("received_on"),
    "channel": F("channel"),
    "direction": F("direction"),
    "outcome": F("outcome"),
    "self_service_task": ExpressionWrapper(SELF_SERVICE_TASK, output_field=BooleanField()),
    "department_id": Coalesce("department_id", Value(0)),
    "unit_id": Coalesce("unit_id", Value(0)),
    "task_id": Coalesce("task_id", Value(0)),
}


def dimensions(grain: type[Counts]) -> tuple[str, ...]:
    """The grain's dimensions, in the order of its unique constraint."""
    constraint = grain._meta.constraints[0]
    return tuple(constraint.fields)  # type: ignore[attr-defined]


def counted_from_register(grain: type[Counts], *, start: dt.date, end: dt.date) -> list[Counts]:
    """The grain's buckets for these days as a GROUP BY over the register would give them."""
    names = dimensions(grain)
    with_use = Exists(KnowledgeUse.objects.filter(contact_id=OuterRef("pk")))
    rows = (
        Contact.objects.filter(_received_between(start, end))
        .annotate(
            **{f"bucket_{name}": DIMENSION_OF_CONTACT[name] for name in names},
            used=with_use,
        )
        .values(*(f"bucket_{name}" for name in names))
        .annotate(
            contacts=Count("pk"),
            with_knowledge=Count("pk", filter=Q(used=True)),
            duration=Coalesce(Sum("duration_seconds"), Value(0)),
            timed=Count("duration_seconds"),
        )
        .order_by(*(f"bucket_{name}" for name in names))
    )
    return [
        grain(
            **{name: row[f"bucket_{name}"] for name in names},
            contacts=row["contacts"],
            with_knowledge=row["with_knowledge"],
            duration_seconds=row["duration"],
            timed=row["timed"],
        )
        for row in rows
    ]


def _received_between(start: dt.date, end: dt.date) -> Q:
    """The contacts of these Danish days, found through the register's index on received_at."""
    since = dt.datetime.combine(start, dt.time(), tzinfo=DANISH_TIME)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=DANISH_TIME)
    return Q(received_at__gte=since, received_at__lt=until, received_on__range=(start, end))


def months(start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    """The calendar months from start to end, cut to them, as (first, last) days."""
    first = start
    while first <= end:
        following = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = min(end, following - dt.timedelta(days=1))
        yield first, last
        first = following


def rebuild_contact_counts(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    progress: Callable[[dt.date, dt.date, int], None] | None = None,
) -> int:
    """Recompute every rollup bucket of these days (default: every day with contacts) from the
    register, month by month in one transaction; return the number of contacts counted.

    On PostgreSQL the register and the catalogue's tasks are locked against writes meanwhile
    (reads go on), so no registration or self-service link falls between the count and the
    buckets written.
    """
    alias = router.db_for_write(ContactCount)
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE contacts_contact, knowledge_knowledgeuse, catalogue_task "
                    "IN SHARE MODE"
                )
            # The contacts waiting to be counted are counted by the rebuild's days or, outside
            # them, nowhere else: into the buckets with them, and none is left to count twice.
            fold_new_contact_counts()
        first = start or _edge("received_at")
        last = end or _edge("-received_at")
        if first is None or last is None:
            for grain in GRAINS:
                grain.objects.all().delete()
            return 0
        counted = 0
        for month_start, month_end in months(first, last):
            in_month = 0
            for grain in GRAINS:
                # A month grain's bucket counts the whole month, whatever part of it is asked.
                start_of, end_of = month_start, month_end
                if date_field(grain) == "month":
                    start_of, end_of = _whole_month(month_start)
                grain.objects.filter(**{f"{date_field(grain)}__range": (start_of, end_of)}).delete()
                buckets = counted_from_register(grain, start=start_of, end=end_of)
                grain.objects.bulk_create(buckets, batch_size=REBUILD_BATCH)
                if grain is DayContactCount:
                    in_month = sum(bucket.contacts for bucket in buckets)
            counted += in_month
            if progress is not None:
                progress(month_start, month_end, in_month)
        if start is None and end is None:
            # Buckets of days (and months) that no longer have contacts at all.
            for grain in GRAINS:
                first_of = first if date_field(grain) == "day" else first.replace(day=1)
                grain.objects.exclude(**{f"{date_field(grain)}__range": (first_of, last)}).delete()
        return counted


def _whole_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of the day's month."""
    following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return day.replace(day=1), following - dt.timedelta(days=1)


def _edge(order: str) -> dt.date | None:
    day: dt.date | None = (
        Contact.objects.order_by(order).values_list("received_on", flat=True).first()
    )
    return day


# --------------------------------------------------------------------------------------------
# Bulk writers count themselves (migration 0002's docstring: who may, and why it stays correct)
# --------------------------------------------------------------------------------------------

ROLLUPS_SETTING = "indgang.rollups"
ROLLUPS_CALLER = "caller"
# The trigger (migration 0002) whose work `add_contact_buckets` does for such a writer.
CONTACT_INSERT_TRIGGER = "statistics_contact_insert"


@dataclass(frozen=True)
class ContactBuckets:
    """New contacts aggregated per finest bucket (ContactCount's dimensions), column by column:
    one entry per bucket, each bucket once. New contacts have no knowledge use yet."""

    day: Sequence[dt.date]
    channel: Sequence[str]
    direction: Sequence[str]
    outcome: Sequence[str]
    department_id: Sequence[int]  # 0 = none, likewise unit and task
    unit_id: Sequence[int]
    task_id: Sequence[int]
    contacts: Sequence[int]
    duration_seconds: Sequence[int]
    timed: Sequence[int]


@contextmanager
def counting_taken_over() -> Iterator[bool]:
    """Switch the contact INSERT trigger off for the block, on PostgreSQL; whether the caller
    must add the contacts it inserts in the block with `add_contact_buckets` (on SQLite the
    triggers go on counting: False). The switch is transaction-local (SET LOCAL) and is put
    back when the block ends, so that inside an outer transaction (a test, `load-demo`) the
    contacts written after the block are counted by the trigger again; a block that raises
    leaves with its savepoint, which undoes the switch."""
    if connection.vendor != "postgresql":
        yield False
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("counting_taken_over needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {ROLLUPS_SETTING} = '{ROLLUPS_CALLER}'")
    yield True
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {ROLLUPS_SETTING} = ''")


def add_contact_buckets(buckets: ContactBuckets) -> None:
    """Add new contacts, counted by their writer, to every grain, each in key order (so that
    concurrent writers lock shared buckets in the same order, as the triggers do). Whether
    a bucket's task is a self-service task is read from the catalogue by the statement that
    writes the buckets, as the triggers read it (migration 0005)."""
    if not len(buckets.contacts):
        return
    columns = [f.name for f in fields(ContactBuckets)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = {"day": "date", "channel": "text", "direction": "text", "outcome": "text"}
            unnest = ", ".join(f"%s::{types.get(name, 'bigint')}[]" for name in columns)
            cursor.execute(
                _upserts_of(f"unnest({unnest}) AS a({', '.join(columns)})"),
                [array_literal(getattr(buckets, name)) for name in columns],
            )
            return
        self_service = set(Task.objects.exclude(self_service_url="").values_list("pk", flat=True))
        for grain in GRAINS:
            names = dimensions(grain)
            summed: dict[tuple[Any, ...], list[int]] = {}
            rows = zip(*(getattr(buckets, name) for name in columns), strict=True)
            for row in rows:
                values = dict(zip(columns, row, strict=True))
                values["self_service_task"] = int(values["task_id"]) in self_service
                values["month"] = values["day"].replace(day=1)
                total = summed.setdefault(tuple(values[name] for name in names), [0, 0, 0])
                for index, measure in enumerate(("contacts", "duration_seconds", "timed")):
                    total[index] += int(values[measure])
            table = grain._meta.db_table
            keys = ", ".join(names)
            cursor.executemany(
                f"INSERT INTO {table} ({keys}, contacts, with_knowledge, duration_seconds, timed) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * (len(names) + 4))}) ON CONFLICT ({keys}) DO UPDATE "
                "SET contacts = contacts + excluded.contacts, "
                "duration_seconds = duration_seconds + excluded.duration_seconds, "
                "timed = timed + excluded.timed",
                [(*key, total[0], 0, total[1], total[2]) for key, total in sorted(summed.items())],
            )


def array_literal(values: Sequence[object]) -> str:
    """A PostgreSQL array literal of the values, each quoted: one text parameter, which the
    driver passes as it is (a list parameter costs it a check per element)."""
    quoted = (str(value).replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "{" + ",".join(f'"{value}"' for value in quoted) + "}"


def _upserts_of(rows: str, *, first: str = "") -> str:
    """One statement that adds `rows` (new contacts' finest buckets, named `a`, in FROM; after
    the WITH queries `first`) to every grain: each bucket's self-service flag read from the
    catalogue as the triggers read it (migration 0005), its month computed, and the upserts in
    GRAINS order, as the triggers write (migration 0006's `_pg_upserts`: each upsert counts the
    rows of the one before, which runs that one first)."""
    added = (
        "added AS (SELECT a.*, COALESCE(s.self_service_url <> '', false) "  # noqa: S608
        "AS self_service_task, date_trunc('month', a.day::timestamp)::date AS month "
        f"FROM {rows} LEFT JOIN catalogue_task s ON s.id = a.task_id)"
    )
    upserts = [
        _upsert_sql(grain, after=GRAINS[index - 1] if index else None)
        for index, grain in enumerate(GRAINS)
    ]
    *queries, main = upserts
    named = ", ".join(
        f"{grain._meta.db_table} AS ({query} RETURNING 1)"
        for grain, query in zip(GRAINS, queries, strict=False)
    )
    return f"WITH {first + ', ' if first else ''}{added}, {named} {main}"


def fold_new_contact_counts() -> None:
    """Add the contacts that PostgreSQL's INSERT trigger set aside (`NewContactCount`) to every
    grain, and delete them, in one statement; a fold that runs beside it takes the rows this
    one did not delete. Whether a task has a self-service solution is read as the catalogue
    has it now, as the buckets do: before the statement takes its snapshot, the fold waits
    for a changed self-service link to commit (its trigger moves the task's buckets, holding
    every grain) or keeps such a change waiting until the fold commits. Nothing to do on
    SQLite, whose triggers count each contact at once."""
    alias = router.db_for_write(NewContactCount)
    if connections[alias].vendor != "postgresql":
        return
    grains = ", ".join(grain._meta.db_table for grain in GRAINS)
    waiting = NewContactCount._meta.db_table
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(f"LOCK TABLE {grains} IN ROW EXCLUSIVE MODE")
        cursor.execute(
            _upserts_of(
                "waiting AS a",
                first=f"waiting AS (DELETE FROM {waiting} RETURNING *)",  # noqa: S608
            )
        )


def _upsert_sql(grain: type[Counts], *, after: type[Counts] | None) -> str:
    """The grain's buckets summed from `added`, upserted in key order once the upsert of the
    grain `after` has run."""
    table, keys = grain._meta.db_table, ", ".join(dimensions(grain))
    first = f"(SELECT count(*) FROM {after._meta.db_table}) >= 0" if after else "true"  # noqa: S608
    return (
        f"INSERT INTO {table} AS t ({keys}, contacts, with_knowledge, duration_seconds, timed) "  # noqa: S608
        f"SELECT {keys}, SUM(contacts), 0, SUM(duration_seconds), SUM(timed) FROM added "
        f"WHERE {first} GROUP BY {keys} ORDER BY {keys} ON CONFLICT ({keys}) DO UPDATE SET "
        "contacts = t.contacts + excluded.contacts, "
        "duration_seconds = t.duration_seconds + excluded.duration_seconds, "
        "timed = t.timed + excluded.timed"
    )
