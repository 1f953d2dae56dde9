"""Background work: the reminder sweep (split into id ranges, one task each) and the digest."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from indgang.common.tasks import DailyAt, Every, task
from indgang.deadlines.constants import SWEEP_CHUNK_SIZE
from indgang.deadlines.services import plan_sweep, send_digest, sweep_range

# How often reminders go out; a call-back's lead is two hours, so five minutes is close enough.
SWEEP_EVERY = Every(dt.timedelta(minutes=5))
# The digest reaches staff before the municipality opens.
DIGEST_AT = DailyAt(dt.time(7, 0))


@task(name="deadlines.sweep", schedule=SWEEP_EVERY)
def sweep(*, chunk_size: int = SWEEP_CHUNK_SIZE) -> None:
    """Split the open deadlines that may need a reminder into id ranges, one task per range.

    Workers share the ranges; each range is idempotent, so a range delivered twice, or the
    whole sweep run twice, sends each reminder once.
    """
    now = timezone.now()
    for first_id, last_id in plan_sweep(now=now, chunk_size=chunk_size):
        sweep_chunk.enqueue(first_id=first_id, last_id=last_id, now=now.isoformat())


@task(name="deadlines.sweep_chunk")
def sweep_chunk(*, first_id: int, last_id: int, now: str) -> None:
    sweep_range(first_id=first_id, last_id=last_id, now=dt.datetime.fromisoformat(now))


@task(name="deadlines.send_digest", schedule=DIGEST_AT)
def send_digests() -> None:
    send_digest(now=timezone.now())
