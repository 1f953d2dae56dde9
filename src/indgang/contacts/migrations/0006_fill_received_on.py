"""Fill Contact.received_on in batches by id: one statement per batch on PostgreSQL, the
conversion in Python on SQLite (which knows no time zones)."""

from zoneinfo import ZoneInfo

from django.db import migrations

BATCH = 10_000
DANISH_TIME = ZoneInfo("Europe/Copenhagen")  # as contacts.constants.DANISH_TIME, frozen here


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Contact = apps.get_model("contacts", "Contact")
    alias = schema_editor.connection.alias
    rows = Contact.objects.using(alias).filter(received_on__isnull=True)
    last = 0
    while True:
        ids = list(rows.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "UPDATE contacts_contact SET received_on ="
                " (received_at AT TIME ZONE 'Europe/Copenhagen')::date"
                " WHERE id BETWEEN %s AND %s AND received_on IS NULL",
                (ids[0], ids[-1]),
            )
        else:
            batch = list(Contact.objects.using(alias).filter(pk__in=ids).only("received_at"))
            for contact in batch:
                contact.received_on = contact.received_at.astimezone(DANISH_TIME).date()
            Contact.objects.using(alias).bulk_update(batch, ["received_on"], batch_size=500)
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_contact_received_on")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
