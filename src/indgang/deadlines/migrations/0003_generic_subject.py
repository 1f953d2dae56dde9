"""Deadlines refer to their subject by content type and id (issue 19); every row is carried
over from its contact or thread."""

import django.db.models.deletion
from django.db import migrations, models

from indgang.common.migration_subjects import copy_to_subject


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0004_fewer_indexes"),
        ("deadlines", "0002_calendar_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="subject_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="subject type",
            ),
        ),
        migrations.AddField(
            model_name="deadline",
            name="subject_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="subject"),
        ),
        # Dropped before the copy, so that a reverse migration copies back before restoring it.
        migrations.RemoveConstraint(model_name="deadline", name="deadline_has_one_subject"),
        copy_to_subject(
            "deadlines",
            "Deadline",
            {"contact": ("contacts", "contact"), "thread": ("contacts", "thread")},
        ),
        migrations.RemoveField(model_name="deadline", name="contact"),
        migrations.RemoveField(model_name="deadline", name="thread"),
        migrations.AlterField(
            model_name="deadline",
            name="subject_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="subject type",
            ),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="subject_id",
            field=models.PositiveBigIntegerField(verbose_name="subject"),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                fields=["subject_type", "subject_id", "status"],
                name="deadlines_d_subject_idx",
            ),
        ),
    ]
