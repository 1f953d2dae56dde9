"""`indgang schedule [--at TIME]`: the periodic tasks, when each last ran and runs next."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.common.tasks import DailyAt, Schedule, list_periodic_status


def describe(schedule: Schedule) -> str:
    if isinstance(schedule, DailyAt):
        return _("daily at %(time)s") % {"time": schedule.at.strftime("%H:%M")}
    minutes = int(schedule.interval.total_seconds()) // 60
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return _("every day") if days == 1 else _("every %(days)d days") % {"days": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return _("every hour") if hours == 1 else _("every %(hours)d hours") % {"hours": hours}
    if minutes == 1:
        return _("every minute")
    return _("every %(minutes)d minutes") % {"minutes": minutes}


class Command(BaseCommand):
    help = (
        "List the periodic tasks: their schedule, the slot that ran last and the next one, in "
        "the municipality's time zone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at", help="As if it were this time, e.g. 2026-11-23T07:00 (local without a zone)."
        )

    def handle(self, *args: Any, at: str | None, **options: Any) -> None:
        zone = ZoneInfo(settings.TIME_ZONE)
        now = timezone.now()
        if at is not None:
            try:
                now = dt.datetime.fromisoformat(at)
            except ValueError as error:
                raise CommandError(
                    _("Give the time in ISO 8601, e.g. 2026-04-01T09:00.")
                ) from error
            if now.tzinfo is None:
                now = now.replace(tzinfo=zone)

        def local(instant: dt.datetime) -> str:
            return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")

        for status in list_periodic_status(now=now):
            last = local(status.last_run) if status.last_run else _("never")
            upcoming = _("at the next tick") if status.due else local(status.next_run)
            self.stdout.write(
                f"{status.task.name:<26} {describe(status.schedule):<18} "
                + _("last run: %(last)s; next: %(next)s") % {"last": last, "next": upcoming}
            )
