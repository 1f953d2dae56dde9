"""Unit-cost tables (administrators edit, managers read) and the cost of a slice's contacts per
channel, task or unit, with the what-if of moving a share of one channel to another.

Counts come from `selectors.contact_counts`; the arithmetic is costs.py's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.statistics.costs import ChannelCosts, channel_costs, get_preset, move_share, saving
from indgang.statistics.models import UnitCost, UnitCostTable
from indgang.statistics.selectors import (
    CountRow,
    Dimension,
    Slice,
    contact_counts,
    statistics_scope,
)

CostDimension = Literal["channel", "task", "unit"]


class UnitCostsRefused(PermissionDenied):
    pass


def _check_administrator(scope: Scope) -> None:
    if not scope.sees_all:
        raise UnitCostsRefused(_("Only administrators may change the unit-cost tables."))


# --- tables: writes ----------------------------------------------------------------------


@transaction.atomic
def create_unit_cost_table(
    *, scope: Scope, name: str, costs: Mapping[str, Decimal], source: str = ""
) -> UnitCostTable:
    """Create a table with these kroner per channel (not in use)."""
    _check_administrator(scope)
    name = name.strip()
    if not name:
        raise ValidationError(_("The table needs a name."))
    if UnitCostTable.objects.filter(name=name).exists():
        raise ValidationError(_("A unit-cost table named %(name)r exists.") % {"name": name})
    table = UnitCostTable.objects.create(name=name, source=source)
    set_unit_costs(scope=scope, table=table, costs=costs)
    return table


def create_unit_cost_table_from_preset(
    *, scope: Scope, preset: str, name: str = ""
) -> UnitCostTable:
    """Create a table from one of costs.PRESETS, named after it unless a name is given."""
    return create_unit_cost_table(
        scope=scope,
        name=name or preset,
        costs=get_preset(preset),
        source=_("Preset %(preset)s") % {"preset": preset},
    )


@transaction.atomic
def set_unit_costs(
    *, scope: Scope, table: UnitCostTable, costs: Mapping[str, Decimal | None]
) -> None:
    """Set the table's kroner per channel; None removes a channel's cost."""
    _check_administrator(scope)
    for channel, kroner in costs.items():
        if channel not in Channel.values:
            raise ValidationError(_("Unknown channel %(channel)r.") % {"channel": channel})
        if kroner is None:
            UnitCost.objects.filter(table=table, channel=channel).delete()
            continue
        if not kroner.is_finite() or kroner < 0 or kroner >= Decimal(10_000_000):
            raise ValidationError(
                _("The unit cost of channel %(channel)r must be from 0 to 9,999,999.99 kroner.")
                % {"channel": channel}
            )
        UnitCost.objects.update_or_create(table=table, channel=channel, defaults={"kroner": kroner})


@transaction.atomic
def put_unit_cost_table_in_use(*, scope: Scope, table: UnitCostTable) -> None:
    """Make this the table every cost report prices with."""
    _check_administrator(scope)
    UnitCostTable.objects.filter(in_use=True).exclude(pk=table.pk).update(in_use=False)
    try:
        with transaction.atomic():
            UnitCostTable.objects.filter(pk=table.pk).update(in_use=True)
    except IntegrityError as error:  # another administrator chose another table meanwhile
        raise ValidationError(_("Another table was put in use meanwhile; try again.")) from error
    table.in_use = True


# --- tables: reads -------------------------------------------------------------------------


def list_unit_cost_tables(*, scope: Scope) -> list[UnitCostTable]:
    """Every table with its costs; managers and administrators (statistics_scope refuses others)."""
    statistics_scope(scope)
    return list(UnitCostTable.objects.prefetch_related("costs"))


def get_unit_cost_table(*, scope: Scope, table_id: int | None = None) -> UnitCostTable:
    """The table with this id, or the one in use; ValidationError if there is none."""
    statistics_scope(scope)
    tables = UnitCostTable.objects.prefetch_related("costs")
    table = (
        tables.filter(in_use=True).first()
        if table_id is None
        else tables.filter(pk=table_id).first()
    )
    if table is None:
        raise ValidationError(
            _("No unit-cost table is in use.")
            if table_id is None
            else _("No unit-cost table has the id %(id)d.") % {"id": table_id}
        )
    return table


def unit_costs_of(table: UnitCostTable) -> dict[str, Decimal]:
    """The table's kroner per channel (its costs prefetched or not)."""
    return {cost.channel: cost.kroner for cost in table.costs.all()}


