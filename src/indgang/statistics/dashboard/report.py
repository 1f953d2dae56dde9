"""The half-yearly status report of a department (Albertslund's strategy asks for "en status hvert
halve år"): the same panels as the dashboard, for one department and half-year, with the trend
against the half-year before and the what-if of the strategy's next step."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel
from indgang.organisation.models import Department
from indgang.organisation.selectors import Scope
from indgang.statistics.constants import GoalMetric
from indgang.statistics.dashboard.panels import (
    BY_CHANNEL,
    Panel,
    channel_mix,
    cost_panel,
    deadlines_kept,
    funnels_panel,
    kpis_against_goals,
    percent,
    period_starts,
    unit_costs_in_use,
)
from indgang.statistics.goals import KpiRow, kpi_map, list_kpis
from indgang.statistics.plots import Chart, Kind, Series, Unit, format_number
from indgang.statistics.pricing import channel_counts, what_if
from indgang.statistics.selectors import Slice, contact_counts


@dataclass(frozen=True)
class StatusReport:
    department: Department
    year: int
    half: int
    start: dt.date
    end: dt.date
    sections: tuple[Panel, ...]

    @property
    def title(self) -> str:
        return _("Status report for %(department)s, %(half)s %(year)d") % {
            "department": self.department.name,
            "half": self.half_name,
            "year": self.year,
        }

    @property
    def half_name(self) -> str:
        return _("first half") if self.half == 1 else _("second half")

    @property
    def file_name(self) -> str:
        return f"statusrapport-{self.department.abbreviation.lower()}-{self.year}-{self.half}"


def half_year(year: int, half: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a half-year (1: January–June, 2: July–December)."""
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def previous_half(year: int, half: int) -> tuple[int, int]:
    return (year, 1) if half == 2 else (year - 1, 2)


def build_status_report(
    *, scope: Scope, department: Department, year: int, half: int, now: dt.datetime
) -> StatusReport:
    """The report's sections; refused (StatisticsRefused) outside the user's statistics scope."""
    start, end = half_year(year, half)
    this = Slice(start=start, end=end, department_id=department.pk)
    before = Slice(*half_year(*previous_half(year, half)), department_id=department.pk)
    by_month = contact_counts(scope=scope, slice=this, by=BY_CHANNEL, period="month")
    counts = channel_counts(scope=scope, slice=this)
    mix = channel_mix(by_month, starts=period_starts(start, end, "month"), period="month")
    kpis = kpi_map(list_kpis(scope=scope, slice=this, period="month", now=now))
    kpis_before = kpi_map(list_kpis(scope=scope, slice=before, period="year", now=now))
    trend = _trend(
        counts,
        channel_counts(scope=scope, slice=before),
        digital=kpis[GoalMetric.DIGITAL_SHARE],
        digital_before=kpis_before[GoalMetric.DIGITAL_SHARE],
    )
    cost = cost_panel(scope, counts)
    return StatusReport(
        department=department,
        year=year,
        half=half,
        start=start,
        end=end,
        sections=(
            Panel(
                "channels",
                _("Channel mix and trend"),
                f"{mix.reading} {trend.reading}",
                (*mix.charts, *trend.charts),
            ),
            _goals(kpis.values()),
            replace(
                cost,
                key="cost",
                heading=_("Cost and the strategy's next step"),
                reading=f"{cost.reading} {_next_step(scope, this, kpis[GoalMetric.DIGITAL_SHARE])}",
            ),
            funnels_panel(
                scope=scope, slice=this, heading=_("Self-service solutions to fix or retire")
            ),
            replace(deadlines_kept(kpis), heading=_("Deadlines and servicemål")),
        ),
    )


def _trend(
    counts: Mapping[str, int],
    before: Mapping[str, int],
    *,
    digital: KpiRow,
    digital_before: KpiRow,
) -> Panel:
    """This half-year's contacts per channel beside the half-year before's, and the digital
    share (the goals' KPI: of inbound contacts) in each."""
    channels = [c for c in Channel.values if c in counts or c in before]
    chart = Chart(
        key="channel-trend",
        kind=Kind.GROUPED,
        title=_("Contacts per channel, this and the previous half-year"),
        category_label=_("Channel"),
        categories=tuple(str(Channel(channel).label) for channel in channels),
        series=(
            Series(_("Previous half-year"), tuple(before.get(c, 0) for c in channels)),
            Series(_("This half-year"), tuple(counts.get(c, 0) for c in channels)),
        ),
    )
    reading = _(
        "The previous half-year had %(before)s contacts; the digital share went from "
        "%(digital_before)s to %(digital)s."
    ) % {
        "before": format_number(sum(before.values())),
        "digital_before": format_number(percent(digital_before.value), Unit.PERCENT),
        "digital": format_number(percent(digital.value), Unit.PERCENT),
    }
    return Panel("channel-trend", "", reading, (chart,))


def _goals(kpis: Iterable[KpiRow]) -> Panel:
    """Every KPI with a goal: met or missed."""
    heading = _("Goals met and missed")
    judged = [kpi for kpi in kpis if kpi.goal is not None]
    if not judged:
        return Panel("goals", heading, _("No goals are set."))
    counted = [kpi for kpi in judged if kpi.met is not None]
    missed = [kpi.label for kpi in counted if not kpi.met]
    reading = _("%(met)d of %(count)d goals with figures met.") % {
        "met": len(counted) - len(missed),
        "count": len(counted),
    }
    if missed:
        reading += " " + _("Missed: %(missed)s.") % {"missed": ", ".join(missed)}
    chart = kpis_against_goals(judged, key="goals", title=heading)
    return Panel("goals", heading, reading, (chart,))


def _next_step(scope: Scope, slice: Slice, digital: KpiRow) -> str:  # noqa: A002
    """What reaching the digital goal would save: the calls that would have to move to
    self-service for the inbound contacts' digital share to reach it, at the unit costs."""
    if digital.goal is None:
        return _("No digital goal is set.")
    goal = format_number(100 * float(digital.goal), Unit.PERCENT)
    needed = max(0, math.ceil(digital.denominator * digital.goal) - digital.numerator)
    if needed == 0:
        return _("The digital goal of %(goal)s is reached.") % {"goal": goal}
    costs = unit_costs_in_use(scope)
    calls = channel_counts(scope=scope, slice=slice).get(Channel.PHONE, 0)
    moved = min(needed, calls)
    if isinstance(costs, str) or moved == 0:
        return _("The next step is a digital share of %(goal)s.") % {"goal": goal}
    try:
        result = what_if(
            scope=scope,
            slice=slice,
            unit_costs=costs[0],
            source=Channel.PHONE,
            target=Channel.SELFSERVICE,
            share=Decimal(moved) / Decimal(calls),
        )
    except ValidationError as error:  # the table has no price for calls or self-service
        return " ".join(error.messages)
    return _(
        "Next step, a digital share of %(goal)s: moving %(moved)s calls to self-service would "
        "save %(saving)s a half-year."
    ) % {
        "goal": goal,
        "moved": format_number(moved),
        "saving": format_number(result.saving, Unit.KRONER),
    }
