"""Each document's length in stems and the index's size, for bm25 on PostgreSQL
(`search.selectors`).

Both are filled here from the stored stem texts, so no reindex is needed after `migrate`;
back, they go. The column is added by plain SQL that both back ends run in place: Django would
remake the SQLite table to add a NOT NULL column, which drops the FTS5 table's triggers (the
database keeps a default of 0 that Django never relies on; the indexer always sets the length).
"""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

STEM_TEXTS = [
    "stems_title",
    "stems_title_extra",
    "stems_terms",
    "stems_body",
    "stems_body_extra",
]
BATCH_SIZE = 1000


def fill_lengths(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    document_model = apps.get_model("search", "SearchDocument")
    batch = []
    documents = total = 0
    for document in document_model.objects.only(*STEM_TEXTS).iterator(chunk_size=BATCH_SIZE):
        document.length = sum(len(getattr(document, name).split()) for name in STEM_TEXTS)
        documents += 1
        total += document.length
        batch.append(document)
        if len(batch) >= BATCH_SIZE:
            document_model.objects.bulk_update(batch, ["length"])
            batch = []
    document_model.objects.bulk_update(batch, ["length"])
    if documents:
        apps.get_model("search", "SearchIndexSize").objects.create(
            pk=1, documents=documents, length=total
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0006_search_terms")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE search_searchdocument "
                    "ADD COLUMN length integer NOT NULL DEFAULT 0 CHECK (length >= 0)",
                    "ALTER TABLE search_searchdocument DROP COLUMN length",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="length",
                    field=models.PositiveIntegerField(default=0),
                )
            ],
        ),
        migrations.CreateModel(
            name="SearchIndexSize",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("documents", models.PositiveIntegerField(default=0)),
                ("length", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "search index size",
                "verbose_name_plural": "search index sizes",
            },
        ),
        migrations.RunPython(fill_lengths, migrations.RunPython.noop),
    ]
