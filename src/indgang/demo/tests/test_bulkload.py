"""Bulk loading: the row triggers skipped where PostgreSQL lets the role, references checked
per set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import Staff
from indgang.contacts.models import Contact, Thread
from indgang.demo.bulkload import check_references, newest_ids, row_triggers_skipped
from indgang.demo.simulate import simulated_row_triggers_skipped

pytestmark = pytest.mark.django_db
AT = dt.datetime(2025, 3, 4, 9, tzinfo=dt.UTC)


def _contact(thread: Thread, registrar: User, **references: int) -> int:
    """A contact written with raw SQL, as a bulk writer writes it; its id. The register's
    foreign keys are checked at COMMIT (deferred), so a dangling reference can be written."""
    columns: dict[str, Any] = {
        "channel": Channel.PHONE,
        "direction": "in",
        "received_at": AT,
        "received_on": AT.date(),
        "summary": "Opkald",
        "outcome": "",
        "awaiting_triage": False,
        "created_at": AT,
        "thread_id": thread.pk,
        "registered_by_id": registrar.pk,
        **references,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO contacts_contact ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            list(columns.values()),
        )
    return newest_ids([Contact])[Contact]


def test_the_set_check_finds_a_dangling_reference_among_the_rows_written(
    tasks: dict[str, Task], staff: Staff
) -> None:
    thread = Thread.objects.create(subject="Pas", created_at=AT, last_contact_at=AT)
    before = newest_ids([Contact, Thread])[Contact]
    _contact(thread, staff.frontline, task_id=tasks["heating"].pk)
    check_references({Contact: before, Thread: 0})  # every reference found

    missing_task = max(Task.objects.values_list("pk", flat=True)) + 1000
    dangling = _contact(thread, staff.frontline, task_id=missing_task)

    with pytest.raises(IntegrityError) as raised:
        check_references({Contact: before, Thread: 0})
    assert str(raised.value) == (
        f"contacts_contact {dangling}: task_id = {missing_task} names no row of catalogue_task"
    )
    # Only the rows above `after` are checked.
    check_references({Contact: dangling, Thread: 0})
    Contact.objects.filter(pk=dangling).delete()  # the test's end checks the deferred keys


@contextmanager
def _savepoint() -> Iterator[None]:
    """A savepoint rolled back at the end, and with it every SET LOCAL made inside."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _role_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        setting: str = cursor.fetchone()[0]
    return setting


def test_row_triggers_are_skipped_only_where_the_role_may_and_no_trigger_would_be_lost() -> None:
    def skipped(inserted: list[str], upserted: list[str], replaced: list[str]) -> bool:
        with (
            _savepoint(),
            row_triggers_skipped(
                inserted=inserted, upserted=upserted, replaced=replaced
            ) as skipping,
        ):
            assert _role_setting() == ("replica" if skipping else "origin")
        return skipping

    if connection.vendor != "postgresql":
        with _savepoint(), simulated_row_triggers_skipped() as skipping:
            assert skipping is False
        return
    with transaction.atomic(), simulated_row_triggers_skipped() as skipping:
        assert skipping is True
        assert _role_setting() == "replica"
    assert _role_setting() == "origin"  # again after the block
    # A contact's INSERT trigger is no obstacle only to a writer that does its work; its
    # UPDATE trigger only to one that does not upsert contacts.
    contacts, counted = ["contacts_contact"], ["statistics_contact_insert"]
    assert skipped(contacts, [], []) is False
    assert skipped([], contacts, counted) is False
    assert skipped(contacts, [], counted) is True
    # Any other trigger on a table written keeps the row triggers on.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER test_audit AFTER INSERT ON contacts_thread "
            "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()"
        )
    with _savepoint(), simulated_row_triggers_skipped() as skipping:
        assert skipping is False
    # A role without the privilege goes on with the row triggers, its transaction unharmed.
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE indgang_test_without_privilege")
    with _savepoint():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE indgang_test_without_privilege")
        assert skipped(contacts, [], counted) is False
