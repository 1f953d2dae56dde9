"""Contact.received_on, the Danish day of received_at: added empty here, filled by 0006, then
required by 0007 (each migration is its own transaction on PostgreSQL, so the NOT NULL comes after
the rows are filled)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_fewer_indexes")]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="received_on",
            field=models.DateField(null=True, verbose_name="received on"),
        ),
    ]
