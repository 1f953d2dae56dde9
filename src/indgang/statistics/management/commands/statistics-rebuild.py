from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indgang.statistics.services import rebuild_contact_counts


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(_("Give the date as YYYY-MM-DD: %(text)s") % {"text": text}) from error


class Command(BaseCommand):
    help = (
        "Recompute the contact statistics (the rollups) from the register, for the days given "
        "or for all: a repair, as the database keeps them current by itself."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", type=_date, help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=_date, help="Last day, YYYY-MM-DD")

    def handle(
        self, *args: Any, start: dt.date | None, end: dt.date | None, **options: Any
    ) -> None:
        if (start is None) != (end is None):
            raise CommandError(_("Give both --from and --to, or neither."))
        if start is not None and end is not None and start > end:
            raise CommandError(_("--from must not come after --to."))

        def progress(first: dt.date, last: dt.date, contacts: int) -> None:
            self.stdout.write(f"{first.isoformat()}..{last.isoformat()} {contacts}")

        counted = rebuild_contact_counts(start=start, end=end, progress=progress)
        self.stdout.write(f"contacts={counted}")
