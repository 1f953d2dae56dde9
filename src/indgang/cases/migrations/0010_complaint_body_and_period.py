from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# The board each area's decisions are complained to (the guidance texts of 0005 name them).
BODIES = {
    "building": "Byggeklageenheden",
    "environment": "Miljø- og Fødevareklagenævnet",
    "livestock": "Miljø- og Fødevareklagenævnet",
}


def add_bodies(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    guidance = apps.get_model("cases", "ComplaintGuidance")
    for area, body in BODIES.items():
        guidance.objects.filter(area=area).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_note_and_document_events")]

    operations = [
        migrations.AddField(
            model_name="complaintguidance",
            name="body",
            field=models.CharField(default="", max_length=200, verbose_name="complaint body"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="complaintguidance",
            name="period_weeks",
            field=models.PositiveSmallIntegerField(
                default=4, verbose_name="complaint period (weeks)"
            ),
        ),
        migrations.RunPython(add_bodies, migrations.RunPython.noop),
    ]
