"""Single-row INSERTs for the hottest write path, composed once per model.

Registering a contact through the API writes a party, a thread and a contact. Through the ORM,
each of those INSERTs cost more Python than the database spent running it; here the statement
is built from the model's metadata once, and the values are prepared by the model's own fields,
as `Model.save()` prepares them. No model signals are sent: none are connected to these models.
"""

from __future__ import annotations

from functools import cache

from django.db import connections, models, router


def insert(instance: models.Model, *, unless_taken: str | None = None) -> bool:
    """INSERT a new instance and set its primary key; True if a row was written.

    With `unless_taken` (a unique field) the row is skipped when one with the same value exists
    (`ON CONFLICT … DO NOTHING`, on PostgreSQL and SQLite alike): no error, so no savepoint is
    needed in the caller's transaction. The instance is then left unsaved and False returned.
    """
    model = type(instance)
    alias = router.db_for_write(model)
    connection = connections[alias]
    values = [
        field.get_db_prep_save(field.pre_save(instance, add=True), connection)
        for field in _written_fields(model)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, alias, unless_taken), values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = alias
    return True


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
def _insert_sql(model: type[models.Model], alias: str, unless_taken: str | None) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in _written_fields(model))
    placeholders = ", ".join(["%s"] * len(_written_fields(model)))
    conflict = (
        f" ON CONFLICT ({quote(column(model, unless_taken))}) DO NOTHING" if unless_taken else ""
    )
    # Identifiers come from the model's metadata, quoted; every value is a parameter.
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}){conflict} RETURNING {quote(model._meta.pk.column)}"
    )
