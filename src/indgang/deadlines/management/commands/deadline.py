"""`indgang deadline KIND RECEIVED_AT`: when a deadline of the default rules runs out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indgang.common.workdays import COPENHAGEN, DEFAULT_CALENDAR
from indgang.deadlines.constants import DayCount, DeadlineKind
from indgang.deadlines.services import DEFAULT_RULES, due_instant


class Command(BaseCommand):
    help = (
        "Print the due instant (ISO 8601) of a deadline received at RECEIVED_AT, by the default "
        "rule for KIND and the default municipal calendar. A time without a zone is "
        "Europe/Copenhagen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=DeadlineKind.values)
        parser.add_argument("received_at", help="e.g. 2026-04-01T09:00")
        parser.add_argument(
            "--length", type=int, help="Days, for kinds without a fixed length (partshoering …)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = DeadlineKind(options["kind"])
        try:
            received = dt.datetime.fromisoformat(options["received_at"])
        except ValueError as error:
            raise CommandError(_("Give the time in ISO 8601, e.g. 2026-04-01T09:00.")) from error
        if received.tzinfo is None:
            received = received.replace(tzinfo=COPENHAGEN)
        rule = DEFAULT_RULES[kind]
        length = options["length"] if options["length"] is not None else rule["length"]
        if not isinstance(length, int) or length < 1:
            raise CommandError(
                _("%(kind)s has no fixed length: give one with --length.") % {"kind": kind.label}
            )
        due = due_instant(
            start=received,
            day_count=DayCount(str(rule.get("day_count", DayCount.WORKING))),
            length=length,
            calendar=DEFAULT_CALENDAR,
        )
        self.stdout.write(due.isoformat())
