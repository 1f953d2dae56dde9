"""Background work: deliver a queued letter, and retry the ones that are due."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from indgang.common.tasks import Every, task
from indgang.letters.services import deliver_message, deliver_pending

# A failed delivery waits RETRY_BACKOFF times its attempts; looking every five minutes suffices.
RETRY_EVERY = Every(dt.timedelta(minutes=5))


@task(name="letters.deliver")
def deliver(*, message_id: int) -> None:
    deliver_message(message_id=message_id, now=timezone.now())


@task(name="letters.retry", schedule=RETRY_EVERY)
def retry() -> None:
    deliver_pending(now=timezone.now())
