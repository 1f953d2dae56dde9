"""Background work for triage: retrain after routings, triage contacts that came without a task."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from indgang.common.tasks import Every, task

# Registrations within this many seconds share one triage run: one pass over many contacts
# costs far less per contact than a pass each.
GATHER_SECONDS = 1.0


@task(name="triage.retrain")
def retrain() -> None:
    """Learn the routings since the newest model version (nothing to do: no new version)."""
    from indgang.triage.services import train_model  # services enqueue this task

    train_model(now=timezone.now())


@task(name="triage.route_waiting", schedule=Every(dt.timedelta(minutes=1)))
def route_waiting() -> None:
    """Triage every contact awaiting triage, a batch per transaction. Idempotent.

    Registering a contact without a task asks for a run, coalesced (`request_triage`); the
    schedule catches any request that was lost with a stopped process.
    """
    from indgang.triage.constants import TRIAGE_BATCH
    from indgang.triage.services import triage_waiting

    while triage_waiting(now=timezone.now()).triaged == TRIAGE_BATCH:
        pass


def request_triage() -> None:
    """Triage what waits, about a second after the current transaction commits."""
    route_waiting.enqueue_once(gather_seconds=GATHER_SECONDS)
