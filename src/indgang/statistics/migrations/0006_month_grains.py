"""Month grains: the unit's and the task's contacts counted per month, and the funnels' events.

A unit's or a task's day buckets fill up as the register grows: at 100,000 contacts a year most
combinations of day, unit, channel and outcome have none, at 10.5 M nearly all have some, so a
department's or a task's year read ten times the rows (benchmarks/README.md). Their month
buckets are at most twelve a year per combination, and filled at both sizes. A read of whole
months takes them; a period's edge days still come from the day grains (statistics.selectors).

The triggers of 0005 are replaced by the same triggers writing two more grains,
`UnitMonthContactCount` and `TaskMonthContactCount`, whose date is the month's first day:
a registration's row trigger makes five single-row upserts instead of three; the statement
triggers' deltas carry the month beside the day; when a task's self-service link comes or goes,
the unit-month buckets are moved like the day and unit buckets (from the task's finest day
buckets) and the task-month buckets' flag is set like the finest's. Existing rollups are filled
by summing the day grains per month; `FunnelMonthCount` from `FunnelDayCount` (the funnel counts
are written by `statistics.funnels`, not by triggers).

The SQL is written out here, not imported, so that this migration stays as it ran; it is 0005's
with the month grains (see 0002 and 0005 for the reasoning that did not change). Only the way
back takes 0005's statements from 0005, to restore its triggers as they were.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

ROLLUPS_SETTING = "indgang.rollups"
ROLLUPS_CALLER = "caller"

DAY = ("day", "channel", "direction", "outcome", "self_service_task")
UNIT = (*DAY, "department_id", "unit_id")
TASK = (*UNIT, "task_id")
# The order every writer upserts them in (and the task trigger locks them): the month grains
# first, a coarser bucket before the finer ones it holds, so that two transactions meet at the
# coarser bucket first. With the months last, a registration held its day's task bucket while it
# waited for the month's, which triage's re-routing of another day's contact held, and that
# transaction's next re-routing then waited for the registration's task bucket: a deadlock.
GRAINS = {
    "statistics_unitmonthcontactcount": ("month", *UNIT[1:]),
    "statistics_taskmonthcontactcount": ("month", *TASK[1:]),
    "statistics_daycontactcount": DAY,
    "statistics_unitcontactcount": UNIT,
    "statistics_contactcount": TASK,
}
# Every column of a delta row: the finest day bucket and its month.
DELTA = (*TASK, "month")
MEASURES = ("contacts", "with_knowledge", "duration_seconds", "timed")
# The first day of the month of the date d, per vendor.
MONTH = {
    "postgresql": "date_trunc('month', {d}::timestamp)::date",
    "sqlite": "date({d}, 'start of month')",
}
# Whether a task's link makes it a self-service task (the catalogue row t).
SELF_SERVICE = "{t}.self_service_url <> ''"
# What the contact row r gives each dimension: 0 for no department, unit or task; a contact
# without a task is not a self-service task's. The month is per vendor (`_dimension`).
DIMENSION = {
    "day": "{r}.received_on",
    "channel": "{r}.channel",
    "direction": "{r}.direction",
    "outcome": "{r}.outcome",
    "self_service_task": (
        "COALESCE((SELECT "
        + SELF_SERVICE.format(t="s")
        + " FROM catalogue_task s WHERE s.id = {r}.task_id), false)"
    ),
    "department_id": "COALESCE({r}.department_id, 0)",
    "unit_id": "COALESCE({r}.unit_id, 0)",
    "task_id": "COALESCE({r}.task_id, 0)",
}
USED = "EXISTS (SELECT 1 FROM knowledge_knowledgeuse k WHERE k.contact_id = {r}.id)"
# The columns whose change moves a contact between buckets or changes its measures.
WATCHED = (
    "received_on",
    "channel",
    "direction",
    "outcome",
    "department_id",
    "unit_id",
    "task_id",
    "duration_seconds",
)


def _dimension(name: str, r: str, vendor: str) -> str:
    if name == "month":
        return MONTH[vendor].format(d=f"{r}.received_on")
    return DIMENSION[name].format(r=r)


def _dimensions(r: str, vendor: str) -> str:
    return ", ".join(f"{_dimension(d, r, vendor)} AS {d}" for d in DELTA)


def _upsert(
    table: str, dimensions: tuple[str, ...], source: str, *, having: str = "", where: str = "true"
) -> str:
    keys = ", ".join(dimensions)
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    added = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    return (
        f"INSERT INTO {table} ({keys}, {', '.join(MEASURES)}) SELECT {keys}, {sums} "
        f"FROM {source} WHERE {where} GROUP BY {keys} {having} ORDER BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {added}"
    )


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_contacts(r: str, sign: str) -> str:
    """Each contact of the transition table r as a row of signed measures."""
    return (
        f"SELECT {_dimensions(r, 'postgresql')}, {sign}1 AS contacts, "
        f"CASE WHEN {USED.format(r=r)} THEN {sign}1 ELSE 0 END AS with_knowledge, "
        f"{sign}COALESCE({r}.duration_seconds, 0)::bigint AS duration_seconds, "
        f"CASE WHEN {r}.duration_seconds IS NULL THEN 0 ELSE {sign}1 END AS timed"
    )


def _pg_uses(sign: str) -> str:
    """Each knowledge use of the transition table u as +-1 with_knowledge on its contact."""
    return (
        f"SELECT {_dimensions('c', 'postgresql')}, 0 AS contacts, {sign}1 AS with_knowledge, "
        "0::bigint AS duration_seconds, 0 AS timed "
        "FROM u JOIN contacts_contact c ON c.id = u.contact_id"
    )


NOT_ZERO = "HAVING " + " OR ".join(f"SUM({m}) <> 0" for m in MEASURES)
CHANGED = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in WATCHED)

PG_DELTAS = {
    "contact_delete": (
        "DELETE",
        "contacts_contact",
        "OLD TABLE AS o",
        f"{_pg_contacts('o', '-')} FROM o",
    ),
    "contact_update": (
        "UPDATE",
        "contacts_contact",
        "OLD TABLE AS o NEW TABLE AS n",
        f"{_pg_contacts('o', '-')} FROM o JOIN n ON n.id = o.id WHERE {CHANGED} "
        f"UNION ALL {_pg_contacts('n', '')} FROM n JOIN o ON o.id = n.id WHERE {CHANGED}",
    ),
    "use_insert": ("INSERT", "knowledge_knowledgeuse", "NEW TABLE AS u", _pg_uses("")),
    "use_delete": ("DELETE", "knowledge_knowledgeuse", "OLD TABLE AS u", _pg_uses("-")),
}


def _pg_upserts(source: str) -> str:
    """The upserts of every grain from `source`, as one statement's WITH queries and main
    query that run in GRAINS order, the order of the INSERT trigger's upserts: two writers then
    lock the buckets they share in the same order and wait for each other instead of
    deadlocking. PostgreSQL would otherwise run the main query first and the WITH queries after
    it in reverse (0005's order, the INSERT trigger's reversed: registrations deadlocked with
    triage's re-routings); here each upsert first counts the rows of the one before (a one-time
    filter), which runs that one to completion."""
    names = list(GRAINS)
    upserts = []
    for index, (table, dims) in enumerate(GRAINS.items()):
        after = f"(SELECT count(*) FROM {names[index - 1]}) >= 0" if index else "true"
        upsert = _upsert(table, dims, source, having=NOT_ZERO, where=after)
        upserts.append(upsert if table == names[-1] else f"{table} AS ({upsert} RETURNING 1)")
    *queries, main = upserts
    return f"{', '.join(queries)} {main}"


def _pg_function(name: str, delta: str) -> str:
    return f"""
    CREATE FUNCTION statistics_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH delta AS MATERIALIZED ({delta}), {_pg_upserts("delta")};
        RETURN NULL;
    END
    $$
    """


NEW_CONTACT = {
    "contacts": "1",
    "with_knowledge": "0",
    "duration_seconds": "COALESCE(NEW.duration_seconds, 0)",
    "timed": "(NEW.duration_seconds IS NOT NULL)::int",
}


def _pg_row_upsert(table: str, dimensions: tuple[str, ...]) -> str:
    keys = ", ".join(dimensions)
    values = ", ".join(
        [*(_dimension(d, "NEW", "postgresql") for d in dimensions), *NEW_CONTACT.values()]
    )
    added = ", ".join(f"{m} = t.{m} + excluded.{m}" for m in MEASURES)
    return (
        f"INSERT INTO {table} AS t ({keys}, {', '.join(MEASURES)}) VALUES ({values}) "
        f"ON CONFLICT ({keys}) DO UPDATE SET {added};"
    )


PG_CONTACT_INSERT = [
    "CREATE FUNCTION statistics_contact_insert() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
    + "\n".join(_pg_row_upsert(table, dims) for table, dims in GRAINS.items())
    + "\nRETURN NULL;\nEND\n$$",
    "CREATE TRIGGER statistics_contact_insert AFTER INSERT ON contacts_contact FOR EACH ROW "
    f"WHEN (current_setting('{ROLLUPS_SETTING}', true) IS DISTINCT FROM '{ROLLUPS_CALLER}') "
    "EXECUTE FUNCTION statistics_contact_insert()",
]

POSTGRES = [
    *PG_CONTACT_INSERT,
    *(
        statement
        for name, (event, table, transition, delta) in PG_DELTAS.items()
        for statement in (
            _pg_function(name, delta),
            f"CREATE TRIGGER statistics_{name} AFTER {event} ON {table} "
            f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION statistics_{name}()",
        )
    ),
]


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_contact(r: str, sign: str) -> str:
    """The contact r (NEW or OLD) as one row of signed measures."""
    return (
        f"SELECT {_dimensions(r, 'sqlite')}, {sign}1 AS contacts, "
        f"{sign}{USED.format(r=r)} AS with_knowledge, "
        f"{sign}COALESCE({r}.duration_seconds, 0) AS duration_seconds, "
        f"{sign}({r}.duration_seconds IS NOT NULL) AS timed"
    )


def _sqlite_use(sign: str) -> str:
    return (
        f"SELECT {_dimensions('c', 'sqlite')}, 0 AS contacts, {sign}1 AS with_knowledge, "
        "0 AS duration_seconds, 0 AS timed "
        "FROM contacts_contact c WHERE c.id = {r}.contact_id"
    )


def _sqlite_upserts(source: str) -> str:
    return "".join(
        f"{_upsert(table, dims, f'({source})', having=NOT_ZERO)};\n"
        for table, dims in GRAINS.items()
    )


def _sqlite_matches(table: str, r: str, dimensions: tuple[str, ...]) -> str:
    """The bucket of the contact r; qualified, as the contacts table has columns of these names."""
    return " AND ".join(f"{table}.{d} = {_dimension(d, r, 'sqlite')}" for d in dimensions)


def _sqlite_subtract(r: str) -> str:
    """Take the contact r (OLD) out of the buckets that count it (an UPDATE, not an UPSERT: see
    0002)."""
    return "".join(
        f"UPDATE {table} SET contacts = contacts - 1, "
        f"with_knowledge = with_knowledge - {USED.format(r=r)}, "
        f"duration_seconds = duration_seconds - COALESCE({r}.duration_seconds, 0), "
        f"timed = timed - ({r}.duration_seconds IS NOT NULL) "
        f"WHERE {_sqlite_matches(table, r, dims)};\n"
        for table, dims in GRAINS.items()
    )


def _sqlite_unuse(r: str) -> str:
    """Take the knowledge use r (OLD) off its contact's buckets, if the contact is still there."""
    return "".join(
        f"UPDATE {table} SET with_knowledge = with_knowledge - 1 WHERE EXISTS (SELECT 1 FROM "
        f"contacts_contact c WHERE c.id = {r}.contact_id "
        f"AND {_sqlite_matches(table, 'c', dims)});\n"
        for table, dims in GRAINS.items()
    )


