"""The default plain-language text of each kind of letter, as version 1 of its template."""

from decimal import Decimal

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

from indgang.letters.defaults import DEFAULT_TEXTS
from indgang.letters.rendering import check_template, score


def load_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("letters", "LetterTemplate")
    version_model = apps.get_model("letters", "LetterTemplateVersion")
    now = timezone.now()
    for kind, (title, body) in DEFAULT_TEXTS.items():
        check_template(kind=kind, title=title, body=body)
        template, _created = template_model.objects.get_or_create(kind=kind)
        if not version_model.objects.filter(template=template).exists():
            version_model.objects.create(
                template=template,
                number=1,
                title=title,
                body=body,
                lix=Decimal(str(score(kind=kind, body=body))),
                created_at=now,
            )


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