# --- cost of a slice -------------------------------------------------------------------------


@dataclass(frozen=True)
class CostRow:
    """The cost of one task's, unit's or channel's contacts. Channels the table has no price for
    are counted in `unpriced`, not in `costs`."""

    key: int | str  # task or unit id (0: none), or channel code
    label: str
    costs: ChannelCosts
    unpriced: int


def _cost_row(
    *, key: int | str, label: str, counts: Mapping[str, int], unit_costs: Mapping[str, Decimal]
) -> CostRow:
    priced = {channel: n for channel, n in counts.items() if channel in unit_costs}
    return CostRow(
        key=key,
        label=label,
        costs=channel_costs(counts=priced, unit_costs=unit_costs),
        unpriced=sum(n for channel, n in counts.items() if channel not in unit_costs),
    )


def channel_counts(*, scope: Scope, slice: Slice) -> dict[str, int]:
    """Contacts per channel in the slice, both directions: each costs the municipality."""
    return channel_totals(contact_counts(scope=scope, slice=slice, by=["channel"]))


def channel_totals(rows: Iterable[CountRow]) -> dict[str, int]:
    """The rows' contacts per channel, by channel code (as the selector orders them), whatever
    else they are grouped by (a page that has them by period need not read them again)."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.channel or ""] += row.contacts
    return dict(sorted(counts.items()))


def _labels(dimension: CostDimension, keys: set[int]) -> dict[int, str]:
    if dimension == "task":
        return dict(Task.objects.filter(pk__in=keys).values_list("pk", "title"))
    return {
        unit.pk: str(unit) for unit in Unit.objects.filter(pk__in=keys).select_related("department")
    }


def list_costs(
    *, scope: Scope, slice: Slice, unit_costs: Mapping[str, Decimal], by: CostDimension
) -> list[CostRow]:
    """The cost of the slice's contacts per channel, task or unit (most expensive first for
    tasks and units; channels in the register's order). A row without a task or unit has key 0."""
    if by == "channel":
        counts = channel_counts(scope=scope, slice=slice)
        return [
            _cost_row(
                key=channel,
                label=str(Channel(channel).label),
                counts={channel: counts[channel]},
                unit_costs=unit_costs,
            )
            for channel in Channel.values
            if channel in counts
        ]
    per_key: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    dimensions: tuple[Dimension, ...] = (by, "channel")
    for row in contact_counts(scope=scope, slice=slice, by=dimensions):
        key = (row.task_id if by == "task" else row.unit_id) or 0
        per_key[key][row.channel or ""] += row.contacts
    labels = _labels(by, set(per_key) - {0})
    rows = [
        _cost_row(
            key=key,
            label=labels.get(key) or (_("No task") if by == "task" else _("No unit")),
            counts=counts,
            unit_costs=unit_costs,
        )
        for key, counts in per_key.items()
    ]
    return sorted(rows, key=lambda row: (-row.costs.total, row.label))


@dataclass(frozen=True)
class WhatIf:
    source: str
    target: str | None  # None: the moved contacts are not made at all
    share: Decimal
    before: ChannelCosts
    after: ChannelCosts
    saving: Decimal  # kroner, before minus after
    unpriced: int  # contacts in channels the table has no price for, left out of both


def what_if(
    *,
    scope: Scope,
    slice: Slice,
    unit_costs: Mapping[str, Decimal],
    source: str,
    target: str | None,
    share: Decimal,
) -> WhatIf:
    """The saving if `share` of the slice's `source` contacts had come by `target` instead."""
    for channel in (source, target):
        if channel is not None and channel not in unit_costs:
            raise ValidationError(
                _("The unit-cost table has no price for channel %(channel)r.")
                % {"channel": channel}
            )
    counts = channel_counts(scope=scope, slice=slice)
    priced = {channel: n for channel, n in counts.items() if channel in unit_costs}
    # Both channels appear before and after, so the lines pair up.
    priced.setdefault(source, 0)
    if target is not None:
        priced.setdefault(target, 0)
    after = move_share(counts=priced, source=source, target=target, share=share)
    return WhatIf(
        source=source,
        target=target,
        share=share,
        before=channel_costs(counts=priced, unit_costs=unit_costs),
        after=channel_costs(counts=after, unit_costs=unit_costs),
        saving=saving(before=priced, after=after, unit_costs=unit_costs),
        unpriced=sum(counts.values()) - sum(priced.values()),
    )
