"""Migration 0007 replaces PostgreSQL's registration trigger function by one with the task's flag
and the month in variables, and goes back to 0006's; the rollups count either way."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from indgang.catalogue.models import Task
from indgang.common.tests.migrating import migrate
from indgang.conftest import Org, RegisterContact
from indgang.statistics.tests.checks import assert_buckets_match_register

CPH = ZoneInfo("Europe/Copenhagen")
BEFORE = [("statistics", "0006_month_grains")]
# 0008 sets registrations aside for a fold (its own test): here they count at once.
AT = [("statistics", "0007_lighter_registration")]


def _assert_lookups(expected: int) -> None:
    """The registration function looks a task up in the catalogue this many times (PostgreSQL;
    on SQLite, whose triggers have no variables, 0007 changes nothing and only the counts are
    checked)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'statistics_contact_insert'")
        (source,) = cursor.fetchone()
    assert str(source).count("FROM catalogue_task") == expected


def _register_days(
    register: RegisterContact,
    org: Org,
    task: Task,
    *,
    first: dt.date,
    step: int,
    untasked_every: int,
) -> None:
    """Contacts every `step` days over 40 days from `first`: the two units in turn, without a
    task every `untasked_every` days, timed but for the first."""
    for day in range(0, 40, step):
        register(
            received_at=dt.datetime.combine(first, dt.time(10), tzinfo=CPH)
            + dt.timedelta(days=day),
            unit=[org.contact_centre, org.building_unit][day % 2],
            task=task if day % untasked_every else None,
            duration_seconds=day or None,
        )


@pytest.mark.django_db(transaction=True)
def test_the_registration_trigger_is_replaced_and_restored(
    register: RegisterContact, org: Org, tasks: dict[str, Task], back_and_forth: None
) -> None:
    task = next(iter(tasks.values()))
    Task.objects.filter(pk=task.pk).update(self_service_url="https://selvbetjening.example.dk/a")
    migrate(AT)
    _assert_lookups(1)

    migrate(BEFORE)
    _assert_lookups(5)
    _register_days(register, org, task, first=dt.date(2025, 10, 20), step=4, untasked_every=3)
    assert_buckets_match_register()

    migrate(AT)
    _assert_lookups(1)
    _register_days(register, org, task, first=dt.date(2025, 11, 28), step=5, untasked_every=2)
    assert_buckets_match_register()
