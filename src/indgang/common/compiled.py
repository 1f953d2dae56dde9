"""Querysets compiled to SQL once per shape, for reads that run on every request.

Building a queryset and compiling it (resolving each field name, its joins, the ordering)
costs Django the same Python each time, however few rows come back: for the 360 of a busy
citizen it was more than a quarter of the request. `rows_of` builds and compiles the queryset
once per `shape` and database connection, with a marker in place of the one value that varies
(the party, say), and from then on runs the stored SQL with the value in the marker's place.
The queryset is still written once, with the ORM, by the caller's own selectors: the shape must
name everything else it depends on (the reader's whole scope, for one), so that two requests
with the same shape would build the same SQL.

The rows are what `values_list` gives: the database's values through the fields' converters.
`loaded` makes model instances of such rows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.db.models.sql.compiler import SQLCompiler

# Stands in for the varying value while the queryset is compiled: no key of a row is negative.
MARKER = -(2**62) - 42_917
# Shapes kept per connection; a municipality has far fewer distinct scopes than this.
MAX_SHAPES = 256

Row = tuple[Any, ...]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    at: tuple[int, ...]  # where the marker stands in params
    compiler: SQLCompiler
    converters: dict[int, Any]
    columns: int  # the selected columns, without those only the ordering needs

    def run(self, connection: BaseDatabaseWrapper, value: int) -> list[Row]:
        params = list(self.params)
        for position in self.at:
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows: list[Any] = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return [tuple(row[: self.columns]) for row in rows]


# Kept on each connection (each thread has its own), as its compilers and converters refer to
# it: they go with the connection, where a module-level map would keep every thread's alive.
SHAPES = "indgang_compiled_shapes"


def rows_of(
    model: type[models.Model],
    shape: Hashable,
    build: Callable[[int], QuerySet[Any, Any]],
    value: int,
) -> list[Row]:
    """The rows of the `values_list` queryset `build(value)`, compiled once per shape.

    `build` must use its argument as a query parameter (a filter value), never in the SQL's
    text nor to decide what the query looks like; `value` must be a non-negative integer that
    fits the column it is compared with.
    """
    if value < 0:
        raise ValueError("rows_of takes a non-negative value.")
    connection = connections[router.db_for_read(model)]
    shapes: OrderedDict[Hashable, _Compiled | None] = vars(connection).setdefault(
        SHAPES, OrderedDict()
    )
    if shape in shapes:
        shapes.move_to_end(shape)
        compiled = shapes[shape]
    else:
        compiled = shapes[shape] = _compile(build(MARKER), connection)
        if len(shapes) > MAX_SHAPES:
            shapes.popitem(last=False)
    return [] if compiled is None else compiled.run(connection, value)


def _compile(queryset: QuerySet[Any, Any], connection: BaseDatabaseWrapper) -> _Compiled | None:
    """The queryset's SQL with the marker's positions; None if it can match no row."""
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    at = tuple(position for position, param in enumerate(params) if param == MARKER)
    if not at:
        raise ValueError("The queryset does not use the value it was built with.")
    columns = compiler.col_count
    return _Compiled(
        sql=sql,
        params=tuple(params),
        at=at,
        compiler=compiler,
        converters=compiler.get_converters([s[0] for s in compiler.select[:columns]]),
        columns=columns,
    )


def loaded(model: type[M], names: Iterable[str], values: Iterable[Any], db: str) -> M:
    """An instance as `Model.from_db` makes it from these attributes (`attname`s, in any
    order), without going through `__init__`: per object and per field, that cost more than
    the rest of reading a busy citizen's 360, and a fifth of authenticating an API request.

    The attributes not given are deferred, as from_db leaves them: they load on first use.
    """
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db
    return instance
