"""How urgent a deadline is, in words and a level the screens colour: pure functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indgang.deadlines.constants import DeadlineStatus

# A deadline with fewer days left than this (due today or tomorrow) is "due soon".
SOON_DAYS = 2


class Level(StrEnum):
    """The CSS class of a deadline's urgency; the text beside it always says the same."""

    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"
    PAUSED = "paused"
    DONE = "done"


@dataclass(frozen=True)
class Urgency:
    level: Level
    # Whole days past the due date (overdue) or left until it (open); None when not running.
    days: int | None
    text: str


def days_between(earlier: dt.datetime, later: dt.datetime, *, zone: dt.tzinfo) -> int:
    """Calendar days from the local day of `earlier` to that of `later` (negative if before)."""
    return (later.astimezone(zone).date() - earlier.astimezone(zone).date()).days


def urgency_of(*, status: str, due_at: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> Urgency:
    """A running deadline's days overdue or left, counted in local calendar days: a call-back
    due yesterday afternoon is "1 day overdue" this morning, one due at 15:00 today and not
    made by 16:00 is "overdue today"."""
    if status == DeadlineStatus.COMPLETED:
        return Urgency(Level.DONE, None, _("Completed"))
    if status == DeadlineStatus.SUSPENDED:
        return Urgency(Level.PAUSED, None, _("Suspended: the clock is paused"))
    if due_at <= now:
        late = days_between(due_at, now, zone=zone)
        if late == 0:
            return Urgency(Level.OVERDUE, 0, _("Overdue today"))
        text = ngettext("%(days)d day overdue", "%(days)d days overdue", late) % {"days": late}
        return Urgency(Level.OVERDUE, late, text)
    left = days_between(now, due_at, zone=zone)
    if left == 0:
        return Urgency(Level.SOON, 0, _("Due today"))
    text = ngettext("%(days)d day left", "%(days)d days left", left) % {"days": left}
    return Urgency(Level.SOON if left < SOON_DAYS else Level.LATER, left, text)
