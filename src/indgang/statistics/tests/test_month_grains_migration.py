"""Migration 0006 fills the month grains from the day grains, and goes back to 0005's triggers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from indgang.catalogue.models import Task
from indgang.common.tests.migrating import migrate
from indgang.conftest import Org, RegisterContact
from indgang.statistics.constants import FunnelEventKind, SolutionKind
from indgang.statistics.funnels import FunnelEventIn, ensure_solution, record_funnel_events
from indgang.statistics.models import (
    FunnelDayCount,
    FunnelMonthCount,
    TaskMonthContactCount,
    UnitMonthContactCount,
)
from indgang.statistics.tests.checks import assert_rollups_match_register

CPH = ZoneInfo("Europe/Copenhagen")
BEFORE = [("statistics", "0005_self_service_task")]


@pytest.mark.django_db(transaction=True)
def test_the_month_grains_are_filled_from_the_day_grains_and_kept_after(
    register: RegisterContact, org: Org, tasks: dict[str, Task], back_and_forth: None
) -> None:
    task = next(iter(tasks.values()))
    Task.objects.filter(pk=task.pk).update(self_service_url="https://selvbetjening.example.dk/a")
    solution = ensure_solution(
        name="Boligstøtte",
        kind=SolutionKind.EXTERNAL_FORM,
        department=org.frontline_dept,
        external_system="os2forms",
        external_id="boligstoette",
        steps=[],
    )
    now = timezone.now()
    record_funnel_events(
        events=[
            FunnelEventIn(
                event_id=f"e{day}",
                system="os2forms",
                solution="boligstoette",
                attempt_id=f"a{day}",
                kind=FunnelEventKind.STARTED,
                step="",
                occurred_at=dt.datetime(2025, 10, 25, 9, tzinfo=CPH) + dt.timedelta(days=day),
            )
            for day in range(0, 20, 3)
        ],
        now=now,
    )
    migrate(BEFORE)
    # Counted by 0005's triggers, in the day grains only.
    for day in range(0, 70, 4):
        register(
            received_at=dt.datetime(2025, 10, 20, 10, tzinfo=CPH) + dt.timedelta(days=day),
            unit=[org.contact_centre, org.building_unit][day % 2],
            task=task if day % 3 else None,
            duration_seconds=day or None,
        )
    migrate(None)
    assert UnitMonthContactCount.objects.exists()
    assert TaskMonthContactCount.objects.filter(self_service_task=True).exists()
    assert_rollups_match_register()
    months: dict[dt.date, int] = {}
    for row in FunnelDayCount.objects.filter(solution=solution):
        months[row.day.replace(day=1)] = months.get(row.day.replace(day=1), 0) + row.started
    assert dict(FunnelMonthCount.objects.values_list("month", "started")) == months
    assert sorted(months) == [dt.date(2025, 10, 1), dt.date(2025, 11, 1)]
    # 0006's triggers count from now on, a self-service link that goes included.
    register(received_at=dt.datetime(2025, 12, 1, 10, tzinfo=CPH), task=task)
    Task.objects.filter(pk=task.pk).update(self_service_url="")
    assert_rollups_match_register()
