"""The rollups count by one more dimension: whether the contact's task has a self-service solution
(a self-service link in the catalogue, as the catalogue is now). The self-service share then reads
the day or unit grain with `self_service_task`, a bounded number of rows per day, instead of every
self-service task's buckets, which grow with the register.

The triggers of 0002 are replaced by the same triggers with the new dimension, and one more: when
a task's self-service link appears or goes (`catalogue_task.self_service_url` turns blank or not),
its contacts move between the flagged and the unflagged buckets of every grain. The moved sums come
from the task's finest buckets (ContactCount has the task), so the register is not read. Existing
rollups are filled the same way: the finest grain's flag from the catalogue, the coarser grains
summed from the finest.

Every bucket's flag is read from the catalogue by the statement that writes the bucket, so that a
statement locks the rollup tables before it reads the flag. The task trigger locks the three
rollup tables against writers (SHARE ROW EXCLUSIVE, in the order the INSERT trigger writes them)
before it moves anything: a registration that read the old flag has then committed, and is moved;
one that had not yet written waits and reads the new flag. Reads go on.

The SQL is written out here, not imported, so that this migration stays as it ran; it is 0002's
with the new dimension (see 0002 for the reasoning that did not change). Only the way back takes
0002's statements from 0002, to restore its triggers as they were.
"""

from importlib import import_module

from django.db import migrations, models

ROLLUPS_SETTING = "indgang.rollups"
ROLLUPS_CALLER = "caller"

DAY = ("day", "channel", "direction", "outcome", "self_service_task")
GRAINS = {
    "statistics_daycontactcount": DAY,
    "statistics_unitcontactcount": (*DAY, "department_id", "unit_id"),
    "statistics_contactcount": (*DAY, "department_id", "unit_id", "task_id"),
}
FINEST = GRAINS["statistics_contactcount"]
# Each grain's model and the name of its unique constraint (its buckets).
BUCKETS = {
    "daycontactcount": "day_contact_count_bucket",
    "unitcontactcount": "unit_contact_count_bucket",
    "contactcount": "contact_count_bucket",
}
MEASURES = ("contacts", "with_knowledge", "duration_seconds", "timed")
# Whether a task's link makes it a self-service task (the catalogue row t).
SELF_SERVICE = "{t}.self_service_url <> ''"
# What the contact row r gives each dimension: 0 for no department, unit or task; a contact
# without a task is not a self-service task's.
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


def _dimensions(r: str) -> str:
    return ", ".join(f"{DIMENSION[d].format(r=r)} AS {d}" for d in FINEST)


def _upsert(table: str, dimensions: tuple[str, ...], source: str, *, having: str = "") -> str:
    keys = ", ".join(dimensions)
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    added = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    return (
        f"INSERT INTO {table} ({keys}, {', '.join(MEASURES)}) SELECT {keys}, {sums} "
        f"FROM {source} WHERE true GROUP BY {keys} {having} ORDER BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {added}"
    )


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_contacts(r: str, sign: str) -> str:
    """Each contact of the transition table r as a row of signed measures."""
    return (
        f"SELECT {_dimensions(r)}, {sign}1 AS contacts, "
        f"CASE WHEN {USED.format(r=r)} THEN {sign}1 ELSE 0 END AS with_knowledge, "
        f"{sign}COALESCE({r}.duration_seconds, 0)::bigint AS duration_seconds, "
        f"CASE WHEN {r}.duration_seconds IS NULL THEN 0 ELSE {sign}1 END AS timed"
    )


def _pg_uses(sign: str) -> str:
    """Each knowledge use of the transition table u as +-1 with_knowledge on its contact."""
    return (
        f"SELECT {_dimensions('c')}, 0 AS contacts, {sign}1 AS with_knowledge, "
        "0::bigint AS duration_seconds, 0 AS timed "
        "FROM u JOIN contacts_contact c ON c.id = u.contact_id"
    )


# Skip the buckets whose changes cancel out: a re-routing within a unit leaves its unit's and the
# day's buckets as they were, and most UPDATEs of the register (triage, handling) change none.
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
        # Only the rows whose counted columns changed, each out of its old bucket, into its new.
        f"{_pg_contacts('o', '-')} FROM o JOIN n ON n.id = o.id WHERE {CHANGED} "
        f"UNION ALL {_pg_contacts('n', '')} FROM n JOIN o ON o.id = n.id WHERE {CHANGED}",
    ),
    "use_insert": ("INSERT", "knowledge_knowledgeuse", "NEW TABLE AS u", _pg_uses("")),
    "use_delete": ("DELETE", "knowledge_knowledgeuse", "OLD TABLE AS u", _pg_uses("-")),
}


