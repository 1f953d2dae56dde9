from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contacts", "0006_fill_received_on")]

    operations = [
        migrations.AlterField(
            model_name="contact",
            name="received_on",
            field=models.DateField(verbose_name="received on"),
        ),
    ]
