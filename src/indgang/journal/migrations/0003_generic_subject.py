"""Journal entries and documents refer to their subject by content type and id (issue 19);
every row is carried over from its thread."""

import django.db.models.deletion
from django.db import migrations, models

from indgang.common.migration_subjects import copy_to_subject

THREAD = {"thread": ("contacts", "thread")}


def subject_fields(model_name: str, *, null: bool) -> list[migrations.AddField]:
    kind = migrations.AddField if null else migrations.AlterField
    return [
        kind(
            model_name=model_name,
            name="subject_type",
            field=models.ForeignKey(
                null=null,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="subject type",
            ),
        ),
        kind(
            model_name=model_name,
            name="subject_id",
            field=models.PositiveBigIntegerField(null=null, verbose_name="subject"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0004_fewer_indexes"),
        ("journal", "0002_document_file_metadata"),
    ]

    operations = [
        *subject_fields("journalentry", null=True),
        *subject_fields("document", null=True),
        # The thread may be empty while the rows move, so that a reverse migration can re-add
        # the column before copying the threads back.
        migrations.AlterField(
            model_name="journalentry",
            name="thread",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="journal_entry",
                to="contacts.thread",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="thread",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="documents",
                to="contacts.thread",
            ),
        ),
        copy_to_subject("journal", "JournalEntry", THREAD),
        copy_to_subject("journal", "Document", THREAD),
        migrations.RemoveIndex(model_name="document", name="journal_doc_thread__d28186_idx"),
        migrations.RemoveField(model_name="journalentry", name="thread"),
        migrations.RemoveField(model_name="document", name="thread"),
        *subject_fields("journalentry", null=False),
        *subject_fields("document", null=False),
        migrations.AddConstraint(
            model_name="journalentry",
            constraint=models.UniqueConstraint(
                fields=("subject_type", "subject_id"), name="journal_entry_one_per_subject"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["subject_type", "subject_id", "dated"], name="journal_doc_subject_idx"
            ),
        ),
    ]