SQLITE_TRIGGERS = {
    "contact_insert": ("INSERT", "contacts_contact", "", "", _sqlite_contact("NEW", "")),
    "contact_update": (
        f"UPDATE OF {', '.join(WATCHED)}",
        "contacts_contact",
        "WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED),
        _sqlite_subtract("OLD"),
        _sqlite_contact("NEW", ""),
    ),
    "contact_delete": ("DELETE", "contacts_contact", "", _sqlite_subtract("OLD"), ""),
    "use_insert": (
        "INSERT",
        "knowledge_knowledgeuse",
        "",
        "",
        _sqlite_use("").format(r="NEW"),
    ),
    "use_delete": ("DELETE", "knowledge_knowledgeuse", "", _sqlite_unuse("OLD"), ""),
}
SQLITE = [
    f"CREATE TRIGGER statistics_{name} AFTER {event} ON {table} FOR EACH ROW {when} BEGIN\n"
    f"{subtract}{_sqlite_upserts(added) if added else ''}END"
    for name, (event, table, when, subtract, added) in SQLITE_TRIGGERS.items()
]


# --- A task's self-service link appears or goes -------------------------------------------------

FLIP = f"({SELF_SERVICE.format(t='o')}) <> ({SELF_SERVICE.format(t='n')})"
# The grains without the task, whose buckets the task's counts move between; those with it have
# the task's buckets, whose flag is set.
MOVED = {table: dims for table, dims in GRAINS.items() if "task_id" not in dims}
FLAGGED = [table for table, dims in GRAINS.items() if "task_id" in dims]


