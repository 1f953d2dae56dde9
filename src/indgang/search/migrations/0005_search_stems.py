"""One analysis for both back ends: the search stems (`search.analysis.stem`).

The stored stems are recomputed with the search stem, under which singular, plural and definite
forms meet. PostgreSQL's two vectors, which stemmed the raw texts with its own `danish`
configuration, now index those stems with the `simple` configuration (lower-case, no stop
words, no stemming), as SQLite's FTS5 table already did. Going back restores the `danish`
vectors and Snowball's stems.
"""

from collections.abc import Callable

from django.db import migrations

from indgang.common import danish
from indgang.search import analysis

BATCH_SIZE = 2000
STEM_FIELDS = ["stems_title", "stems_title_extra", "stems_body", "stems_body_extra"]
DROP = [
    "DROP INDEX IF EXISTS search_document_title_vector",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _vectors(config: str, title: str, title_extra: str, body: str, body_extra: str) -> list[str]:
    def weighted(column: str, weight: str) -> str:
        return f"setweight(to_tsvector('{config}'::regconfig, {column}), '{weight}')"

    title_vector = f"{weighted(title, 'A')} || {weighted(title_extra, 'B')}"
    vector = f"{title_vector} || {weighted(body, 'C')} || {weighted(body_extra, 'D')}"
    return [
        f"ALTER TABLE search_searchdocument ADD COLUMN vector tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED",
        f"ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector "
        f"GENERATED ALWAYS AS ({title_vector}) STORED",
        "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
        "CREATE INDEX search_document_title_vector ON search_searchdocument "
        "USING gin (title_vector)",
    ]


FORWARD = _vectors("simple", "stems_title", "stems_title_extra", "stems_body", "stems_body_extra")
BACKWARD = _vectors("danish", "title", "title_extra", "body", "body_extra")


def _restem(stem: Callable[[str], str], vectors: list[str]):  # type: ignore[no-untyped-def]
    def stems(words: list[str]) -> str:
        return " ".join(stem(word) for word in words)

    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        postgresql = schema_editor.connection.vendor == "postgresql"
        if postgresql:
            for statement in DROP:
                schema_editor.execute(statement)
        document_model = apps.get_model("search", "SearchDocument")
        term_model = apps.get_model("search", "SearchTerm")
        batch = []
        for document in document_model.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
            document.stems_title = stems(analysis.index_words(document.title))
            document.stems_title_extra = stems(document.title_extra.split())
            document.stems_body = stems(analysis.index_words(document.body))
            document.stems_body_extra = stems(document.body_extra.split())
            batch.append(document)
            if len(batch) >= BATCH_SIZE:
                document_model.objects.bulk_update(batch, STEM_FIELDS)
                batch = []
        document_model.objects.bulk_update(batch, STEM_FIELDS)
        terms = list(term_model.objects.all())
        for term in terms:
            term.stem = stem(term.word)[:100]
        term_model.objects.bulk_update(terms, ["stem"], batch_size=BATCH_SIZE)
        if postgresql:
            for statement in vectors:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_title_vector")]

    operations = [
        migrations.RunPython(
            _restem(analysis.stem, FORWARD), _restem(danish.stem, BACKWARD), elidable=False
        )
    ]
