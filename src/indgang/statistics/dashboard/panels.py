"""The dashboard's panels: each a chart (with its table) and a one-line reading, from the selectors.

Every number comes through `contact_counts` (and the goal and funnel selectors built on it), so a
panel shows only what the user's statistics scope allows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from indgang.contacts.constants import Channel, Direction, Outcome
from indgang.organisation.selectors import Scope
from indgang.statistics.constants import DIGITAL_CHANNELS
from indgang.statistics.costs import channel_costs, get_preset
from indgang.statistics.plots import Chart, Goal, Kind, Series, Unit, format_number
from indgang.statistics.selectors import CountRow, Dimension, Period, Slice, contact_counts

# The periods the dashboard offers; day and year are too fine and too coarse for a panel.
PANEL_PERIODS: tuple[Period, ...] = ("week", "month", "quarter")
# Albertslund's channel strategy (seed 002) prices its channels with KL's 2011 figures.
DEFAULT_PRESET = "kl-2011"
BY_CHANNEL: tuple[Dimension, ...] = ("channel",)
BY_OUTCOME: tuple[Dimension, ...] = ("direction", "outcome")


@dataclass(frozen=True)
class Panel:
    """One panel; without charts it is a slot whose reading says what is missing."""

    key: str
    heading: str
    reading: str
    charts: tuple[Chart, ...] = ()


# Periods ----------------------------------------------------------------------------------------


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the period `day` falls in (ISO weeks start on Monday)."""
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


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


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


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
        "share": format_number(_share(per_channel[largest], total), Unit.PERCENT),
    }
    return Panel("channel-mix", _("Channel mix"), reading, (chart,))


def digital_share(
    rows: Sequence[CountRow],
    *,
    starts: Sequence[dt.date],
    period: Period,
    goal_percent: float | None,
) -> Panel:
    """The digital channels' share of each period's contacts, against the goal if one is set."""
    counts = _by_period_and_channel(rows)
    shares = []
    for start in starts:
        channels = counts.get(start, {})
        digital = sum(n for channel, n in channels.items() if channel in DIGITAL_CHANNELS)
        shares.append(_share(digital, sum(channels.values())))
    chart = Chart(
        key="digital-share",
        kind=Kind.LINE,
        title=_("Digital share of contacts"),
        category_label=_("Period"),
        categories=tuple(period_label(start, period) for start in starts),
        series=(Series(label=_("Digital share"), values=tuple(shares)),),
        unit=Unit.PERCENT,
        goal=None if goal_percent is None else Goal(label=_("Goal"), value=goal_percent),
    )
    known = [
        (start, share) for start, share in zip(starts, shares, strict=True) if share is not None
    ]
    if not known:
        reading = _("No contacts in the period.")
    else:
        (_first, first), (last_start, last) = known[0], known[-1]
        reading = _(
            "The digital share was %(last)s in %(period)s (%(first)s in the first period)."
        ) % {
            "last": format_number(last, Unit.PERCENT),
            "period": period_label(last_start, period),
            "first": format_number(first, Unit.PERCENT),
        }
        if goal_percent is not None:
            reading += " " + (
                _("The goal of %(goal)s is met.")
                if last >= goal_percent
                else _("The goal of %(goal)s is not met.")
            ) % {"goal": format_number(goal_percent, Unit.PERCENT)}
    return Panel("digital-share", _("Digital share against the goal"), reading, (chart,))


def first_contact_resolution(
    rows: Sequence[CountRow], *, starts: Sequence[dt.date], period: Period
) -> Panel:
    """Inbound contacts resolved at first contact, as a share of inbound contacts with an outcome;
    rows grouped by period, direction and outcome."""
    resolved: dict[dt.date, int] = defaultdict(int)
    decided: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        if row.direction != Direction.INBOUND or not row.outcome or row.period is None:
            continue
        decided[row.period] += row.contacts
        if row.outcome == Outcome.RESOLVED_AT_FIRST_CONTACT:
            resolved[row.period] += row.contacts
    shares = tuple(_share(resolved[start], decided[start]) for start in starts)
    chart = Chart(
        key="first-contact",
        kind=Kind.LINE,
        title=_("Resolved at first contact"),
        category_label=_("Period"),
        categories=tuple(period_label(start, period) for start in starts),
        series=(Series(label=_("Share resolved at first contact"), values=shares),),
        unit=Unit.PERCENT,
    )
    total_decided = sum(decided.values())
    if total_decided == 0:
        reading = _("No inbound contacts with an outcome in the period.")
    else:
        reading = _(
            "%(resolved)s of %(decided)s inbound contacts (%(share)s) were resolved at first "
            "contact."
        ) % {
            "resolved": format_number(sum(resolved.values())),
            "decided": format_number(total_decided),
            "share": format_number(_share(sum(resolved.values()), total_decided), Unit.PERCENT),
        }
    return Panel("first-contact", _("First-contact resolution"), reading, (chart,))


def pending(key: str, heading: str) -> Panel:
    """A slot for a panel whose figures are not available yet."""
    return Panel(key, heading, _("Not available yet."))


def cost_per_channel(
    counts: dict[str, int], *, unit_costs: dict[str, Decimal], source: str
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
    unpriced = sorted(set(counts) - set(unit_costs), key=Channel.values.index)
    if unpriced:
        reading += " " + _("Not priced: %(channels)s.") % {
            "channels": ", ".join(str(Channel(channel).label).lower() for channel in unpriced)
        }
    return Panel("cost-per-channel", _("Cost per channel"), reading, (chart,))


def channel_totals(rows: Iterable[CountRow]) -> dict[str, int]:
    """Contacts per channel over rows grouped by channel (and perhaps more)."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        assert row.channel is not None  # noqa: S101 - grouped by channel
        totals[row.channel] += row.contacts
    return dict(totals)


def build_dashboard(*, scope: Scope, slice: Slice, period: Period) -> list[Panel]:  # noqa: A002
    """Every panel of the dashboard for the slice, by period."""
    starts = period_starts(slice.start, slice.end, period)
    by_channel = contact_counts(scope=scope, slice=slice, by=BY_CHANNEL, period=period)
    by_outcome = contact_counts(scope=scope, slice=slice, by=BY_OUTCOME, period=period)
    return [
        channel_mix(by_channel, starts=starts, period=period),
        digital_share(by_channel, starts=starts, period=period, goal_percent=None),
        cost_per_channel(
            channel_totals(by_channel),
            unit_costs=dict(get_preset(DEFAULT_PRESET)),
            source=DEFAULT_PRESET,
        ),
        pending("funnels", _("Self-service funnels")),
        pending("deadlines", _("Deadlines kept and servicemål on target")),
        first_contact_resolution(by_outcome, starts=starts, period=period),
    ]