def _moved(where: str, *, old: str, new: str, vendor: str) -> str:
    """The finest day buckets of the tasks `where` picks (f is a bucket), with their month, out
    of the buckets of the old flag (negative measures) and into those of the new one."""

    def select(flag: str, sign: str) -> str:
        columns = ", ".join(
            f"{flag} AS {d}" if d == "self_service_task" else f"f.{d}" for d in TASK
        )
        month = MONTH[vendor].format(d="f.day")
        measures = ", ".join(f"{sign}f.{m} AS {m}" for m in MEASURES)
        return (
            f"SELECT {columns}, {month} AS month, {measures} FROM statistics_contactcount f {where}"
        )

    return f"{select(old, '-')} UNION ALL {select(new, '')}"


_PG_MOVED = _moved(
    "JOIN flipped x ON x.id = f.task_id", old="NOT x.flag", new="x.flag", vendor="postgresql"
)
PG_TASK_UPDATE = [
    f"""
    CREATE FUNCTION statistics_task_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM o JOIN n ON n.id = o.id WHERE {FLIP}) THEN
            RETURN NULL;
        END IF;
        LOCK TABLE {", ".join(GRAINS)} IN SHARE ROW EXCLUSIVE MODE;
        WITH flipped AS MATERIALIZED (
            SELECT n.id, {SELF_SERVICE.format(t="n")} AS flag FROM o JOIN n ON n.id = o.id
            WHERE {FLIP}
        ),
        delta AS MATERIALIZED ({_PG_MOVED}),
        {", ".join(f"{t} AS ({_upsert(t, dims, 'delta', having=NOT_ZERO)})" for t, dims in MOVED.items())},
        flagged AS (
            UPDATE {FLAGGED[1]} m SET self_service_task = x.flag FROM flipped x
            WHERE m.task_id = x.id
        )
        UPDATE {FLAGGED[0]} f SET self_service_task = x.flag FROM flipped x
        WHERE f.task_id = x.id;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER statistics_task_update AFTER UPDATE ON catalogue_task "
    "REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT "
    "EXECUTE FUNCTION statistics_task_update()",
]
_NEW_FLAG = SELF_SERVICE.format(t="NEW")
_SQLITE_MOVED = _moved(
    "WHERE f.task_id = NEW.id", old=f"NOT ({_NEW_FLAG})", new=f"({_NEW_FLAG})", vendor="sqlite"
)
SQLITE_TASK_UPDATE = (
    "CREATE TRIGGER statistics_task_update AFTER UPDATE OF self_service_url ON catalogue_task "
    f"FOR EACH ROW WHEN ({SELF_SERVICE.format(t='OLD')}) <> ({_NEW_FLAG}) BEGIN\n"
    + "".join(
        f"{_upsert(t, dims, f'({_SQLITE_MOVED})', having=NOT_ZERO)};\n" for t, dims in MOVED.items()
    )
    + "".join(
        f"UPDATE {table} SET self_service_task = ({_NEW_FLAG}) WHERE task_id = NEW.id;\n"
        for table in FLAGGED
    )
    + "END"
)

# --- Replacing 0005's triggers, filling the month grains ----------------------------------------

TRIGGERS = {
    "contact_insert": "contacts_contact",
    **{name: table for name, (_event, table, _transition, _delta) in PG_DELTAS.items()},
    "task_update": "catalogue_task",
}
# These triggers have 0005's names: the same statements drop 0005's on the way here and these
# on the way back.
DROP = {
    "postgresql": [
        statement
        for name, table in TRIGGERS.items()
        for statement in (
            f"DROP TRIGGER IF EXISTS statistics_{name} ON {table}",
            f"DROP FUNCTION IF EXISTS statistics_{name}()",
        )
    ],
    "sqlite": [f"DROP TRIGGER IF EXISTS statistics_{name}" for name in TRIGGERS],
}


def _monthly(vendor: str, table: str, source: str, keys: tuple[str, ...], sums: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """The month buckets of `table` summed from the day buckets of `source`."""
    month = MONTH[vendor].format(d="day")
    return (
        f"INSERT INTO {table} (month, {', '.join(keys)}, {', '.join(sums)}) "
        f"SELECT {month}, {', '.join(keys)}, {', '.join(f'SUM({m})' for m in sums)} "
        f"FROM {source} GROUP BY {month}, {', '.join(keys)}"
    )


def _fill(vendor: str) -> list[str]:
    return [
        _monthly(
            vendor,
            "statistics_unitmonthcontactcount",
            "statistics_unitcontactcount",
            UNIT[1:],
            MEASURES,
        ),
        _monthly(
            vendor,
            "statistics_taskmonthcontactcount",
            "statistics_contactcount",
            TASK[1:],
            MEASURES,
        ),
        _monthly(
            vendor,
            "statistics_funnelmonthcount",
            "statistics_funneldaycount",
            ("solution_id", "step"),
            ("started", "reached", "completed", "abandoned"),
        ),
    ]


_0005 = import_module("indgang.statistics.migrations.0005_self_service_task")


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0005_self_service_task"),
    ]

    operations = [
        # 0005's triggers would not count the new grains: gone while they are made.
        migrations.RunPython(
            _run(DROP),
            _run(
                {
                    "postgresql": [*_0005.POSTGRES, *_0005.PG_TASK_UPDATE],
                    "sqlite": [*_0005.SQLITE, _0005.SQLITE_TASK_UPDATE],
                }
            ),
        ),
        migrations.CreateModel(
            name="TaskMonthContactCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("channel", models.CharField(max_length=12, verbose_name="channel")),
                ("direction", models.CharField(max_length=3, verbose_name="direction")),
                ("outcome", models.CharField(max_length=30, verbose_name="outcome")),
                (
                    "self_service_task",
                    models.BooleanField(default=False, verbose_name="task with self-service"),
                ),
                ("contacts", models.IntegerField(default=0, verbose_name="contacts")),
                (
                    "with_knowledge",
                    models.IntegerField(default=0, verbose_name="with knowledge use"),
                ),
                (
                    "duration_seconds",
                    models.BigIntegerField(default=0, verbose_name="duration (seconds)"),
                ),
                ("timed", models.IntegerField(default=0, verbose_name="timed contacts")),
                (
                    "month",
                    models.DateField(help_text="The month's first day.", verbose_name="month"),
                ),
                ("department_id", models.IntegerField(verbose_name="department")),
                ("unit_id", models.IntegerField(verbose_name="unit")),
                ("task_id", models.IntegerField(verbose_name="task")),
            ],
            options={
                "verbose_name": "contact count per task and month",
                "verbose_name_plural": "contact counts per task and month",
                "indexes": [
                    models.Index(
                        fields=["department_id", "month"], name="task_month_department_month"
                    ),
                    models.Index(fields=["unit_id", "month"], name="task_month_unit_month"),
                    models.Index(fields=["task_id", "month"], name="task_month_task_month"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "month",
                            "channel",
                            "direction",
                            "outcome",
                            "self_service_task",
                            "department_id",
                            "unit_id",
                            "task_id",
                        ),
                        name="task_month_contact_count_bucket",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="UnitMonthContactCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("channel", models.CharField(max_length=12, verbose_name="channel")),
                ("direction", models.CharField(max_length=3, verbose_name="direction")),
                ("outcome", models.CharField(max_length=30, verbose_name="outcome")),
                (
                    "self_service_task",
                    models.BooleanField(default=False, verbose_name="task with self-service"),
                ),
                ("contacts", models.IntegerField(default=0, verbose_name="contacts")),
                (
                    "with_knowledge",
                    models.IntegerField(default=0, verbose_name="with knowledge use"),
                ),
                (
                    "duration_seconds",
                    models.BigIntegerField(default=0, verbose_name="duration (seconds)"),
                ),
                ("timed", models.IntegerField(default=0, verbose_name="timed contacts")),
                (
                    "month",
                    models.DateField(help_text="The month's first day.", verbose_name="month"),
                ),
                ("department_id", models.IntegerField(verbose_name="department")),
                ("unit_id", models.IntegerField(verbose_name="unit")),
            ],
            options={
                "verbose_name": "contact count per unit and month",
                "verbose_name_plural": "contact counts per unit and month",
                "indexes": [
                    models.Index(
                        fields=["department_id", "month"], name="unit_month_department_month"
                    ),
                    models.Index(fields=["unit_id", "month"], name="unit_month_unit_month"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "month",
                            "channel",
                            "direction",
                            "outcome",
                            "self_service_task",
                            "department_id",
                            "unit_id",
                        ),
                        name="unit_month_contact_count_bucket",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="FunnelMonthCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("step", models.CharField(blank=True, max_length=100)),
                ("started", models.PositiveIntegerField(default=0)),
                ("reached", models.PositiveIntegerField(default=0)),
                ("completed", models.PositiveIntegerField(default=0)),
                ("abandoned", models.PositiveIntegerField(default=0)),
                ("month", models.DateField(help_text="The month's first day.")),
                (
                    "solution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="funnel_month_counts",
                        to="statistics.selfservicesolution",
                    ),
                ),
            ],
            options={
                "verbose_name": "funnel count per month",
                "verbose_name_plural": "funnel counts per month",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "solution", "step"), name="funnel_month_count_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run(
                {
                    "postgresql": [*POSTGRES, *PG_TASK_UPDATE, *_fill("postgresql")],
                    "sqlite": [*SQLITE, SQLITE_TASK_UPDATE, *_fill("sqlite")],
                }
            ),
            _run(DROP),
        ),
    ]
