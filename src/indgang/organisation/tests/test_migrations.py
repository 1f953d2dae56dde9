"""The migration that hashes the DRF tokens of a database made before API tokens expired."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from indgang.conftest import Staff
from indgang.organisation.models import ApiToken

migration = importlib.import_module("indgang.organisation.migrations.0003_hash_drf_tokens")
KEY = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.django_db(transaction=True)
def test_drf_tokens_become_hashed_expiring_tokens_that_keep_working(
    staff: Staff, settings: Settings
) -> None:
    settings.API_TOKEN_DAYS = 30
    created = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created datetime NOT NULL, user_id integer NOT NULL)"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [KEY, connection.ops.adapt_datetimefield_value(created), staff.frontline.pk],
        )
    before = timezone.now()

    with connection.schema_editor() as editor:
        migration.hash_drf_tokens(apps, editor)

    token = ApiToken.objects.get()
    assert (token.user_id, token.prefix, token.created_at) == (
        staff.frontline.pk,
        KEY[:8],
        created,
    )
    assert token.digest != KEY
    assert before + dt.timedelta(days=30) <= token.expires_at
    assert token.expires_at <= timezone.now() + dt.timedelta(days=30)
    assert "authtoken_token" not in connection.introspection.table_names()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {KEY}")
    assert client.get("/api/v1/contacts/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_new_database_has_no_drf_tokens_to_hash(staff: Staff) -> None:
    with connection.schema_editor() as editor:
        migration.hash_drf_tokens(apps, editor)

    assert ApiToken.objects.count() == 0
