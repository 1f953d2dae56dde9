from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indgang.statistics.costs import (
    PRESET_PREFIX,
    channel_costs,
    get_preset,
    parse_counts_csv,
    parse_unit_costs_csv,
)


def _plain(amount: Decimal) -> str:
    """Write an amount without exponent or trailing decimal zeros: 110, 2.5."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Command(BaseCommand):
    help = (
        "Print the cost of contacts per channel: CSV counts (channel,count) times unit costs "
        "(a CSV channel,kr or preset:NAME)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--counts", required=True, type=Path, help="CSV: channel,count")
        parser.add_argument("--unit-costs", required=True, help="CSV: channel,kr, or preset:NAME")

    def handle(self, *args: Any, counts: Path, unit_costs: str, **options: Any) -> None:
        try:
            with counts.open(encoding="utf-8-sig", newline="") as file:
                parsed_counts = parse_counts_csv(file)
            if unit_costs.startswith(PRESET_PREFIX):
                costs = get_preset(unit_costs.removeprefix(PRESET_PREFIX))
            else:
                with Path(unit_costs).open(encoding="utf-8-sig", newline="") as file:
                    costs = parse_unit_costs_csv(file)
            result = channel_costs(counts=parsed_counts, unit_costs=costs)
        except FileNotFoundError as error:
            raise CommandError(
                _("The file %(path)s does not exist.") % {"path": error.filename}
            ) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        for line in result.lines:
            self.stdout.write(
                f"{line.channel} {line.count} {_plain(line.unit_cost)} {_plain(line.cost)}"
            )
        self.stdout.write(f"total={result.total_kroner}")
