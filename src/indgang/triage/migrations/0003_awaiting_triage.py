"""Contacts that came without a task and were never triaged join the triage sweep's work list."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def mark_untriaged(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    contact = apps.get_model("contacts", "Contact")
    decision = apps.get_model("triage", "RoutingDecision")
    item = apps.get_model("triage", "QueueItem")
    contact.objects.filter(task__isnull=True).exclude(
        pk__in=decision.objects.values("contact_id")
    ).exclude(pk__in=item.objects.values("contact_id")).update(awaiting_triage=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_awaiting_triage"),
        ("triage", "0002_model_version_catalogue"),
    ]

    operations = [migrations.RunPython(mark_untriaged, migrations.RunPython.noop)]