def _pg_function(name: str, delta: str) -> str:
    # One statement: the deltas are computed once and feed the three upserts (a data-modifying
    # WITH runs each of its INSERTs exactly once).
    *coarse, (finest, finest_dims) = GRAINS.items()
    upserts = ", ".join(
        f"{table} AS ({_upsert(table, dims, 'delta', having=NOT_ZERO)})" for table, dims in coarse
    )
    return f"""
    CREATE FUNCTION statistics_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH delta AS MATERIALIZED ({delta}), {upserts}
        {_upsert(finest, finest_dims, "delta", having=NOT_ZERO)};
        RETURN NULL;
    END
    $$
    """


# The new contact's measures: a knowledge use cannot precede its contact, so with_knowledge is 0.
NEW_CONTACT = {
    "contacts": "1",
    "with_knowledge": "0",
    "duration_seconds": "COALESCE(NEW.duration_seconds, 0)",
    "timed": "(NEW.duration_seconds IS NOT NULL)::int",
}


def _pg_row_upsert(table: str, dimensions: tuple[str, ...]) -> str:
    keys = ", ".join(dimensions)
    values = ", ".join([*(DIMENSION[d].format(r="NEW") for d in dimensions), *NEW_CONTACT.values()])
    added = ", ".join(f"{m} = t.{m} + excluded.{m}" for m in MEASURES)
    return (
        f"INSERT INTO {table} AS t ({keys}, {', '.join(MEASURES)}) VALUES ({values}) "
        f"ON CONFLICT ({keys}) DO UPDATE SET {added};"
    )


# A registration inserts one contact: a row trigger with three single-row upserts costs about
# half the statement trigger's aggregation over a transition table (benchmarks/README.md).
# A bulk writer that counts its rows itself turns it off for its transaction (see ROLLUPS_SWITCH).
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
POSTGRES_REVERSE = [
    statement
    for name, table in [
        ("contact_insert", "contacts_contact"),
        *((name, table) for name, (_event, table, _transition, _delta) in PG_DELTAS.items()),
    ]
    for statement in (
        f"DROP TRIGGER IF EXISTS statistics_{name} ON {table}",
        f"DROP FUNCTION IF EXISTS statistics_{name}()",
    )
]


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_contact(r: str, sign: str) -> str:
    """The contact r (NEW or OLD) as one row of signed measures."""
    return (
        f"SELECT {_dimensions(r)}, {sign}1 AS contacts, "
        f"{sign}{USED.format(r=r)} AS with_knowledge, "
        f"{sign}COALESCE({r}.duration_seconds, 0) AS duration_seconds, "
        f"{sign}({r}.duration_seconds IS NOT NULL) AS timed"
    )


