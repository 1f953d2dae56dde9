"""The dashboard's panels: each a chart (with its table) and a one-line reading, from the selectors.

Every number comes through `contact_counts` (and the goal and funnel selectors built on it), so a
panel shows only what the user's statistics scope allows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indgang.catalogue.constants import Channel
from indgang.organisation.selectors import Scope
from indgang.statistics.constants import Advice, GoalMetric
from indgang.statistics.costs import channel_costs
from indgang.statistics.funnels import AdviceRow, FunnelRow, advice_on, funnel_report
from indgang.statistics.goals import KpiRow, kpi_map, list_kpis, period_start, share
from indgang.statistics.plots import Chart, Goal, Kind, Series, Unit, format_number
from indgang.statistics.pricing import channel_totals, get_unit_cost_table, unit_costs_of
from indgang.statistics.selectors import CountRow, Dimension, Period, Slice, contact_counts

# The periods the dashboard offers; day and year are too fine and too coarse for a panel.
PANEL_PERIODS: tuple[Period, ...] = ("week", "month", "quarter")
# The funnels of the most used solutions only: a page of twenty funnels reads as none.
MAX_FUNNELS = 3
DEADLINE_METRICS = (
    GoalMetric.CALLBACKS_KEPT,
    GoalMetric.DEADLINES_KEPT,
    GoalMetric.SERVICEMAL_ON_TARGET,
)
BY_CHANNEL: tuple[Dimension, ...] = ("channel",)


@dataclass(frozen=True)
class Panel:
    """One panel; without charts it is a slot whose reading says what is missing."""

    key: str
    heading: str
    reading: str
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = ()  # lines listed under the reading (the advice, say)


# Periods ----------------------------------------------------------------------------------------


def _next_start(start: dt.date, period: Period) -> dt.date:
    if period == "day":
        return start + dt.timedelta(days=1)
    if period == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


def period_starts(start: dt.date, end: dt.date, period: Period) -> list[dt.date]:
    """The first day of every period that overlaps start..end, in order."""
    starts = []
    current = period_start(start, period)
    while current <= end:
        starts.append(current)
        current = _next_start(current, period)
    return starts


def period_label(start: dt.date, period: Period) -> str:
    """A period's short name: 'jan 2026', 'uge 5 2026', '1. kvt. 2026'."""
    if period == "week":
        year, week, _weekday = start.isocalendar()
        return _("week %(week)d %(year)d") % {"week": week, "year": year}
    if period == "month":
        return f"{MONTHS_3[start.month]} {start.year}"
    if period == "quarter":
        return _("Q%(quarter)d %(year)d") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    if period == "year":
        return str(start.year)
    return start.isoformat()


# Panels from contact counts ---------------------------------------------------------------------


def _by_period_and_channel(rows: Iterable[CountRow]) -> dict[dt.date, dict[str, int]]:
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        assert row.period is not None and row.channel is not None  # noqa: S101 - grouped by both
        counts[row.period][row.channel] += row.contacts
    return counts


def channel_mix(rows: Sequence[CountRow], *, starts: Sequence[dt.date], period: Period) -> Panel:
    """Contacts per channel and period, stacked; rows grouped by period and channel."""
    counts = _by_period_and_channel(rows)
    channels = [channel for channel in Channel.values if any(channel in c for c in counts.values())]
    total = sum(sum(c.values()) for c in counts.values())
    chart = Chart(
        key="channel-mix",
        kind=Kind.STACKED,
        title=_("Contacts per channel"),
        category_label=_("Period"),
        categories=tuple(period_label(start, period) for start in starts),
        series=tuple(
            Series(
                label=str(Channel(channel).label),
                values=tuple(counts.get(start, {}).get(channel, 0) for start in starts),
            )
            for channel in channels
        ),
    )
    if total == 0:
        return Panel("channel-mix", _("Channel mix"), _("No contacts in the period."), (chart,))
    per_channel = {channel: sum(c.get(channel, 0) for c in counts.values()) for channel in channels}
    largest = max(channels, key=lambda channel: per_channel[channel])
    reading = _(
        "%(total)s contacts in the period; the largest channel was %(channel)s with %(share)s."
    ) % {
        "total": format_number(total),
        "channel": str(Channel(largest).label).lower(),
        "share": format_number(percent(share(per_channel[largest], total)), Unit.PERCENT),
    }
    return Panel("channel-mix", _("Channel mix"), reading, (chart,))


