"""A new contact counts in every read at once; on PostgreSQL it waits as a row of its own
until the fold adds it to the buckets (migration 0008), and what happens to it meanwhile
counts as well."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.tests.concurrency import at_once
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.models import Contact
from indgang.knowledge.services import record_knowledge_used
from indgang.knowledge.tests.fixtures import MakeArticle
from indgang.organisation.selectors import get_scope
from indgang.statistics.models import DayContactCount, NewContactCount
from indgang.statistics.selectors import Slice, contact_counts
from indgang.statistics.services import GRAINS, fold_new_contact_counts
from indgang.statistics.tests.checks import assert_rollups_match_register
from indgang.triage.services import record_routing

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
MARCH = Slice(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
WAITS = connection.vendor == "postgresql"  # SQLite's triggers count each contact at once


def by_unit(
    staff: Staff, self_service_task: bool | None = None
) -> list[tuple[int | None, int, int]]:
    rows = contact_counts(
        scope=get_scope(user=staff.admin),
        slice=MARCH,
        by=["unit"],
        self_service_task=self_service_task,
    )
    return [(row.unit_id, row.contacts, row.with_knowledge) for row in rows]


def test_a_routed_contact_with_knowledge_counts_in_its_new_unit_before_and_after_the_fold(
    register: RegisterContact,
    staff: Staff,
    org: Org,
    tasks: dict[str, Task],
    make_article: MakeArticle,
) -> None:
    contact = register(received_at=RECEIVED)
    front_desk = contact.unit_id
    assert NewContactCount.objects.count() == (1 if WAITS else 0)
    assert DayContactCount.objects.count() == (0 if WAITS else 1)
    assert by_unit(staff) == [(front_desk, 1, 0)]

    # While it waits: re-routed to the building unit, and solved with an article.
    record_routing(
        contact=contact,
        task=tasks["heating"],
        unit=org.building_unit,
        decided_by=staff.caseworker,
        now=timezone.now(),
    )
    record_knowledge_used(
        contact=contact, article=make_article(), by=staff.frontline, now=timezone.now()
    )
    assert by_unit(staff) == [(org.building_unit.pk, 1, 1)]
    total = contact_counts(scope=get_scope(user=staff.admin), slice=MARCH)
    assert [(row.contacts, row.with_knowledge) for row in total] == [(1, 1)]

    fold_new_contact_counts()
    assert not NewContactCount.objects.exists()
    assert by_unit(staff) == [(org.building_unit.pk, 1, 1)]
    assert_rollups_match_register()


def test_a_contact_deleted_before_the_fold_counts_nowhere(
    register: RegisterContact, staff: Staff
) -> None:
    kept = register(received_at=RECEIVED, channel=Channel.EMAIL)
    Contact.objects.filter(pk=register(received_at=RECEIVED).pk).delete()
    assert by_unit(staff) == [(kept.unit_id, 1, 0)]
    fold_new_contact_counts()
    assert by_unit(staff) == [(kept.unit_id, 1, 0)]
    assert_rollups_match_register()


def test_a_self_service_link_set_while_the_contact_waits_counts_it_as_self_service(
    register: RegisterContact, staff: Staff, tasks: dict[str, Task]
) -> None:
    contact = register(received_at=RECEIVED, task=tasks["heating"])
    Task.objects.filter(pk=tasks["heating"].pk).update(self_service_url="https://selv.example.dk/")
    assert by_unit(staff, self_service_task=True) == [(contact.unit_id, 1, 0)]
    assert by_unit(staff, self_service_task=False) == []
    fold_new_contact_counts()
    buckets = DayContactCount.objects.filter(contacts__gt=0)  # SQLite's flip leaves an empty one
    assert list(buckets.values_list("self_service_task", "contacts")) == [(True, 1)]
    assert by_unit(staff, self_service_task=True) == [(contact.unit_id, 1, 0)]


@pytest.mark.django_db(transaction=True)
def test_folds_at_the_same_time_count_each_contact_once(
    register: RegisterContact, staff: Staff
) -> None:
    for _ in range(30):
        register(received_at=RECEIVED)
    at_once(lambda _thread: fold_new_contact_counts(), threads=3)
    assert not NewContactCount.objects.exists()
    for grain in GRAINS:
        assert list(grain.objects.values_list("contacts", flat=True)) == [30]
