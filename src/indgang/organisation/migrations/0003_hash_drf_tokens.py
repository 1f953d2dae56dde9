"""Existing integrations keep their keys: each DRF token (rest_framework.authtoken, stored in
plain text) becomes an ApiToken holding only the key's SHA-256 digest, valid for
INDGANG_API_TOKEN_DAYS from now, and the plain-text table is dropped.

rest_framework.authtoken is no longer an installed app, so its table is read by name, where it
exists (a database made before this change); a new database has none and nothing happens.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DRF_TABLE = "authtoken_token"


def hash_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} FROM {quote(DRF_TABLE)}"
        )
        rows = cursor.fetchall()
    ApiToken = apps.get_model("organisation", "ApiToken")
    now = timezone.now()
    expires_at = now + dt.timedelta(days=settings.API_TOKEN_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="Migreret fra tidligere token",
            prefix=key[:8],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            created_at=aware(created, default=now),
            expires_at=expires_at,
        )
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {quote(DRF_TABLE)}")


def aware(value, *, default):
    """DRF's `created` as the database driver gives it: aware on PostgreSQL, naive UTC or text on
    SQLite."""
    if value is None:
        return default
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_api_token")]

    operations = [migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop)]