def percent(fraction: float | Decimal | None) -> float | None:
    """A share from 0 to 1 in per cent, to one decimal."""
    return None if fraction is None else round(100 * float(fraction), 1)


def _goal(kpi: KpiRow) -> Goal | None:
    return None if kpi.goal is None else Goal(label=_("Goal"), value=float(100 * kpi.goal))


def _verdict(kpi: KpiRow) -> str:
    """' The goal of 50,0 % is (not) met.' or nothing without a goal or a value."""
    if kpi.met is None:
        return ""
    message = (
        _("The goal of %(goal)s is met.") if kpi.met else _("The goal of %(goal)s is not met.")
    )
    return " " + message % {"goal": format_number(percent(kpi.goal), Unit.PERCENT)}


def kpi_trend(
    kpi: KpiRow, *, key: str, heading: str, starts: Sequence[dt.date], period: Period
) -> Panel:
    """A KPI's share per period as a line, against its goal."""
    points = {point.period: point for point in kpi.trend}
    chart = Chart(
        key=key,
        kind=Kind.LINE,
        title=kpi.label,
        category_label=_("Period"),
        categories=tuple(period_label(start, period) for start in starts),
        series=(
            Series(
                label=kpi.label,
                values=tuple(
                    percent(points[start].value) if start in points else None for start in starts
                ),
            ),
        ),
        unit=Unit.PERCENT,
        goal=_goal(kpi),
    )
    if kpi.value is None:
        return Panel(key, heading, _("Nothing to count in the period."), (chart,))
    reading = _("%(numerator)s of %(denominator)s: %(share)s in the period.") % {
        "numerator": format_number(kpi.numerator),
        "denominator": format_number(kpi.denominator),
        "share": format_number(percent(kpi.value), Unit.PERCENT),
    }
    return Panel(key, heading, reading + _verdict(kpi), (chart,))


def kpis_against_goals(kpis: Sequence[KpiRow], *, key: str, title: str) -> Chart:
    """Each KPI's share beside its goal, as grouped bars."""
    return Chart(
        key=key,
        kind=Kind.GROUPED,
        title=title,
        category_label=_("Key figure"),
        categories=tuple(kpi.label for kpi in kpis),
        series=(
            Series(_("Result"), tuple(percent(kpi.value) for kpi in kpis)),
            Series(_("Goal"), tuple(percent(kpi.goal) for kpi in kpis)),
        ),
        unit=Unit.PERCENT,
    )


def deadlines_kept(kpis: Mapping[str, KpiRow]) -> Panel:
    """Call-backs and deadlines kept and servicemål on target, each against its goal."""
    heading = _("Deadlines kept and servicemål on target")
    shown = [kpis[metric] for metric in DEADLINE_METRICS if metric in kpis]
    if not shown:
        return Panel("deadlines", heading, _("Deadlines are not counted per task."))
    chart = kpis_against_goals(shown, key="deadlines", title=heading)
    counted = [kpi for kpi in shown if kpi.denominator]
    if not counted:
        return Panel("deadlines", heading, _("No deadlines or servicemål in the period."), (chart,))
    reading = "; ".join(
        _("%(label)s: %(numerator)s of %(denominator)s")
        % {
            "label": kpi.label,
            "numerator": format_number(kpi.numerator),
            "denominator": format_number(kpi.denominator),
        }
        for kpi in counted
    )
    return Panel("deadlines", heading, f"{reading}.", (chart,))


def cost_per_channel(
    counts: Mapping[str, int], *, unit_costs: Mapping[str, Decimal], source: str
) -> Panel:
    """What each channel's contacts cost at the unit costs; channels without a price are named."""
    priced = {channel: n for channel, n in counts.items() if channel in unit_costs}
    costs = channel_costs(counts=priced, unit_costs=unit_costs)
    lines = sorted(costs.lines, key=lambda line: line.cost, reverse=True)
    chart = Chart(
        key="cost-per-channel",
        kind=Kind.HBAR,
        title=_("Cost per channel"),
        category_label=_("Channel"),
        categories=tuple(str(Channel(line.channel).label) for line in lines),
        series=(Series(label=_("Cost"), values=tuple(line.cost for line in lines)),),
        unit=Unit.KRONER,
    )
    reading = _("The period's contacts cost %(total)s at the unit costs of %(source)s.") % {
        "total": format_number(costs.total, Unit.KRONER),
        "source": source,
    }
    unpriced = [
        channel for channel in Channel.values if channel in counts and channel not in unit_costs
    ]
    if unpriced:
        reading += " " + _("Not priced: %(channels)s.") % {
            "channels": ", ".join(str(Channel(channel).label).lower() for channel in unpriced)
        }
    return Panel("cost-per-channel", _("Cost per channel"), reading, (chart,))


