"""The half-yearly status report of a department (Albertslund's strategy asks for "en status hvert
halve år"): the same panels as the dashboard, for one department and half-year, with the trend
against the half-year before and the what-if of the strategy's next step."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from indgang.contacts.constants import Channel
from indgang.organisation.models import Department
from indgang.organisation.selectors import Scope
from indgang.statistics.constants import DIGITAL_CHANNELS
from indgang.statistics.costs import get_preset, move_share, saving
from indgang.statistics.dashboard.panels import (
    BY_CHANNEL,
    DEFAULT_PRESET,
    Panel,
    channel_mix,
    channel_totals,
    cost_per_channel,
    pending,
    period_starts,
)
from indgang.statistics.plots import Chart, Kind, Series, Unit, format_number
from indgang.statistics.selectors import Slice, contact_counts

# Seed 002: "Mål: I 2015 er min. 50% af alle henvendelser fra borgerne digitale."
DIGITAL_GOAL_PERCENT = 50


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
    *, scope: Scope, department: Department, year: int, half: int
) -> StatusReport:
    """The report's sections; refused (StatisticsRefused) outside the user's statistics scope."""
    start, end = half_year(year, half)
    this = Slice(start=start, end=end, department_id=department.pk)
    before = Slice(*half_year(*previous_half(year, half)), department_id=department.pk)
    by_month = contact_counts(scope=scope, slice=this, by=BY_CHANNEL, period="month")
    counts = channel_totals(by_month)
    counts_before = channel_totals(contact_counts(scope=scope, slice=before, by=BY_CHANNEL))
    mix = channel_mix(by_month, starts=period_starts(start, end, "month"), period="month")
    trend = _trend(counts, counts_before)
    unit_costs = dict(get_preset(DEFAULT_PRESET))
    cost = cost_per_channel(counts, unit_costs=unit_costs, source=DEFAULT_PRESET)
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
            pending("goals", _("Goals met and missed")),
            replace(
                cost,
                key="cost",
                heading=_("Cost and the strategy's next step"),
                reading=f"{cost.reading} {_next_step(counts, unit_costs)}",
            ),
            pending("funnels", _("Self-service solutions to fix or retire")),
            pending("deadlines", _("Deadlines and servicemål")),
        ),
    )


def _digital_percent(counts: dict[str, int]) -> float | None:
    total = sum(counts.values())
    digital = sum(n for channel, n in counts.items() if channel in DIGITAL_CHANNELS)
    return None if total == 0 else round(100 * digital / total, 1)


def _trend(counts: dict[str, int], before: dict[str, int]) -> Panel:
    """This half-year's contacts per channel beside the half-year before's."""
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
        "digital_before": format_number(_digital_percent(before), Unit.PERCENT),
        "digital": format_number(_digital_percent(counts), Unit.PERCENT),
    }
    return Panel("channel-trend", "", reading, (chart,))


def _next_step(counts: dict[str, int], unit_costs: dict[str, Decimal]) -> str:
    """What reaching the digital goal would save: the calls that would have to move to
    self-service, priced at the unit costs."""
    total = sum(counts.values())
    digital = sum(n for channel, n in counts.items() if channel in DIGITAL_CHANNELS)
    needed = max(0, math.ceil(total * DIGITAL_GOAL_PERCENT / 100) - digital)
    phone = counts.get(Channel.PHONE, 0)
    goal = format_number(DIGITAL_GOAL_PERCENT, Unit.PERCENT)
    if total == 0:
        return _("No contacts in the half-year.")
    if needed == 0:
        return _("The digital goal of %(goal)s is reached.") % {"goal": goal}
    moved = min(needed, phone)
    if moved == 0 or Channel.PHONE not in unit_costs or Channel.SELFSERVICE not in unit_costs:
        return _("The next step is a digital share of %(goal)s.") % {"goal": goal}
    priced = {channel: n for channel, n in counts.items() if channel in unit_costs}
    after = move_share(
        counts=priced,
        source=Channel.PHONE,
        target=Channel.SELFSERVICE,
        share=Decimal(moved) / Decimal(phone),
    )
    return _(
        "Next step, a digital share of %(goal)s: moving %(moved)s calls to self-service would "
        "save %(saving)s a half-year."
    ) % {
        "goal": goal,
        "moved": format_number(moved),
        "saving": format_number(
            saving(before=priced, after=after, unit_costs=unit_costs), Unit.KRONER
        ),
    }
