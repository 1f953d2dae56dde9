from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from indgang.demo.simulate import PRESETS, FunnelWriter, SimulationError, simulate, year_days


class Command(BaseCommand):
    help = (
        "Write a realistic synthetic year of contacts (seed 004's volumes and channel shares) "
        "into the register; the statistics' rollups fill themselves."
    )
    # A bulk loader, run after `migrate` (which checks the project): the checks would add
    # seconds to every run and to the generation rate the benchmark measures.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", choices=sorted(PRESETS), required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--contacts", type=int, help="Contacts in the year (default: the municipality's)."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same year.")

    def handle(
        self,
        *args: Any,
        municipality: str,
        year: int,
        contacts: int | None,
        seed: int,
        **options: Any,
    ) -> None:
        preset = PRESETS[municipality]
        total = preset.contacts if contacts is None else contacts
        if total < 0 or not dt.MINYEAR < year < dt.MAXYEAR:
            raise CommandError(_("Give a year and a number of contacts of 0 or more."))
        # The bar counts contacts; the total is the expected count (Poisson draws vary a little).
        with tqdm(
            total=total, unit=" contacts", unit_scale=True, file=sys.stderr, disable=None
        ) as bar:
            now = timezone.now()
            try:
                report = simulate(
                    days=year_days(year),
                    contacts=total,
                    shares=preset.shares,
                    seed=seed,
                    now=now,
                    tick=bar.update,
                    on_self_service=FunnelWriter(seed=seed, now=now),
                )
            except SimulationError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Simulated %(contacts)d contacts on %(threads)d threads in %(days)d days "
                "(%(citizens)d citizens, %(companies)d companies) in %(seconds).1f seconds."
            )
            % {
                "contacts": report.contacts,
                "threads": report.threads,
                "days": report.days,
                "citizens": report.citizens,
                "companies": report.companies,
                "seconds": report.seconds,
            }
        )
