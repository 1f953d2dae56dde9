"""The full-text indexes: PostgreSQL `danish` tsvector (GIN) and pg_trgm; SQLite FTS5 + triggers."""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('danish'::regconfig, title), 'A')
        || setweight(to_tsvector('danish'::regconfig, title_extra), 'B')
        || setweight(to_tsvector('danish'::regconfig, body), 'C')
        || setweight(to_tsvector('danish'::regconfig, body_extra), 'D')
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
    # Similar words for typo look-ups beyond one edit (`word % 'byggetiladelse'`).
    "CREATE INDEX search_term_trigram ON search_searchterm USING gin (word gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]

COLUMNS = "stems_title, stems_title_extra, stems_body, stems_body_extra, audience"
OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))
NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
SQLITE = [
    f"""
    CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS}, content='search_searchdocument', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0"
    )
    """,
    f"""
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
