"""Waiting and handling time at the service centres, per centre and hour of the day (issue 22,
item 3), read from the queue's visits of the period (bookings' `visit_unit_day` index), never
from the contact register."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indgang.bookings.constants import MAX_QUEUE_STATISTICS_DAYS
from indgang.bookings.queue import VisitTimes, visit_times
from indgang.organisation.selectors import Scope
from indgang.statistics.selectors import statistics_scope


def queue_times(*, scope: Scope, first: dt.date, last: dt.date) -> list[VisitTimes]:
    """The finished visits' times per centre and hour over the days first to last (at most
    MAX_QUEUE_STATISTICS_DAYS) at the centres of the departments whose statistics the scope
    sees; StatisticsRefused for others."""
    departments = statistics_scope(scope)
    if not first <= last < first + dt.timedelta(days=MAX_QUEUE_STATISTICS_DAYS):
        raise ValidationError(
            {
                "end": _("Ask for 1 to %(most)s days at a time.")
                % {"most": MAX_QUEUE_STATISTICS_DAYS}
            }
        )
    return visit_times(department_ids=departments, first=first, last=last)