def unit_costs_in_use(scope: Scope) -> tuple[dict[str, Decimal], str] | str:
    """The unit costs every cost report uses and the table's name, or why there are none."""
    try:
        table = get_unit_cost_table(scope=scope)
    except ValidationError as error:
        return " ".join(error.messages)
    return unit_costs_of(table), table.name


def cost_panel(scope: Scope, counts: Mapping[str, int]) -> Panel:
    costs = unit_costs_in_use(scope)
    if isinstance(costs, str):
        return Panel("cost-per-channel", _("Cost per channel"), costs)
    unit_costs, source = costs
    return cost_per_channel(counts, unit_costs=unit_costs, source=source)


def funnel_chart(funnel: FunnelRow) -> Chart:
    """A solution's attempts from start through its steps to completion."""
    return Chart(
        key=f"funnel-{funnel.solution_id}",
        kind=Kind.FUNNEL,
        title=funnel.name,
        category_label=_("Step"),
        categories=(_("Started"), *(step.step for step in funnel.steps), _("Completed")),
        series=(
            Series(
                _("Attempts"),
                (funnel.started, *(step.reached for step in funnel.steps), funnel.completed),
            ),
        ),
    )


def advice_notes(advice: Sequence[AdviceRow]) -> tuple[str, ...]:
    """'Byggetilladelse: Nedlæg. 12 transaktioner om året …' per piece of advice."""
    return tuple(f"{row.funnel.name}: {Advice(row.advice).label}. {row.reason}" for row in advice)


def funnels_panel(
    *,
    scope: Scope,
    slice: Slice,
    heading: str,
    key: str = "funnels",  # noqa: A002
) -> Panel:
    """The most used solutions' funnels and the advice on which to fix or retire."""
    funnels = funnel_report(
        scope=scope, start=slice.start, end=slice.end, department_id=slice.department_id
    )
    advice = advice_on(funnels)
    shown = sorted((f for f in funnels if f.started), key=lambda f: (-f.started, f.name))
    if not funnels:
        return Panel(key, heading, _("No self-service solutions are registered."))
    retire = sum(1 for row in advice if row.advice == Advice.RETIRE)
    reading = ngettext(
        "%(solutions)d self-service solution; %(retire)d to retire and %(fix)d to fix.",
        "%(solutions)d self-service solutions; %(retire)d to retire and %(fix)d to fix.",
        len(funnels),
    ) % {"solutions": len(funnels), "retire": retire, "fix": len(advice) - retire}
    return Panel(
        key,
        heading,
        reading,
        tuple(funnel_chart(funnel) for funnel in shown[:MAX_FUNNELS]),
        advice_notes(advice),
    )


def build_dashboard(
    *,
    scope: Scope,
    slice: Slice,  # noqa: A002 - the selectors' name
    period: Period,
    now: dt.datetime,
) -> list[Panel]:
    """Every panel of the dashboard for the slice, by period."""
    starts = period_starts(slice.start, slice.end, period)
    by_channel = contact_counts(scope=scope, slice=slice, by=BY_CHANNEL, period=period)
    kpis = kpi_map(list_kpis(scope=scope, slice=slice, period=period, now=now))
    return [
        channel_mix(by_channel, starts=starts, period=period),
        kpi_trend(
            kpis[GoalMetric.DIGITAL_SHARE],
            key="digital-share",
            heading=_("Digital share against the goal"),
            starts=starts,
            period=period,
        ),
        cost_panel(scope, channel_totals(by_channel)),
        funnels_panel(scope=scope, slice=slice, heading=_("Self-service funnels")),
        deadlines_kept(kpis),
        kpi_trend(
            kpis[GoalMetric.RESOLVED_AT_FIRST_CONTACT],
            key="first-contact",
            heading=_("First-contact resolution"),
            starts=starts,
            period=period,
        ),
    ]
