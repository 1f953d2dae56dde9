"""INSERTs for the hottest write paths, composed once per model.

Registering a contact through the API writes a party, a thread and a contact. Through the ORM,
each of those INSERTs cost more Python than the database spent running it; here the statement
is built from the model's metadata once, and the values are prepared by the model's own fields,
as `Model.save()` prepares them. No model signals are sent: none are connected to these models.

On PostgreSQL the three can be one statement: each INSERT a step of a WITH clause that takes
its foreign keys from the step before (`insert_from`), so the whole registration is one round
trip and commits on its own, without BEGIN and COMMIT.

Triage writes a routing decision or a queue item per contact, by the hundred (`insert_many`).

Every read of personal data writes to the access log: one row through `insert` (a 360), or
rows that differ in one column only, the party (a page of contacts):
`insert_each` writes them as one INSERT … SELECT over the list of parties, with the shared values
prepared once, where `bulk_create` built a model instance per row, sent every value as its own
parameter and wrapped the INSERT in a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from django.db import connections, models, router


def insert(instance: models.Model, *, unless_taken: str | None = None) -> bool:
    """INSERT a new instance and set its primary key; True if a row was written.

    With `unless_taken` (a unique field) the row is skipped when one with the same value exists
    (`ON CONFLICT … DO NOTHING`, on PostgreSQL and SQLite alike): no error, so no savepoint is
    needed in the caller's transaction. The instance is then left unsaved and False returned.
    """
    alias = router.db_for_write(type(instance))
    with connections[alias].cursor() as cursor:
        cursor.execute(insert_sql(type(instance), alias, unless_taken), values(instance, alias))
        row = cursor.fetchone()
    if row is None:
        return False
    saved(instance, alias, row[0])
    return True


def insert_many(instances: Sequence[models.Model]) -> None:
    """INSERT new instances of one model and set their primary keys: what `bulk_create` does,
    for the rows triage writes by the hundred.

    On PostgreSQL, psycopg pipelines `executemany`: one round trip, the single-row statement
    parsed once. `bulk_create` sends each column as an array instead, and escaping the quotes
    of every JSON value inside a text array cost more than the rest of the work; one multi-row
    VALUES list costs psycopg a parse of the whole statement, which it caches only when short.
    SQLite runs in the process, with no round trips to save.
    """
    if not instances:
        return
    model = type(instances[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        for instance in instances:
            insert(instance)
        return
    rows = [values(instance, alias) for instance in instances]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        psycopg_cursor = cursor.cursor
        psycopg_cursor.executemany(insert_sql(model, alias), rows, returning=True)
        for instance in instances:
            saved(instance, alias, psycopg_cursor.fetchone()[0])
            psycopg_cursor.nextset()


def insert_each(
    model: type[models.Model], *, each: str, keys: Sequence[Any], **shared: Any
) -> None:
    """INSERT one row of `model` per value in `keys`, which goes to the field named `each`.

    Every other field takes its value from `shared` (by attribute name: `user_id`) or its
    default. One statement with the same few parameters however many keys there are: the keys
    travel as one array (PostgreSQL) or JSON list (SQLite). Committed as the caller's
    transaction commits; on its own in autocommit. No model signals are sent, as with
    `bulk_create`.
    """
    by_attname = {field.attname: field for field in _written_fields(model)}
    unknown = ({each} | shared.keys()) - by_attname.keys()
    if unknown:
        raise TypeError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    if not keys:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    # One instance prepares the shared values, as for every INSERT here (defaults, pre_save).
    parameters = values(model(**shared), alias, skip=frozenset({by_attname[each].name}))
    listed = list(keys) if connection.vendor == "postgresql" else json.dumps(list(keys))
    with connection.cursor() as cursor:
        cursor.execute(_insert_each_sql(model, alias, each), [*parameters, listed])


@cache
def _insert_each_sql(model: type[models.Model], alias: str, each: str) -> str:
    selected = ", ".join("key" if f.attname == each else "%s" for f in _written_fields(model))
    source = (
        "unnest(%s) AS keys (key)"
        if connections[alias].vendor == "postgresql"
        else "(SELECT value AS key FROM json_each(%s))"
    )
    return f"{_insert_into(model, alias)} SELECT {selected} FROM {source}"  # noqa: S608 - see _insert_into


def values(instance: models.Model, alias: str, *, skip: frozenset[str] = frozenset()) -> list[Any]:
    """The instance's values for its INSERT, as its fields prepare them, in column order; the
    fields named in `skip` left out."""
    connection = connections[alias]
    return [
        field.get_db_prep_save(field.pre_save(instance, add=True), connection)
        for field in _written_fields(type(instance))
        if field.name not in skip
    ]


def saved(instance: models.Model, alias: str, pk: Any) -> None:
    """Mark a new instance as stored under `pk`, as `Model.save()` does."""
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = alias


def insert_from(
    model: type[models.Model], alias: str, *, source: str, taken: Mapping[str, str]
) -> str:
    """`INSERT … SELECT` of one row of `model`, for a step of a WITH clause (PostgreSQL).

    The fields named in `taken` get their value from that column of the step `source`; every
    other value is a parameter, in `values(…, skip=frozenset(taken))` order. As many rows are
    written as `source` has: none when it found none. The primary key and the taken columns
    are returned, so a later step can use them.
    """
    return _insert_from_sql(model, alias, source, tuple(sorted(taken.items())))


@cache
def _insert_from_sql(
    model: type[models.Model], alias: str, source: str, taken: tuple[tuple[str, str], ...]
) -> str:
    quote = connections[alias].ops.quote_name
    from_source = dict(taken)
    selected = ", ".join(
        f"{quote(source)}.{quote(from_source[field.name])}" if field.name in from_source else "%s"
        for field in _written_fields(model)
    )
    returned = ", ".join(
        quote(column)
        for column in [model._meta.pk.column, *(column(model, n) for n in from_source)]
    )
    head = _insert_into(model, alias)
    return f"{head} SELECT {selected} FROM {quote(source)} RETURNING {returned}"  # noqa: S608 - see _insert_into


def fits_key(model: type[models.Model], alias: str, key: int) -> bool:
    """Whether `key` is in the range of the model's integer primary key column: outside it the
    ORM finds nothing, and SQLite cannot take the number as a parameter at all."""
    low, high = connections[alias].ops.integer_field_range(model._meta.pk.get_internal_type())
    return low <= key <= high


def column(model: type[models.Model], name: str) -> str:
    """The database column of one of the model's concrete fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field.column


@cache
def _written_fields(model: type[models.Model]) -> list[models.Field[object, object]]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


@cache
def insert_sql(model: type[models.Model], alias: str, unless_taken: str | None = None) -> str:
    """The single-row INSERT of `insert`, with `values` as its parameters, returning the key."""
    quote = connections[alias].ops.quote_name
    placeholders = ", ".join(["%s"] * len(_written_fields(model)))
    conflict = (
        f" ON CONFLICT ({quote(column(model, unless_taken))}) DO NOTHING" if unless_taken else ""
    )
    return (
        f"{_insert_into(model, alias)} VALUES ({placeholders}){conflict} "
        f"RETURNING {quote(model._meta.pk.column)}"
    )


def _insert_into(model: type[models.Model], alias: str) -> str:
    """`INSERT INTO table (every written column)`, the head of each statement here."""
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in _written_fields(model))
    # Identifiers come from the model's metadata, quoted; every value is a parameter.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns})"
