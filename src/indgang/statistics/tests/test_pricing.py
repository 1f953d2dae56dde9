"""Unit-cost tables (administrators edit, managers read) and the cost of a slice per channel,
task and unit, with the what-if: prices from the table, counts from the rollups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.constants import Direction
from indgang.organisation.selectors import get_scope
from indgang.statistics.costs import PRESETS, ChannelCosts, CostLine
from indgang.statistics.models import UnitCostTable
from indgang.statistics.pricing import (
    UnitCostsRefused,
    create_unit_cost_table_from_preset,
    get_unit_cost_table,
    list_costs,
    list_unit_cost_tables,
    put_unit_cost_table_in_use,
    set_unit_costs,
    unit_costs_of,
    what_if,
)
from indgang.statistics.selectors import Slice, StatisticsRefused

# The seeded goals and unit-cost tables: a transactional test that ran before may have flushed them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_data")]
DK = ZoneInfo("Europe/Copenhagen")
MARCH = Slice(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
KL_2011 = PRESETS["kl-2011"]


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 10, tzinfo=DK)


def test_each_preset_is_seeded_as_a_table_and_kl_2011_is_in_use(staff: Staff) -> None:
    tables = list_unit_cost_tables(scope=get_scope(user=staff.manager))
    assert [(table.name, table.in_use) for table in tables] == sorted(
        (name, name == "kl-2011") for name in PRESETS
    )
    in_use = get_unit_cost_table(scope=get_scope(user=staff.manager))
    assert unit_costs_of(in_use) == KL_2011


def test_administrators_create_edit_and_choose_tables(staff: Staff) -> None:
    admin = get_scope(user=staff.admin)
    table = create_unit_cost_table_from_preset(scope=admin, preset="cbs-2011", name="Egne priser")
    assert unit_costs_of(table) == PRESETS["cbs-2011"]
    set_unit_costs(
        scope=admin, table=table, costs={Channel.CHAT: Decimal("30.50"), Channel.LETTER: None}
    )
    assert unit_costs_of(table) == {
        **{channel: kr for channel, kr in PRESETS["cbs-2011"].items() if channel != "letter"},
        Channel.CHAT: Decimal("30.50"),
    }
    put_unit_cost_table_in_use(scope=admin, table=table)
    assert list(UnitCostTable.objects.filter(in_use=True).values_list("name", flat=True)) == [
        "Egne priser"
    ]
    with pytest.raises(ValidationError):
        set_unit_costs(scope=admin, table=table, costs={Channel.PHONE: Decimal(-1)})
    with pytest.raises(ValidationError):
        create_unit_cost_table_from_preset(scope=admin, preset="cbs-2011", name="Egne priser")
    assert unit_costs_of(table)[Channel.PHONE] == Decimal(60)


def test_managers_may_not_change_tables(staff: Staff) -> None:
    manager = get_scope(user=staff.manager)
    table = UnitCostTable.objects.get(name="kl-2011")
    with pytest.raises(UnitCostsRefused):
        create_unit_cost_table_from_preset(scope=manager, preset="kmd")
    with pytest.raises(UnitCostsRefused):
        set_unit_costs(scope=manager, table=table, costs={Channel.PHONE: Decimal(1)})
    with pytest.raises(UnitCostsRefused):
        put_unit_cost_table_in_use(scope=manager, table=UnitCostTable.objects.get(name="kmd"))
    assert UnitCostTable.objects.count() == len(PRESETS)
    assert unit_costs_of(table) == KL_2011
    with pytest.raises(StatisticsRefused):
        list_unit_cost_tables(scope=get_scope(user=staff.caseworker))


@pytest.fixture
def march(register: RegisterContact, staff: Staff, tasks: dict[str, Task]) -> None:
    """4 calls (one outbound, 2 on heating), 2 e-mails on groundwater (by benefits), a
    self-service application on heating and a chat, which kl-2011 has no price for."""
    heating = tasks["heating"]
    register(received_at=at(2), channel=Channel.PHONE, task=heating)
    register(received_at=at(3), channel=Channel.PHONE, task=heating)
    register(received_at=at(4), channel=Channel.PHONE)
    register(received_at=at(4), channel=Channel.PHONE, direction=Direction.OUTBOUND)
    for day in (5, 6):
        register(
            received_at=at(day),
            channel=Channel.EMAIL,
            task=tasks["groundwater"],
            by=staff.other_caseworker,
        )
    register(received_at=at(9), channel=Channel.SELFSERVICE, task=heating)
    register(received_at=at(10), channel=Channel.CHAT)


def line(channel: str, count: int) -> CostLine:
    return CostLine(channel, count, KL_2011[channel], count * KL_2011[channel])


@pytest.mark.usefixtures("march")
def test_cost_per_channel_task_and_unit(staff: Staff, tasks: dict[str, Task], org: Org) -> None:
    admin = get_scope(user=staff.admin)
    by_channel = list_costs(scope=admin, slice=MARCH, unit_costs=KL_2011, by="channel")
    assert [(row.key, row.costs.total, row.unpriced) for row in by_channel] == [
        ("phone", Decimal(160), 0),
        ("email", Decimal(110), 0),
        ("selfservice", Decimal(5), 0),
        ("chat", Decimal(0), 1),
    ]
    by_task = list_costs(scope=admin, slice=MARCH, unit_costs=KL_2011, by="task")
    assert [(row.label, row.costs, row.unpriced) for row in by_task] == [
        (
            "Bortledning af grundvand",
            ChannelCosts([line("email", 2)], Decimal(110)),
            0,
        ),
        (
            "Tilslutning til fjernvarme",
            ChannelCosts([line("phone", 2), line("selfservice", 1)], Decimal(85)),
            0,
        ),
        ("Ingen opgave", ChannelCosts([line("phone", 2)], Decimal(80)), 1),
    ]
    assert [row.key for row in by_task] == [tasks["groundwater"].pk, tasks["heating"].pk, 0]
    by_unit = list_costs(scope=admin, slice=MARCH, unit_costs=KL_2011, by="unit")
    assert [(row.key, row.costs.total, row.unpriced) for row in by_unit] == [
        (org.contact_centre.pk, Decimal(165), 1),
        (org.benefits_unit.pk, Decimal(110), 0),
    ]


@pytest.mark.usefixtures("march")
def test_what_if_closing_e_mail_and_halving_calls(staff: Staff) -> None:
    admin = get_scope(user=staff.admin)
    closed = what_if(
        scope=admin,
        slice=MARCH,
        unit_costs=KL_2011,
        source=Channel.EMAIL,
        target=Channel.SELFSERVICE,
        share=Decimal(1),
    )
    assert (closed.before.total, closed.after.total, closed.saving, closed.unpriced) == (
        Decimal(275),
        Decimal(175),
        Decimal(100),
        1,
    )
    assert closed.after.lines == [line("phone", 4), line("email", 0), line("selfservice", 3)]
    halved = what_if(
        scope=admin,
        slice=MARCH,
        unit_costs=KL_2011,
        source=Channel.PHONE,
        target=None,
        share=Decimal("0.5"),
    )
    assert halved.saving == Decimal(80)
    with pytest.raises(ValidationError):
        what_if(
            scope=admin,
            slice=MARCH,
            unit_costs=KL_2011,
            source=Channel.CHAT,
            target=Channel.SELFSERVICE,
            share=Decimal(1),
        )
