"""Bulk loading on PostgreSQL: references checked per set instead of per row.

A COPY into a table with foreign keys runs one lookup per key per row (PostgreSQL's referential
triggers); for a contact's eight keys that is about three quarters of COPY's time. A writer
that built its references itself may instead switch the row triggers off for its transaction
(`session_replication_role = replica`, superusers only) and check each foreign key once over
the rows it wrote (`check_references`: each distinct value once) before it commits.

Replica mode switches off every ordinary trigger, not only the referential ones, so it is
taken only where the tables written have no trigger on what the writer does to them (INSERT;
UPDATE too where it upserts) other than those whose work it does itself (`replaced`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.backends.utils import CursorWrapper

# pg_trigger.tgtype's bits of the events a bulk writer causes.
ON_INSERT, ON_UPDATE = 4, 16
# The plan of a set's check: the rows written found by index, one index probe per distinct
# value and key, in this process (a parallel worker's start costs more than the check).
CHECK_PLAN = {
    "enable_seqscan": "off",
    "enable_hashjoin": "off",
    "enable_mergejoin": "off",
    "max_parallel_workers_per_gather": "0",
}


@contextmanager
def row_triggers_skipped(
    *, inserted: Iterable[str], upserted: Iterable[str], replaced: Iterable[str]
) -> Iterator[bool]:
    """Within the current transaction, switch the row triggers off meanwhile, where PostgreSQL
    lets this role and no table the caller inserts into (or upserts into) has an INSERT (or
    UPDATE) trigger but those named in `replaced`; yield whether it did. If so, the caller
    checks what it wrote with `check_references` before the block ends."""
    if connection.vendor != "postgresql":
        yield False
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("row_triggers_skipped needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgname <> ALL(%s) AND (tgrelid = ANY(%s::regclass[]) AND tgtype & %s <> 0 "
            "OR tgrelid = ANY(%s::regclass[]) AND tgtype & %s <> 0))",
            [list(replaced), list(inserted), ON_INSERT, list(upserted), ON_INSERT | ON_UPDATE],
        )
        skipped: bool = cursor.fetchone()[0]
        if skipped:
            try:
                # In a savepoint, so that a role without the privilege goes on unharmed; SET
                # LOCAL outlives the savepoint's release.
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except DatabaseError:
                skipped = False
    yield skipped
    # Not on an error: the transaction (or savepoint) is rolled back, and the setting with it.
    if skipped:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def newest_ids(tables: Sequence[type[models.Model]]) -> dict[type[models.Model], int]:
    """The highest id now in each table (0 if empty), in one statement: the rows written after
    this have higher ids (they come from the sequence later)."""
    quote = connection.ops.quote_name
    highest = ", ".join(
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608
        for model in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {highest}")
        return {model: newest or 0 for model, newest in zip(tables, cursor.fetchone(), strict=True)}


def check_references(written: Mapping[type[models.Model], int]) -> None:
    """Raise IntegrityError if a row of one of these tables with an id above the one given for
    it names a row that does not exist through any of its foreign keys: per key, the distinct
    values among those rows (each with the first row naming it), looked up once each, all in
    one statement (its first dangling reference). Most keys name one of a few departments,
    tasks or staff: for 50,000 simulated contacts and their threads at 1 M, 0.75-0.92 s
    against 2.2-2.7 s for a lookup per row and key."""
    quote = connection.ops.quote_name
    keys = [
        (model, field)
        for model in written
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.db_constraint  # type: ignore[attr-defined]
    ]
    if not keys:
        return
    anti_joins, parameters = [], []
    for number, (model, field) in enumerate(keys):
        pk, column = quote(model._meta.pk.column), quote(field.column)
        target = field.target_field
        # Each in a subquery of its own, as SQLite wants for a LIMIT within a UNION.
        anti_joins.append(
            f"SELECT * FROM (SELECT {number}, v.first, v.value FROM "  # noqa: S608
            f"(SELECT w.{column} AS value, MIN(w.{pk}) AS first "
            f"FROM {quote(model._meta.db_table)} w WHERE w.{pk} > %s AND w.{column} IS NOT NULL "
            f"GROUP BY w.{column}) v WHERE NOT EXISTS (SELECT 1 FROM "
            f"{quote(target.model._meta.db_table)} r WHERE r.{quote(target.column)} = v.value) "
            f"LIMIT 1) AS key{number}"
        )
        parameters.append(written[model])
    with connection.cursor() as cursor, _check_plan(cursor):
        cursor.execute(" UNION ALL ".join(anti_joins) + " LIMIT 1", parameters)
        dangling = cursor.fetchone()
    if dangling is not None:
        model, field = keys[dangling[0]]
        raise IntegrityError(
            f"{model._meta.db_table} {dangling[1]}: {field.column} = {dangling[2]} "
            f"names no row of {field.target_field.model._meta.db_table}"
        )


@contextmanager
def _check_plan(cursor: CursorWrapper) -> Iterator[None]:
    """On PostgreSQL, CHECK_PLAN meanwhile: a sequential scan, hash or merge join would read
    the whole table (every thread so far) for each set, and during a load the planner's
    statistics lag far behind the tables."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute(
        "SELECT set_config(name, value, true) FROM unnest(%s::text[], %s::text[]) "
        "AS plan(name, value)",
        [list(CHECK_PLAN), list(CHECK_PLAN.values())],
    )
    try:
        yield
    finally:
        cursor.execute(
            "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)",
            [list(CHECK_PLAN)],
        )
