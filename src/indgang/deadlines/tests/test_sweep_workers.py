"""The sweep on real infrastructure: Redis and two Celery workers sharing its chunks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from indgang.common.subjects import subject_of
from indgang.common.tests.workers import CeleryWorkers
from indgang.conftest import Org, Staff
from indgang.contacts.models import Thread
from indgang.deadlines import tasks
from indgang.deadlines.constants import DeadlineKind, ReminderKind
from indgang.deadlines.models import Deadline, Notification, Reminder
from indgang.deadlines.services import ensure_default_rules

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

OPEN_DEADLINES = 100_000
CHUNK = 5_000


def insert_open_deadlines(*, org: Org, staff: Staff, now: dt.datetime) -> int:
    """100,000 open deadlines on threads: 1 in 10 past due, 1 in 10 due soon; the rest later."""
    rule = ensure_default_rules()[DeadlineKind.INQUIRY]
    lead = dt.timedelta(hours=rule.reminder_lead_hours)
    due_by_slot = {0: now - dt.timedelta(hours=1), 1: now + dt.timedelta(hours=1)}
    later = now + dt.timedelta(days=10)
    for start in range(0, OPEN_DEADLINES, 10_000):
        threads = Thread.objects.bulk_create(
            Thread(
                subject="Last", department=org.frontline_dept, created_at=now, last_contact_at=now
            )
            for _ in range(10_000)
        )
        Deadline.objects.bulk_create(
            Deadline(
                rule=rule,
                kind=DeadlineKind.INQUIRY,
                **subject_of(thread),
                department=org.frontline_dept,
                unit=org.contact_centre,
                owner=staff.frontline,
                started_at=now - dt.timedelta(days=3),
                due_at=due_by_slot.get((start + n) % 10, later),
                remind_at=due_by_slot.get((start + n) % 10, later) - lead,
            )
            for n, thread in enumerate(threads)
        )
    return OPEN_DEADLINES // 10 * 2


def test_two_workers_share_a_sweep_over_100000_deadlines_and_send_each_reminder_once(
    org: Org, staff: Staff, celery_workers: CeleryWorkers
) -> None:
    for user in (staff.frontline, staff.manager):
        user.email = f"{user.username}@kommune.example"
        user.save(update_fields=["email"])
    expected = insert_open_deadlines(org=org, staff=staff, now=timezone.now())

    tasks.sweep.enqueue(chunk_size=CHUNK)
    tasks.sweep.enqueue(chunk_size=CHUNK)  # run twice, as two schedulers or a redelivery might

    chunks = OPEN_DEADLINES // CHUNK
    celery_workers.wait_for(
        lambda: celery_workers.logs().count(" succeeded in ") == 2 + 2 * chunks,
        timeout=300,
        what=f"two sweeps and {2 * chunks} chunks",
    )
    assert Reminder.objects.count() == expected
    assert Reminder.objects.filter(kind=ReminderKind.DUE_SOON).count() == expected // 2
    assert Reminder.objects.filter(kind=ReminderKind.BREACHED).count() == expected // 2
    # The owner hears of each due-soon reminder once; the unit's manager of each breach once.
    assert Notification.objects.filter(user=staff.frontline).count() == expected // 2
    assert Notification.objects.filter(user=staff.manager).count() == expected // 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    for worker in ("w1", "w2"):
        log = (celery_workers.directory / f"{worker}.log").read_text(encoding="utf-8")
        assert " succeeded in " in log, f"{worker} ran no task"
