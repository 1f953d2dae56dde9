"""Demo queue: a service centre with three desks, the last two weeks' visits for the waiting
and handling time statistics, and today's queue so far (some served, one called, some
waiting). All through the queue's services, so each finished visit is a contact."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indgang.bookings.models import Desk, Visit
from indgang.bookings.queue import (
    call_visit,
    draw_number,
    finish_visit,
    local_day_and_hour,
    start_visit,
    triage_visit,
)
from indgang.catalogue.models import Task
from indgang.contacts.constants import DANISH_TIME, Outcome
from indgang.organisation.models import Unit
from indgang.organisation.selectors import get_scope

DESKS = ("Skranke 1", "Skranke 2", "Skranke 3")
PAST_DAYS = 14
VISITS_PER_DAY = 12
TODAY_SERVED = 4
TODAY_WAITING = 3
SUMMARIES = (
    "Fornyede pas",
    "Spurgte til {task}",
    "Fik hjælp til {task}",
    "Hentede sygesikringskort",
)


def load_queue_demo(
    *, receptionist: User, centre: Unit, now: dt.datetime, progress: Callable[[str], None]
) -> None:
    """Add the demo queue once (nothing happens if any visit exists)."""
    if Visit.objects.exists():
        return
    desks = [Desk.objects.get_or_create(unit=centre, name=name)[0] for name in DESKS]
    rng = random.Random(2028)  # noqa: S311 - reproducible demo data, not security
    tasks = list(Task.objects.filter(frontline_may_resolve=True, is_active=True)[:20])
    scope = get_scope(user=receptionist)
    today, _hour = local_day_and_hour(now)

    def serve(drawn: dt.datetime, *, finish: bool = True) -> None:
        visit = draw_number(unit=centre, drawn_by=receptionist, now=drawn)
        task = rng.choice(tasks) if tasks else None
        triage_visit(visit=visit, task=task, desk=None)
        called = drawn + dt.timedelta(minutes=rng.randint(1, 25))
        call_visit(visit=visit, desk=rng.choice(desks), called_by=receptionist, now=called)
        if not finish:
            return
        started = called + dt.timedelta(minutes=1)
        start_visit(visit=visit, started_by=receptionist, now=started)
        finish_visit(
            visit=visit,
            summary=rng.choice(SUMMARIES).format(task=task.title.lower() if task else ""),
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
            finished_by=receptionist,
            registrar=scope,
            now=started + dt.timedelta(minutes=rng.randint(3, 15)),
        )

    count = 0
    for back in range(PAST_DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for _visit in range(VISITS_PER_DAY):
            serve(_moment(day, rng))
            count += 1
    # Today's queue so far: only times already past, so nothing is drawn in the future.
    earlier = sorted(now - dt.timedelta(minutes=rng.randint(40, 150)) for _ in range(TODAY_SERVED))
    for drawn in [moment for moment in earlier if moment.astimezone(DANISH_TIME).date() == today]:
        serve(drawn)
        count += 1
    recent = now - dt.timedelta(minutes=20)
    if recent.astimezone(DANISH_TIME).date() == today:
        serve(recent, finish=False)
        for minutes in range(TODAY_WAITING, 0, -1):
            draw_number(
                unit=centre, drawn_by=receptionist, now=now - dt.timedelta(minutes=minutes * 4)
            )
        count += 1 + TODAY_WAITING
    progress(_("Queue: %(count)d visits at %(centre)s") % {"count": count, "centre": centre.name})


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A time in the centre's opening hours (9-15) on the day."""
    minutes = rng.randint(0, 6 * 60 - 30)
    return dt.datetime.combine(day, dt.time(9), tzinfo=DANISH_TIME) + dt.timedelta(minutes=minutes)
