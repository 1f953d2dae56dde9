"""Filters for the statistics pages: shares as percentages, kroner, the what-if's lines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from indgang.catalogue.constants import Channel
from indgang.statistics.costs import ChannelCosts, CostLine
from indgang.statistics.forms import UnitCostsForm
from indgang.statistics.models import UnitCostTable
from indgang.statistics.pricing import WhatIf, unit_costs_of

register = template.Library()


@register.filter
def percent(value: float | Decimal | None) -> str:
    """A share as a percentage with one decimal ("52,3 %"); a dash for none."""
    if value is None:
        return "–"
    return f"{number_format(Decimal(str(value)) * 100, decimal_pos=1)} %"


@register.filter
def kroner(value: Decimal) -> str:
    """Whole kroner with thousands separators ("1.234.567")."""
    return number_format(
        value.quantize(Decimal(1), rounding=ROUND_HALF_UP), decimal_pos=0, force_grouping=True
    )


@register.filter
def channel_label(code: str) -> str:
    return str(Channel(code).label)


@register.filter
def contacts(costs: ChannelCosts) -> int:
    return sum(line.count for line in costs.lines)


@register.filter
def line_pairs(result: WhatIf) -> list[tuple[CostLine, CostLine]]:
    """The channels' lines before and after, side by side."""
    after = {line.channel: line for line in result.after.lines}
    return [(line, after[line.channel]) for line in result.before.lines]


@register.filter
def unit_costs_form(table: UnitCostTable) -> UnitCostsForm:
    """The edit form of a table, filled with its kroner."""
    return UnitCostsForm(initial=unit_costs_of(table), prefix=None)
