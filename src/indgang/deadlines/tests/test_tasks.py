from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from indgang.common.tasks import DailyAt, Every, periodic_tasks
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import RegisterContact
from indgang.contacts.constants import Outcome
from indgang.deadlines import tasks
from indgang.deadlines.constants import ReminderKind
from indgang.deadlines.models import Reminder


def test_sweep_and_digest_are_periodic_tasks_of_the_one_engine() -> None:
    schedules = {task.name: task.schedule for task in periodic_tasks()}

    assert schedules["deadlines.sweep"] == Every(dt.timedelta(minutes=5))
    assert schedules["deadlines.send_digest"] == DailyAt(dt.time(7, 0))


@pytest.mark.django_db(transaction=True)
def test_sweep_task_fans_out_chunks_that_remind_once_however_often_it_runs(
    register: RegisterContact,
) -> None:
    received = dt.datetime(2026, 11, 18, 15, 40, tzinfo=COPENHAGEN)
    contacts = [register(received_at=received, outcome=Outcome.CALLBACK_PROMISED) for _ in range(3)]

    tasks.sweep.run()
    tasks.sweep.run()

    assert timezone.now() > received
    assert sorted(Reminder.objects.values_list("deadline__subject_id", "kind")) == [
        (contact.pk, ReminderKind.BREACHED) for contact in contacts
    ]