def _sqlite_use(sign: str) -> str:
    return (
        f"SELECT {_dimensions('c')}, 0 AS contacts, {sign}1 AS with_knowledge, "
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
    return " AND ".join(f"{table}.{d} = {DIMENSION[d].format(r=r)}" for d in dimensions)


def _sqlite_subtract(r: str) -> str:
    """Take the contact r (OLD) out of the buckets that count it. An UPDATE, not an UPSERT: a
    bucket that is gone (a flush that emptied the rollups before the register) stays gone."""
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


# Per trigger: its event, table and condition, the buckets it takes the old row out of (an
# UPDATE), and the rows it adds (an UPSERT).
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
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS statistics_{name}" for name in SQLITE_TRIGGERS]


# --- A task's self-service link appears or goes -------------------------------------------------

# The task's flag before (o) and after (n) differ.
FLIP = f"({SELF_SERVICE.format(t='o')}) <> ({SELF_SERVICE.format(t='n')})"
COARSE = list(GRAINS.items())[:-1]


def _moved(where: str, *, old: str, new: str) -> str:
    """The finest buckets of the tasks `where` picks (f is a bucket), out of the buckets of the
    old flag (negative measures) and into those of the new one."""

    def select(flag: str, sign: str) -> str:
        columns = ", ".join(
            f"{flag} AS {d}" if d == "self_service_task" else f"f.{d}" for d in FINEST
        )
        measures = ", ".join(f"{sign}f.{m} AS {m}" for m in MEASURES)
        return f"SELECT {columns}, {measures} FROM statistics_contactcount f {where}"

    return f"{select(old, '-')} UNION ALL {select(new, '')}"


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
        delta AS MATERIALIZED (
            {_moved("JOIN flipped x ON x.id = f.task_id", old="NOT x.flag", new="x.flag")}
        ),
        {", ".join(f"{t} AS ({_upsert(t, dims, 'delta', having=NOT_ZERO)})" for t, dims in COARSE)}
        UPDATE statistics_contactcount f SET self_service_task = x.flag FROM flipped x
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
_SQLITE_MOVED = _moved("WHERE f.task_id = NEW.id", old=f"NOT ({_NEW_FLAG})", new=f"({_NEW_FLAG})")
SQLITE_TASK_UPDATE = (
    "CREATE TRIGGER statistics_task_update AFTER UPDATE OF self_service_url ON catalogue_task "
    f"FOR EACH ROW WHEN ({SELF_SERVICE.format(t='OLD')}) <> ({_NEW_FLAG}) BEGIN\n"
    + "".join(f"{_upsert(t, dims, f'({_SQLITE_MOVED})', having=NOT_ZERO)};\n" for t, dims in COARSE)
    + f"UPDATE statistics_contactcount SET self_service_task = ({_NEW_FLAG}) "
    "WHERE task_id = NEW.id;\nEND"
)

# --- Replacing 0002's triggers, filling the new dimension ---------------------------------------

# These triggers have 0002's names: the same statements drop 0002's on the way here and these
# on the way back.
DROP = {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}
DROP_TASK_UPDATE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS statistics_task_update ON catalogue_task",
        "DROP FUNCTION IF EXISTS statistics_task_update()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS statistics_task_update"],
}


def _summed_from_finest(table: str, dimensions: tuple[str, ...]) -> list[str]:
    keys = ", ".join(dimensions)
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    return [
        f"DELETE FROM {table}",
        f"INSERT INTO {table} ({keys}, {', '.join(MEASURES)}) "
        f"SELECT {keys}, {sums} FROM statistics_contactcount GROUP BY {keys}",
    ]


# The finest buckets' flag from the catalogue; the coarser grains summed from the finest (each
# bucket of theirs is the sum of the finest buckets within it).
FILL = [
    "UPDATE statistics_contactcount SET self_service_task = true WHERE task_id IN "
    f"(SELECT t.id FROM catalogue_task t WHERE {SELF_SERVICE.format(t='t')})",
    *(statement for table, dims in COARSE for statement in _summed_from_finest(table, dims)),
]
# Back to 0002 (once the flag is gone): the coarser grains summed from the finest without it.
UNFLAGGED = [
    statement
    for table, dims in COARSE
    for statement in _summed_from_finest(table, tuple(d for d in dims if d != "self_service_task"))
]
# Back to 0002: its triggers, read from it (it does not change), once the schema is as it was.
_0002 = import_module("indgang.statistics.migrations.0002_triggers")


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def _flagged_field() -> models.BooleanField:  # type: ignore[type-arg]
    return models.BooleanField(default=False, verbose_name="task with self-service")


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0004_funnels"),
        ("catalogue", "0002_summarytemplate"),
    ]

    operations = [
        # 0002's triggers name the old unique constraints in ON CONFLICT: gone while they change.
        migrations.RunPython(
            _run(DROP), _run({"postgresql": _0002.POSTGRES, "sqlite": _0002.SQLITE})
        ),
        *(
            migrations.RemoveConstraint(model_name=model, name=name)
            for model, name in BUCKETS.items()
        ),
        # On the way back only, between dropping the flag and restoring 0002's constraints.
        migrations.RunPython(
            migrations.RunPython.noop, _run({"postgresql": UNFLAGGED, "sqlite": UNFLAGGED})
        ),
        *(
            migrations.AddField(model_name=model, name="self_service_task", field=_flagged_field())
            for model in BUCKETS
        ),
        *(
            migrations.AddConstraint(
                model_name=model,
                constraint=models.UniqueConstraint(fields=GRAINS[f"statistics_{model}"], name=name),
            )
            for model, name in BUCKETS.items()
        ),
        migrations.RunPython(
            _run(
                {
                    "postgresql": [*POSTGRES, *PG_TASK_UPDATE, *FILL],
                    "sqlite": [*SQLITE, SQLITE_TASK_UPDATE, *FILL],
                }
            ),
            _run({vendor: DROP_TASK_UPDATE[vendor] + DROP[vendor] for vendor in DROP}),
        ),
    ]
