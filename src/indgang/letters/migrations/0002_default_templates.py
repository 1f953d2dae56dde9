"""The default plain-language text of each kind of letter, as version 1 of its template."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from indgang.letters.defaults import load_default_texts


def load_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    load_default_texts(apps)


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
