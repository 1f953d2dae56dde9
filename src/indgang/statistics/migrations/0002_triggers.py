"""Triggers that keep the contact rollups current on every write to the register.

PostgreSQL: a new contact is counted by a row trigger, three single-row upserts (a registration
inserts one contact, and this is the cheapest way to count it: benchmarks/README.md). UPDATE and
DELETE of contacts and INSERT/DELETE of knowledge uses have one statement-level trigger each, with
transition tables, so a re-routing UPDATE of many rows costs one aggregated upsert per grain, not
one per row. Each adds the new rows, subtracts the old ones, sums per bucket and upserts the
buckets in key order, so that concurrent statements lock the buckets they share in the same order
(no deadlock). SQLite: row triggers with the same UPSERTs.

Bulk writers count themselves (PostgreSQL): after `SET LOCAL indgang.rollups = 'caller'` the
INSERT trigger skips the transaction's contacts (its WHEN condition), and the writer adds them with
`statistics.services.add_contact_buckets`, aggregated per bucket and in key order. Only a writer
that inserts many contacts at once may use it (`indgang simulate`; a bulk import could). It stays
correct because: the setting is transaction-local (it ends with COMMIT or ROLLBACK, so no other
transaction, nor a later one on the same connection, skips counting); the buckets are added in the
transaction that inserts the rows (both commit or neither); it switches off only the INSERT
trigger, so later updates and deletes of those contacts are counted as always; and a new contact
has no knowledge use yet. Without the switch a COPY is counted row by row, which is correct but
slower.

A KnowledgeUse counts on the bucket of its contact as it is at the time; when the contact moves,
its with_knowledge moves with it (the contact triggers look the use up). Deleting a contact and
its use in either order subtracts the use once: whichever goes second finds the other gone.
The SQL is written out here, not imported, so that this migration stays as it ran.
"""

from django.db import migrations

# The transaction-local switch with which a bulk writer counts its contacts itself (PostgreSQL).
ROLLUPS_SETTING = "indgang.rollups"
ROLLUPS_CALLER = "caller"

GRAINS = {
    "statistics_daycontactcount": ("day", "channel", "direction", "outcome"),
    "statistics_unitcontactcount": (
        "day",
        "channel",
        "direction",
        "outcome",
        "department_id",
        "unit_id",
    ),
    "statistics_contactcount": (
        "day",
        "channel",
        "direction",
        "outcome",
        "department_id",
        "unit_id",
        "task_id",
    ),
}
FINEST = GRAINS["statistics_contactcount"]
MEASURES = ("contacts", "with_knowledge", "duration_seconds", "timed")
# What the contact row r gives each dimension: 0 for no department, unit or task.
DIMENSION = {
    "day": "{r}.received_on",
    "channel": "{r}.channel",
    "direction": "{r}.direction",
    "outcome": "{r}.outcome",
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
        f"SELECT {_dimensions(r)}, {sign}1 AS contacts, {sign}{USED.format(r=r)} AS with_knowledge, "
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
        f"contacts_contact c WHERE c.id = {r}.contact_id AND {_sqlite_matches(table, 'c', dims)});\n"
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
        "INSERT", "knowledge_knowledgeuse", "", "", _sqlite_use("").format(r="NEW"),
    ),
    "use_delete": ("DELETE", "knowledge_knowledgeuse", "", _sqlite_unuse("OLD"), ""),
}
SQLITE = [
    f"CREATE TRIGGER statistics_{name} AFTER {event} ON {table} FOR EACH ROW {when} BEGIN\n"
    f"{subtract}{_sqlite_upserts(added) if added else ''}END"
    for name, (event, table, when, subtract, added) in SQLITE_TRIGGERS.items()
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS statistics_{name}" for name in SQLITE_TRIGGERS]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0001_initial"),
        ("contacts", "0007_received_on_required"),
        ("knowledge", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
