"""Cost of contacts per channel: unit-cost presets from the seeds, the sum, and what-ifs.

Pure functions over channel codes; nothing here reads the database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TextIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel

UnitCosts = Mapping[str, Decimal]

# Channels the seeds price but the register has no code for ("selvbetjening på telefonen") are
# left out. Kroner per contact.
PRESETS: dict[str, dict[str, Decimal]] = {
    # Seed 002 (Albertslund's channel strategy), citing KL "Kanalpriser i danske kommuner 2011".
    "kl-2011": {
        Channel.SELFSERVICE: Decimal(5),
        Channel.PHONE: Decimal(40),
        Channel.EMAIL: Decimal(55),
        Channel.LETTER: Decimal(60),
        Channel.PERSONAL: Decimal(75),
    },
    # Seed 004 (CBS, Kommunal borgerservice anno 2011), table 8: the paper's own estimate.
    "cbs-2011": {
        Channel.PERSONAL: Decimal(110),
        Channel.PHONE: Decimal(60),
        Channel.LETTER: Decimal(80),
        Channel.EMAIL: Decimal(80),
        Channel.SELFSERVICE: Decimal(10),
    },
    # Seed 004 table 7, column Københavns Kommune. Table 7 leaves e-mail blank and has no row for
    # web contacts; table 6 prices Lejre's e-mails at Copenhagen's letter cost (110) and its web
    # contacts ("hjemmesidehenvendelser") at Copenhagen's web self-service cost (3), so do we.
    "koebenhavn": {
        Channel.PERSONAL: Decimal(80),
        Channel.PHONE: Decimal(40),
        Channel.LETTER: Decimal(110),
        Channel.EMAIL: Decimal(110),
        Channel.SELFSERVICE: Decimal(3),
        Channel.WEB: Decimal(3),
    },
    # Seed 004 table 7, column Vejen Kommune (an index, not kroner, in the seed).
    "vejen": {
        Channel.PERSONAL: Decimal(200),
        Channel.PHONE: Decimal(100),
        Channel.EMAIL: Decimal(80),
        Channel.CHAT: Decimal(60),
        Channel.SELFSERVICE: Decimal(10),
    },
    # Seed 004 table 7, column KL.
    "kl": {
        Channel.PHONE: Decimal(50),
        Channel.EMAIL: Decimal(120),
    },
    # Seed 004 table 7, column KMD.
    "kmd": {
        Channel.PERSONAL: Decimal(150),
        Channel.PHONE: Decimal(57),
        Channel.EMAIL: Decimal(62),
        Channel.SELFSERVICE: Decimal(4),
    },
}

PRESET_PREFIX = "preset:"


@dataclass(frozen=True)
class CostLine:
    channel: str
    count: int
    unit_cost: Decimal
    cost: Decimal


@dataclass(frozen=True)
class ChannelCosts:
    lines: list[CostLine]
    total: Decimal

    @property
    def total_kroner(self) -> int:
        """Return the total rounded to whole kroner (half up)."""
        return int(self.total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check_channel(channel: str) -> None:
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel %(channel)r.") % {"channel": channel})


def channel_costs(*, counts: Mapping[str, int], unit_costs: UnitCosts) -> ChannelCosts:
    """Price each channel's count; refuse unknown channels, negative counts and missing costs."""
    for channel, count in counts.items():
        _check_channel(channel)
        if count < 0:
            raise ValidationError(
                _("The count of channel %(channel)r is negative.") % {"channel": channel}
            )
        if channel not in unit_costs:
            raise ValidationError(_("Channel %(channel)r has no unit cost.") % {"channel": channel})
    lines = [
        CostLine(
            channel=channel,
            count=counts[channel],
            unit_cost=unit_costs[channel],
            cost=counts[channel] * unit_costs[channel],
        )
        for channel in Channel.values
        if channel in counts
    ]
    return ChannelCosts(lines=lines, total=sum((line.cost for line in lines), Decimal(0)))


def move_share(
    *, counts: Mapping[str, int], source: str, target: str | None, share: Decimal
) -> dict[str, int]:
    """Return the counts after moving `share` of `source`'s contacts to `target`.

    With `target` None the moved contacts disappear (nobody calls again). The moved count is
    rounded half up to whole contacts.
    """
    if not Decimal(0) <= share <= Decimal(1):
        raise ValidationError(_("The share must be between 0 and 1."))
    moved = int((counts.get(source, 0) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    after = dict(counts)
    after[source] = after.get(source, 0) - moved
    if target is not None:
        after[target] = after.get(target, 0) + moved
    return after


def saving(
    *, before: Mapping[str, int], after: Mapping[str, int], unit_costs: UnitCosts
) -> Decimal:
    """Return the kroner saved going from the counts `before` to the counts `after`."""
    return (
        channel_costs(counts=before, unit_costs=unit_costs).total
        - channel_costs(counts=after, unit_costs=unit_costs).total
    )


def _rows(file: TextIO, *, value_column: str) -> Iterable[tuple[int, str, str]]:
    reader = csv.DictReader(file)
    if reader.fieldnames is None or [name.strip() for name in reader.fieldnames] != [
        "channel",
        value_column,
    ]:
        raise ValidationError(
            _("The header must be %(header)r.") % {"header": f"channel,{value_column}"}
        )
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        channel = (row.get("channel") or "").strip()
        _check_channel(channel)
        if channel in seen:
            raise ValidationError(_("Channel %(channel)r occurs twice.") % {"channel": channel})
        seen.add(channel)
        yield number, channel, (row.get(value_column) or "").strip()


def parse_counts_csv(file: TextIO) -> dict[str, int]:
    """Read `channel,count` lines into counts per channel code."""
    counts: dict[str, int] = {}
    for number, channel, value in _rows(file, value_column="count"):
        try:
            counts[channel] = int(value)
        except ValueError as error:
            raise ValidationError(
                _("Line %(line)d: the count of channel %(channel)r is not a whole number.")
                % {"line": number, "channel": channel}
            ) from error
    return counts


def parse_unit_costs_csv(file: TextIO) -> dict[str, Decimal]:
    """Read `channel,kr` lines into a unit cost per channel code."""
    costs: dict[str, Decimal] = {}
    for number, channel, value in _rows(file, value_column="kr"):
        try:
            cost = Decimal(value)
        except InvalidOperation as error:
            raise ValidationError(
                _("Line %(line)d: the unit cost of channel %(channel)r is not a number.")
                % {"line": number, "channel": channel}
            ) from error
        if not cost.is_finite() or cost < 0:
            raise ValidationError(
                _("Line %(line)d: the unit cost of channel %(channel)r is negative or not finite.")
                % {"line": number, "channel": channel}
            )
        costs[channel] = cost
    return costs


def get_preset(name: str) -> dict[str, Decimal]:
    """Return the unit costs of a named preset."""
    if name not in PRESETS:
        raise ValidationError(
            _("Unknown unit-cost preset %(name)r; known: %(known)s.")
            % {"name": name, "known": ", ".join(PRESETS)}
        )
    return PRESETS[name]
