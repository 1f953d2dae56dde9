"""contact_counts: sums from the rollups the triggers keep, at the grain asked for, in scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.constants import Direction, Outcome
from indgang.organisation.selectors import get_scope
from indgang.statistics.selectors import (
    CountRow,
    Slice,
    StatisticsRefused,
    contact_counts,
    statistics_scope,
)

pytestmark = pytest.mark.django_db
DK = ZoneInfo("Europe/Copenhagen")
MARCH = Slice(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))


def at(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=DK)


NOTHING = CountRow(None, None, None, None, None, None, None, 0, 0, 0, 0)


def total(contacts: int, **groups: Any) -> CountRow:
    """A row of the given groups with `contacts` contacts, none timed or with knowledge."""
    return replace(NOTHING, contacts=contacts, **groups)


def test_received_on_is_the_danish_day(register: RegisterContact) -> None:
    late = register(received_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    assert late.received_on == dt.date(2026, 3, 2)  # 00:30 in Copenhagen
    summer = register(received_at=dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC))
    assert summer.received_on == dt.date(2026, 7, 2)  # 00:30 summer time


def test_totals_by_channel_per_week_with_durations(register: RegisterContact, staff: Staff) -> None:
    register(received_at=at(2), channel=Channel.PHONE, duration_seconds=120)  # Monday
    register(received_at=at(8), channel=Channel.PHONE, duration_seconds=60)  # Sunday, same week
    register(received_at=at(9), channel=Channel.PHONE)
    register(received_at=at(9), channel=Channel.EMAIL)
    register(received_at=at(1, month=4), channel=Channel.EMAIL)  # outside the slice
    rows = contact_counts(
        scope=get_scope(user=staff.admin), slice=MARCH, by=["channel"], period="week"
    )
    assert rows == [
        CountRow(dt.date(2026, 3, 2), "phone", None, None, None, None, None, 2, 0, 180, 2),
        total(1, period=dt.date(2026, 3, 9), channel="email"),
        total(1, period=dt.date(2026, 3, 9), channel="phone"),
    ]
    everything = contact_counts(scope=get_scope(user=staff.admin), slice=MARCH)
    assert everything == [CountRow(None, None, None, None, None, None, None, 4, 0, 180, 2)]


def test_an_empty_slice_is_one_row_of_zeros(staff: Staff) -> None:
    assert contact_counts(scope=get_scope(user=staff.admin), slice=MARCH) == [total(0)]
    assert contact_counts(scope=get_scope(user=staff.admin), slice=MARCH, by=["unit"]) == []


@pytest.mark.parametrize(
    ("by", "filters", "table"),
    [
        ((), {}, "statistics_daycontactcount"),
        (("channel", "direction", "outcome"), {}, "statistics_daycontactcount"),
        (("unit",), {}, "statistics_unitmonthcontactcount"),
        ((), {"department_id": 1}, "statistics_unitmonthcontactcount"),
        (("channel",), {"unit_id": 1}, "statistics_unitmonthcontactcount"),
        (("task",), {}, "statistics_taskmonthcontactcount"),
        (("channel",), {"task_id": 1}, "statistics_taskmonthcontactcount"),
    ],
)
def test_the_smallest_table_with_every_dimension_answers(
    staff: Staff, by: tuple[str, ...], filters: dict[str, int], table: str
) -> None:
    """A whole month of a unit or a task is read from its month grain."""
    scope = get_scope(user=staff.admin)
    with CaptureQueriesContext(connection) as queries:
        contact_counts(scope=scope, slice=Slice(MARCH.start, MARCH.end, **filters), by=by)  # type: ignore[arg-type]
    assert len(queries) == 1
    assert f'FROM "{table}"' in queries[0]["sql"]


@pytest.mark.parametrize(
    ("start", "end", "period", "tables"),
    [
        # Weeks straddle months: the day grain.
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "week", ["statistics_contactcount"]),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "day", ["statistics_contactcount"]),
        # No whole month: the day grain.
        (dt.date(2026, 3, 15), dt.date(2026, 4, 20), "month", ["statistics_contactcount"]),
        # Whole months: the month grain, for any period of whole months or none.
        (
            dt.date(2026, 1, 1),
            dt.date(2026, 6, 30),
            "quarter",
            ["statistics_taskmonthcontactcount"],
        ),
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), None, ["statistics_taskmonthcontactcount"]),
        # Both, in one statement: the whole months and the edge days.
        (
            dt.date(2026, 2, 20),
            dt.date(2026, 4, 10),
            "month",
            ["statistics_taskmonthcontactcount", "statistics_contactcount"],
        ),
    ],
)
def test_whole_months_come_from_the_month_grain_and_edge_days_from_the_day_grain(
    staff: Staff, start: dt.date, end: dt.date, period: Any, tables: list[str]
) -> None:
    scope = get_scope(user=staff.admin)
    with CaptureQueriesContext(connection) as queries:
        contact_counts(
            scope=scope, slice=Slice(start, end, task_id=1), by=["channel"], period=period
        )
    assert len(queries) == 1
    read = queries[0]["sql"]
    assert [table for table in TABLES if f'FROM "{table}"' in read] == tables


TABLES = ("statistics_taskmonthcontactcount", "statistics_contactcount")


def test_a_manager_gets_the_sum_over_their_own_departments(
    register: RegisterContact, staff: Staff, org: Org
) -> None:
    register(received_at=at(3))  # the front line's own unit: the manager's department
    register(received_at=at(3), outcome=Outcome.FORWARDED, unit=org.building_unit)
    register(received_at=at(4), direction=Direction.OUTBOUND)
    manager = get_scope(user=staff.manager)
    assert statistics_scope(manager) == frozenset({org.frontline_dept.pk})
    with CaptureQueriesContext(connection) as queries:
        rows = contact_counts(scope=manager, slice=MARCH, by=["direction"])
    assert rows == [total(1, direction="in"), total(1, direction="out")]
    assert 'FROM "statistics_unitmonthcontactcount"' in queries[0]["sql"]
    assert contact_counts(scope=get_scope(user=staff.admin), slice=MARCH, by=["department"]) == [
        total(2, department_id=org.frontline_dept.pk),
        total(1, department_id=org.building_dept.pk),
    ]


def test_a_manager_is_refused_another_department_or_its_unit(staff: Staff, org: Org) -> None:
    manager = get_scope(user=staff.manager)
    for other in (
        Slice(MARCH.start, MARCH.end, department_id=org.building_dept.pk),
        Slice(MARCH.start, MARCH.end, unit_id=org.building_unit.pk),
    ):
        with translation.override("da"), pytest.raises(StatisticsRefused) as refused:
            contact_counts(scope=manager, slice=other)
        assert refused.value.args == ("Du kan kun se statistik for dine egne forvaltninger.",)
    own = Slice(MARCH.start, MARCH.end, unit_id=org.contact_centre.pk)
    assert contact_counts(scope=manager, slice=own) == [total(0)]


@pytest.mark.parametrize("who", ["frontline", "caseworker", "other_caseworker"])
def test_front_line_and_caseworkers_are_refused(staff: Staff, who: str) -> None:
    scope = get_scope(user=getattr(staff, who))
    with translation.override("da"), pytest.raises(StatisticsRefused) as refused:
        statistics_scope(scope)
    assert refused.value.args == ("Kun ledere og administratorer kan se statistik.",)
    with pytest.raises(StatisticsRefused):
        contact_counts(scope=scope, slice=MARCH)


def test_periods_start_on_their_first_day(register: RegisterContact, staff: Staff) -> None:
    register(received_at=at(31, hour=23))  # the last hour of March in Denmark
    scope = get_scope(user=staff.admin)
    year = Slice(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    expected = {
        "day": dt.date(2026, 3, 31),
        "week": dt.date(2026, 3, 30),
        "month": dt.date(2026, 3, 1),
        "quarter": dt.date(2026, 1, 1),
        "year": dt.date(2026, 1, 1),
    }
    for period, first in expected.items():
        assert contact_counts(scope=scope, slice=year, period=period) == [  # type: ignore[arg-type]
            total(1, period=first)
        ]


def test_self_service_tasks_and_direction_are_summed_from_the_day_grain(
    register: RegisterContact, staff: Staff, tasks: dict[str, Task]
) -> None:
    heating, groundwater = tasks["heating"], tasks["groundwater"]
    before_the_link = register(received_at=at(2), channel=Channel.PHONE, task=heating)
    Task.objects.filter(pk=heating.pk).update(self_service_url="https://selvbetjening.example.dk/")
    register(received_at=at(3), channel=Channel.PHONE, task=heating)
    register(received_at=at(3), channel=Channel.PHONE, task=heating, direction=Direction.OUTBOUND)
    register(received_at=at(4), channel=Channel.EMAIL, task=groundwater)
    register(received_at=at(4), channel=Channel.EMAIL)  # no task
    scope = get_scope(user=staff.admin)

    def self_service_by_channel() -> list[CountRow]:
        return contact_counts(
            scope=scope,
            slice=MARCH,
            by=["channel"],
            self_service_task=True,
            direction=Direction.INBOUND,
        )

    with CaptureQueriesContext(connection) as queries:
        rows = self_service_by_channel()
    # The contact registered before the task had its link counts too: the link moved it.
    assert rows == [total(2, channel="phone")]
    assert len(queries) == 1
    assert 'FROM "statistics_daycontactcount"' in queries[0]["sql"]
    others = contact_counts(scope=scope, slice=MARCH, by=["channel"], self_service_task=False)
    assert others == [total(2, channel="email")]
    # A department's read takes the unit grain, which has the flag too.
    assert before_the_link.department_id is not None
    registrars = Slice(MARCH.start, MARCH.end, department_id=before_the_link.department_id)
    assert contact_counts(scope=scope, slice=registrars, self_service_task=True) == [total(3)]
    Task.objects.filter(pk=heating.pk).update(self_service_url="")
    assert self_service_by_channel() == []
    assert contact_counts(scope=scope, slice=MARCH, self_service_task=False) == [total(5)]


def _period_of(day: dt.date, period: str | None) -> dt.date | None:
    match period:
        case "day":
            return day
        case "week":
            return day - dt.timedelta(days=day.weekday())
        case "month":
            return day.replace(day=1)
        case "quarter":
            return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        case "year":
            return day.replace(month=1, day=1)
    return None


def _counted_from_contacts(piece: Slice, by: tuple[str, ...], period: str | None) -> list[CountRow]:
    """The oracle: contact_counts's rows summed from the register's rows in Python."""
    from indgang.contacts.models import Contact

    columns = {"department": "department_id", "unit": "unit_id", "task": "task_id"}
    sums: dict[tuple[Any, ...], list[int]] = {}
    for contact in Contact.objects.filter(received_on__range=(piece.start, piece.end)):
        if any(
            value is not None and getattr(contact, column) != value
            for column, value in (
                ("department_id", piece.department_id),
                ("unit_id", piece.unit_id),
                ("task_id", piece.task_id),
            )
        ):
            continue
        key = (
            _period_of(contact.received_on, period),
            *(getattr(contact, columns.get(name, name)) or 0 for name in by),
        )
        total_ = sums.setdefault(key, [0, 0, 0, 0])
        total_[0] += 1
        if contact.duration_seconds is not None:
            total_[2] += contact.duration_seconds
            total_[3] += 1
    if not by and period is None:
        return [CountRow(None, None, None, None, None, None, None, *sums.get((None,), [0] * 4))]
    rows = []
    for key, (contacts, with_knowledge, duration, timed) in sorted(sums.items()):
        group: dict[str, Any] = dict(zip(by, key[1:], strict=True))
        rows.append(
            CountRow(
                key[0],
                group.get("channel"),
                group.get("direction"),
                group.get("outcome"),
                group.get("department"),
                group.get("unit"),
                group.get("task"),
                contacts,
                with_knowledge,
                duration,
                timed,
            )
        )
    return rows


def test_whole_months_and_edge_days_sum_to_the_register_for_any_slice(
    register: RegisterContact, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    """Every period, cut on month boundaries or not, by any period and grouping, gives what
    the register gives: the month grains and the edge days add up exactly."""
    units = [org.contact_centre, org.building_unit, org.benefits_unit]
    task_list = list(tasks.values())
    channels = [Channel.PHONE, Channel.EMAIL, Channel.SELFSERVICE]
    for index, day in enumerate(range(0, 140, 3)):
        register(
            received_at=dt.datetime(2026, 1, 10, 11, tzinfo=DK) + dt.timedelta(days=day),
            channel=channels[index % 3],
            unit=units[index % 3],
            task=task_list[index % len(task_list)] if index % 4 else None,
            duration_seconds=index * 10 if index % 2 else None,
        )
    scope = get_scope(user=staff.admin)
    periods = [
        (dt.date(2026, 1, 1), dt.date(2026, 5, 31)),  # whole months only
        (dt.date(2026, 1, 15), dt.date(2026, 4, 10)),  # edge days on both sides
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),  # one whole month
        (dt.date(2026, 2, 3), dt.date(2026, 2, 20)),  # within a month
        (dt.date(2026, 1, 31), dt.date(2026, 3, 1)),  # a day each side of a month
        (dt.date(2026, 3, 1), dt.date(2026, 5, 20)),  # edge days after only
    ]
    pieces = [
        {},
        {"task_id": task_list[0].pk},
        {"unit_id": org.building_unit.pk},
        {"department_id": org.frontline_dept.pk},
    ]
    for start, end in periods:
        for filters in pieces:
            piece = Slice(start, end, **filters)
            for period in (None, "day", "week", "month", "quarter", "year"):
                for by in ((), ("channel",), ("unit", "task")):
                    rows = contact_counts(scope=scope, slice=piece, by=by, period=period)  # type: ignore[arg-type]
                    expected = _counted_from_contacts(piece, by, period)
                    assert rows == expected, (piece, period, by)
