"""Migration 0008 sets a registration aside for the fold (PostgreSQL), and on the way back
folds what waits into the buckets before its table goes; the rollups count either way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from indgang.common.tests.migrating import migrate
from indgang.conftest import RegisterContact
from indgang.statistics.tests.checks import (
    assert_buckets_match_register,
    assert_rollups_match_register,
)

RECEIVED = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
BEFORE = [("statistics", "0007_lighter_registration")]


def _waiting() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM statistics_newcontactcount")
        (count,) = cursor.fetchone()
    return int(count)


@pytest.mark.django_db(transaction=True)
def test_waiting_contacts_are_folded_on_the_way_back(
    register: RegisterContact, back_and_forth: None
) -> None:
    for hours in (0, 30):
        register(received_at=RECEIVED + dt.timedelta(hours=hours), duration_seconds=hours)
    assert _waiting() == (2 if connection.vendor == "postgresql" else 0)

    migrate(BEFORE)
    assert_buckets_match_register()  # its table is gone: the buckets hold them all
    register(received_at=RECEIVED, duration_seconds=5)

    migrate(None)
    register(received_at=RECEIVED + dt.timedelta(days=1))
    assert _waiting() == (1 if connection.vendor == "postgresql" else 0)
    assert_rollups_match_register()
