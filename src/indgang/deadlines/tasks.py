"""Background work: the reminder sweep (split into id ranges, one task each) and the digest."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from indgang.common.tasks import task
from indgang.deadlines.services import plan_sweep, send_digest, sweep_range


@task(name="deadlines.sweep")
def sweep() -> None:
    """Split the open deadlines that may need a reminder into id ranges, one task per range.

    Workers share the ranges; each range is idempotent, so a range delivered twice, or the
    whole sweep run twice, sends each reminder once.
    """
    now = timezone.now()
    for first_id, last_id in plan_sweep(now=now):
        sweep_chunk.enqueue(first_id=first_id, last_id=last_id, now=now.isoformat())


@task(name="deadlines.sweep_chunk")
def sweep_chunk(*, first_id: int, last_id: int, now: str) -> None:
    sweep_range(first_id=first_id, last_id=last_id, now=dt.datetime.fromisoformat(now))


@task(name="deadlines.send_digest")
def send_digests() -> None:
    send_digest(now=timezone.now())
