"""The PostgreSQL backend's health check, on a real server whichever database the suite uses."""

from __future__ import annotations

import datetime as dt
import select
import time
from collections.abc import Iterator
from typing import Any

import dj_database_url
import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base
from psycopg import pq

from indgang.common.postgresql.base import TIMESTAMPTZ_OID, DatabaseWrapper, UtcTimestamptzLoader

# The server .ci/run starts; the suite on PostgreSQL uses its own.
LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_settings() -> dict[str, Any]:
    """The suite's server when it runs on PostgreSQL, else the local one; its `postgres`
    database, which every server has."""
    if connection.vendor == "postgresql":
        settings = dict(connection.settings_dict, NAME="postgres")
    else:
        settings = dict(dj_database_url.parse(LOCAL_SERVER))
        settings.update(TIME_ZONE=None, OPTIONS={}, AUTOCOMMIT=True, ATOMIC_REQUESTS=False)
    settings.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
    return settings


@pytest.fixture
def wrapper(django_db_blocker: Any) -> Iterator[DatabaseWrapper]:
    """A connection of its own, outside the test's transaction, so the server may end it."""
    with django_db_blocker.unblock():
        database = DatabaseWrapper(server_settings(), alias="health-check-test")
        try:
            database.ensure_connection()
        except psycopg.OperationalError as error:  # pragma: no cover - says what is missing
            pytest.fail(
                f"This test needs PostgreSQL on {LOCAL_SERVER} (.ci/run starts it): {error}"
            )
        yield database
        database.close()


def backend_pid(database: DatabaseWrapper) -> int:
    with database.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    assert isinstance(pid, int)
    return pid


def last_query(database: DatabaseWrapper, pid: int) -> str:
    with psycopg.connect(**_params(database), autocommit=True) as admin:
        row = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert row is not None
    return str(row[0])


def _params(database: DatabaseWrapper) -> dict[str, Any]:
    params = database.get_connection_params()
    return {key: params[key] for key in ("dbname", "user", "host", "port") if params.get(key)}


def test_healthy_connection_is_kept_and_the_server_is_not_asked(wrapper: DatabaseWrapper) -> None:
    pid = backend_pid(wrapper)
    wrapper.close_if_unusable_or_obsolete()  # as at the end of each request

    wrapper.close_if_health_check_failed()

    assert wrapper.connection is not None
    assert last_query(wrapper, pid) == "SELECT pg_backend_pid()"
    assert backend_pid(wrapper) == pid


def test_connection_the_server_ended_is_replaced_before_the_next_query(
    wrapper: DatabaseWrapper,
) -> None:
    pid = backend_pid(wrapper)
    with psycopg.connect(**_params(wrapper), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    socket = wrapper.connection.pgconn.socket
    deadline = time.monotonic() + 5
    while not select.select([socket], [], [], 0.1)[0] and time.monotonic() < deadline:
        pass
    wrapper.close_if_unusable_or_obsolete()

    wrapper.close_if_health_check_failed()

    assert wrapper.connection is None
    assert backend_pid(wrapper) != pid


def test_timestamps_are_read_by_psycopgs_loader_as_django_reads_them(
    wrapper: DatabaseWrapper,
) -> None:
    query = (
        "SELECT '2026-06-01 12:00:00.123456+02'::timestamptz, "
        "'1999-12-31 23:59:59+00'::timestamptz, NULL::timestamptz"
    )
    with wrapper.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)
        cursor.execute(query)
        ours = cursor.fetchone()
    assert loader is UtcTimestamptzLoader
    assert ours == (
        dt.datetime(2026, 6, 1, 10, 0, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        None,
    )
    assert [value.tzinfo for value in ours[:2]] == [dt.UTC, dt.UTC]
    # Django's own loader, on a connection of Django's own backend, reads the same.
    django = base.DatabaseWrapper(server_settings(), alias="django-timestamps")
    try:
        with django.cursor() as cursor:
            cursor.execute(query)
            assert cursor.fetchone() == ours
    finally:
        django.close()
