"""PostgreSQL: a second, small tsvector of the title and its compound parts, GIN-indexed.

A query whose every word is common matches and ranks on titles only; with its own column that
needs no recheck and no read of the (toasted) full-text vector.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('danish'::regconfig, title), 'A')
        || setweight(to_tsvector('danish'::regconfig, title_extra), 'B')
    ) STORED
    """,
    "CREATE INDEX search_document_title_vector ON search_searchdocument USING gin (title_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_document_title_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_vector",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_drop_trigram_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
