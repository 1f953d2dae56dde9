"""Background work of the knowledge base."""

from __future__ import annotations

from django.utils import timezone

from indgang.common.tasks import DailyAt, task
from indgang.knowledge.constants import FLAG_STALE_AT
from indgang.knowledge.services import flag_stale_articles


@task(name="knowledge.flag_stale", schedule=DailyAt(FLAG_STALE_AT))
def flag_stale() -> None:
    """Flag articles past their review date to their owner units (daily; idempotent)."""
    flag_stale_articles(today=timezone.localdate(), now=timezone.now())
