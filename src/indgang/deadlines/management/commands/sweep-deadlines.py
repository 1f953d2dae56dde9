"""`indgang sweep-deadlines`: send the reminders that are due now, here, in this process."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.deadlines.services import sweep


class Command(BaseCommand):
    help = "Remind owners of deadlines due soon and managers of passed ones (each once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Sweep as if it were this instant (ISO 8601).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = dt.datetime.fromisoformat(options["now"]) if options["now"] else timezone.now()
        report = sweep(now=now)
        self.stdout.write(
            _(
                "Reminders: %(due_soon)d due soon, %(breached)d passed; "
                "%(notifications)d notifications, %(emails)d e-mails."
            )
            % {
                "due_soon": report.due_soon,
                "breached": report.breached,
                "notifications": report.notifications,
                "emails": report.emails,
            }
        )
