"""The servicemål categories of the December 2015 agreement, as municipalities publish them
(names in Danish: they are data, shown as they are)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DEFAULTS = [
    ("building-simple", "building", "Simple konstruktioner (carporte, garager, skure)", 40),
    ("building-single-family", "building", "Enfamiliehuse", 40),
    ("building-industry", "building", "Industri- og lagerbygninger", 50),
    ("building-commercial", "building", "Etageerhverv", 55),
    ("building-housing", "building", "Etageboliger", 60),
    ("environment-annex-1", "environment", "Miljøgodkendelse, bilag 1-virksomhed", 200),
    ("environment-annex-2", "environment", "Miljøgodkendelse, bilag 2-virksomhed", 130),
    ("livestock-16a", "livestock", "Husdyrgodkendelse (§ 16 a)", 180),
    ("livestock-16b", "livestock", "Husdyrtilladelse (§ 16 b)", 90),
]


def add_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    category = apps.get_model("cases", "ServiceTargetCategory")
    settings = apps.get_model("cases", "AreaSettings")
    for code, area, name, days in DEFAULTS:
        category.objects.get_or_create(
            code=code, defaults={"area": area, "name": name, "target_days": days}
        )
    for area in ("building", "environment", "livestock"):
        settings.objects.get_or_create(area=area, defaults={"waiting_counts": False})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
