"""A registration's rollups for less: issue 20 lets them cost at most 10 % of the contact POST
rate, and 0006's five upserts cost more (benchmarks/README.md, statistics.py).

On PostgreSQL the INSERT trigger's function is replaced by one that looks the task's self-service
flag up and computes the month once, into variables, instead of once per upsert: four catalogue
lookups and one month fewer per registration. The statement triggers compute each delta row's
dimensions once already (a MATERIALIZED delta that every grain's upsert reads) and stay as 0006
made them.

SQLite's triggers have no variables, and are left as 0006 made them.

The SQL is written out here, not imported, so that this migration stays as it ran; it is 0006's
function with the two variables (see 0006). Only the way back takes 0006's statement from 0006.
"""

from importlib import import_module

from django.db import migrations

DAY = ("day", "channel", "direction", "outcome", "self_service_task")
UNIT = (*DAY, "department_id", "unit_id")
TASK = (*UNIT, "task_id")
# 0006's order (see there: a coarser bucket before the finer ones it holds).
GRAINS = {
    "statistics_unitmonthcontactcount": ("month", *UNIT[1:]),
    "statistics_taskmonthcontactcount": ("month", *TASK[1:]),
    "statistics_daycontactcount": DAY,
    "statistics_unitcontactcount": UNIT,
    "statistics_contactcount": TASK,
}
MEASURES = ("contacts", "with_knowledge", "duration_seconds", "timed")
# What the new contact gives each dimension; the flag and the month are the function's variables
# (named unlike any column, which PL/pgSQL would find ambiguous).
VALUES = {
    "month": "bucket_month",
    "day": "NEW.received_on",
    "channel": "NEW.channel",
    "direction": "NEW.direction",
    "outcome": "NEW.outcome",
    "self_service_task": "self_service",
    "department_id": "COALESCE(NEW.department_id, 0)",
    "unit_id": "COALESCE(NEW.unit_id, 0)",
    "task_id": "COALESCE(NEW.task_id, 0)",
    "contacts": "1",
    "with_knowledge": "0",
    "duration_seconds": "COALESCE(NEW.duration_seconds, 0)",
    "timed": "(NEW.duration_seconds IS NOT NULL)::int",
}


def _upsert(table: str, dimensions: tuple[str, ...]) -> str:
    columns = (*dimensions, *MEASURES)
    added = ", ".join(f"{m} = t.{m} + excluded.{m}" for m in MEASURES)
    return (
        f"INSERT INTO {table} AS t ({', '.join(columns)}) "
        f"VALUES ({', '.join(VALUES[c] for c in columns)}) "
        f"ON CONFLICT ({', '.join(dimensions)}) DO UPDATE SET {added};"
    )


CONTACT_INSERT = (
    "CREATE OR REPLACE FUNCTION statistics_contact_insert() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "DECLARE\n"
    "    self_service boolean := COALESCE((SELECT s.self_service_url <> '' "
    "FROM catalogue_task s WHERE s.id = NEW.task_id), false);\n"
    "    bucket_month date := date_trunc('month', NEW.received_on::timestamp)::date;\n"
    "BEGIN\n" + "\n".join(_upsert(table, dims) for table, dims in GRAINS.items()) + "\n"
    "RETURN NULL;\nEND\n$$"
)
FORWARD = [CONTACT_INSERT]

_0006 = import_module("indgang.statistics.migrations.0006_month_grains")
BACKWARD = [
    # 0006's function as it made it (CREATE FUNCTION: here it replaces this one).
    _0006.PG_CONTACT_INSERT[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0006_month_grains"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
