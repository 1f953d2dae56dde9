"""OS2KLE's terms in a column of their own, ranked as names rather than as text.

`terms` holds the terms of the KLE topics a document is filed under and `stems_terms` their
search stems with their compound parts. PostgreSQL's two vectors take `stems_terms` at weight C
(`title_vector` too: the terms name the document as its title does), and the text and its
compound parts share D; SQLite's FTS5 table gets a `stems_terms` column between the title's
parts and the text. `search.selectors.PG_WEIGHTS` and `FTS_WEIGHTS` weigh them. The new columns start empty and the terms are still in
the text: `indgang search reindex` after `migrate` moves them (and does the same after going
back). Both directions drop and rebuild the vectors and the FTS5 table; SQLite would otherwise
lose the triggers when Django remakes the table to add or drop a column.
"""

from django.db import migrations, models

OLD_TITLE = ["stems_title", "stems_title_extra"]
NEW_TITLE = ["stems_title", "stems_title_extra", "stems_terms"]
BODY = ["stems_body", "stems_body_extra"]
OLD_WEIGHTS = {"stems_title": "A", "stems_title_extra": "B", "stems_body": "C", "stems_body_extra": "D"}
# PostgreSQL has four weights: the terms take C, and the text and its parts share D.
NEW_WEIGHTS = OLD_WEIGHTS | {"stems_terms": "C", "stems_body": "D"}
DROP_POSTGRES = [
    "DROP INDEX IF EXISTS search_document_title_vector",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]
DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _postgres(title: list[str], weights: dict[str, str]) -> list[str]:
    def weighted(columns: list[str]) -> str:
        return " || ".join(
            f"setweight(to_tsvector('simple'::regconfig, {column}), '{weights[column]}')"
            for column in columns
        )

    return [
        f"ALTER TABLE search_searchdocument ADD COLUMN vector tsvector "
        f"GENERATED ALWAYS AS ({weighted(title + BODY)}) STORED",
        f"ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector "
        f"GENERATED ALWAYS AS ({weighted(title)}) STORED",
        "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
        "CREATE INDEX search_document_title_vector ON search_searchdocument "
        "USING gin (title_vector)",
    ]


def _sqlite(title: list[str]) -> list[str]:
    columns = ", ".join([*title, *BODY, "audience"])
    old = ", ".join(f"old.{column}" for column in [*title, *BODY, "audience"])
    new = ", ".join(f"new.{column}" for column in [*title, *BODY, "audience"])
    return [
        f"""
        CREATE VIRTUAL TABLE search_fts USING fts5(
            {columns}, content='search_searchdocument', content_rowid='id',
            tokenize="unicode61 remove_diacritics 0"
        )
        """,
        f"""
        CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
            INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new});
        END
        """,
        f"""
        CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old});
        END
        """,
        f"""
        CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
            INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old});
            INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new});
        END
        """,
        # Fill the new table from the documents already stored.
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_search_stems")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": DROP_POSTGRES, "sqlite": DROP_SQLITE}),
            _run({"postgresql": _postgres(OLD_TITLE, OLD_WEIGHTS), "sqlite": _sqlite(OLD_TITLE)}),
        ),
        migrations.AddField(
            model_name="searchdocument", name="terms", field=models.TextField(blank=True)
        ),
        migrations.AddField(
            model_name="searchdocument", name="stems_terms", field=models.TextField(blank=True)
        ),
        migrations.RunPython(
            _run({"postgresql": _postgres(NEW_TITLE, NEW_WEIGHTS), "sqlite": _sqlite(NEW_TITLE)}),
            _run({"postgresql": DROP_POSTGRES, "sqlite": DROP_SQLITE}),
        ),
    ]
