"""A registration's rollups deferred to a fold (PostgreSQL): issue 20 lets them cost at most
10 % of the contact POST rate, and 0007's five upserts still cost 11 % from four clients, who
wait for each other on the day's shared buckets until each commits (benchmarks/README.md).

The INSERT trigger now appends the new contact's dimensions and measures to
`statistics_newcontactcount`, a table without a key to meet, and `services.
fold_new_contact_counts` adds those rows to every grain each minute and deletes them, in one
statement; reads add the waiting rows to the buckets. The statement triggers (changes,
deletions, knowledge uses) still write the buckets at once: what they add or subtract for a
contact that still waits meets its row in the sum, so every read and, after the fold, every
bucket is right (docs/architecture.md, "How the rollups stay correct").

SQLite's triggers are left as they are, and its table stays empty.

The SQL is written out here or taken from the migrations before it, not from the app, so that
this migration stays as it ran.
On the way back the waiting rows are folded into the buckets before the table goes, and 0007's
function comes back.
"""

from importlib import import_module

from django.db import migrations, models

_0006 = import_module("indgang.statistics.migrations.0006_month_grains")
_0007 = import_module("indgang.statistics.migrations.0007_lighter_registration")

NEW = "statistics_newcontactcount"
# What the new contact gives each column: 0007's values (a frozen migration's, as this one is)
# of the finest grain's dimensions but the flag, and of the measures.
COLUMNS = {
    name: _0007.VALUES[name]
    for name in (
        "day",
        "channel",
        "direction",
        "outcome",
        "department_id",
        "unit_id",
        "task_id",
        *_0007.MEASURES,
    )
}
CONTACT_INSERT = (
    "CREATE OR REPLACE FUNCTION statistics_contact_insert() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    f"BEGIN\nINSERT INTO {NEW} ({', '.join(COLUMNS)}) VALUES ({', '.join(COLUMNS.values())});\n"
    "RETURN NULL;\nEND\n$$"
)
# The waiting rows, deleted, as the delta of 0006's upserts (its columns: the flag from the
# catalogue as it is now, the month), upserted into every grain in 0006's order.
FOLD = (
    f"WITH waiting AS (DELETE FROM {NEW} RETURNING *), "
    "added AS MATERIALIZED (SELECT w.day, date_trunc('month', w.day::timestamp)::date AS month, "
    "w.channel, w.direction, w.outcome, COALESCE(s.self_service_url <> '', false) "
    "AS self_service_task, w.department_id, w.unit_id, w.task_id, w.contacts, w.with_knowledge, "
    "w.duration_seconds, w.timed FROM waiting w LEFT JOIN catalogue_task s ON s.id = w.task_id), "
    f"{_0006._pg_upserts('added')}"
)


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONTACT_INSERT)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in (*_0007.FORWARD, FOLD):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0007_lighter_registration"),
    ]

    operations = [
        migrations.CreateModel(
            name="NewContactCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("channel", models.CharField(max_length=12, verbose_name="channel")),
                ("direction", models.CharField(max_length=3, verbose_name="direction")),
                ("outcome", models.CharField(max_length=30, verbose_name="outcome")),
                ("department_id", models.IntegerField(verbose_name="department")),
                ("unit_id", models.IntegerField(verbose_name="unit")),
                ("task_id", models.IntegerField(verbose_name="task")),
                ("contacts", models.IntegerField(default=1, verbose_name="contacts")),
                (
                    "with_knowledge",
                    models.IntegerField(default=0, verbose_name="with knowledge use"),
                ),
                (
                    "duration_seconds",
                    models.BigIntegerField(default=0, verbose_name="duration (seconds)"),
                ),
                ("timed", models.IntegerField(default=0, verbose_name="timed contacts")),
            ],
            options={
                "verbose_name": "contact not yet counted",
                "verbose_name_plural": "contacts not yet counted",
            },
        ),
        migrations.RunPython(forward, backward),
    ]
