"""Drop the trigram index on the vocabulary.

Typos are corrected by looking up the words one edit away in the vocabulary's unique btree, the
same way on both back ends. The GIN trigram index over the bare column also tempted the planner
for those exact look-ups (`word IN (…)`), which it answered slowly.
"""

from django.db import migrations

FORWARD = ["DROP INDEX IF EXISTS search_term_trigram"]
BACKWARD = ["CREATE INDEX search_term_trigram ON search_searchterm USING gin (word gin_trgm_ops)"]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
