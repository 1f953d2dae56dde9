"""Background work for the statistics: fold new contacts into the rollups."""

from __future__ import annotations

import datetime as dt

from indgang.common.tasks import Every, task
from indgang.statistics.services import fold_new_contact_counts

# How long a new contact waits as a row of its own (PostgreSQL) before the buckets hold it;
# reads count it either way, and a minute's registrations are few rows to add to each read.
FOLD_EVERY = Every(dt.timedelta(minutes=1))


@task(name="statistics.fold", schedule=FOLD_EVERY)
def fold() -> None:
    """Add the contacts registered since the last fold to the rollups. Idempotent."""
    fold_new_contact_counts()
