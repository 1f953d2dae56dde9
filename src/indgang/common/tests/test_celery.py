"""The task engine on real infrastructure: Redis, two Celery worker processes, celery beat."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings

from indgang.common.models import ScheduledRun
from indgang.common.tasks import REGISTRY, waiting_key
from indgang.common.tests import probe
from indgang.common.tests.workers import CeleryWorkers

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def probe_tables(transactional_db: None) -> Iterator[None]:
    probe.create_tables()
    yield
    probe.drop_tables()


def test_two_workers_share_the_tasks_and_a_task_delivered_twice_has_one_effect(
    probe_tables: None, celery_workers: CeleryWorkers
) -> None:
    keys = [f"key-{number}" for number in range(40)]

    for key in keys:
        probe.probe.enqueue(key=key)
        probe.probe.enqueue(key=key)  # a duplicate delivery, as a broker may make one
    celery_workers.wait_for(
        lambda: probe.deliveries().total() == 80, timeout=60, what="80 deliveries"
    )

    assert probe.deliveries() == {key: 2 for key in keys}
    assert probe.effects() == {key: 1 for key in keys}
    assert probe.delivering_workers() == celery_workers.pids


def test_a_sweep_run_twice_shares_its_chunks_between_the_workers_with_one_effect_each(
    probe_tables: None, celery_workers: CeleryWorkers
) -> None:
    probe.probe_fan_out.enqueue(keys=30)
    probe.probe_fan_out.enqueue(keys=30)
    celery_workers.wait_for(
        lambda: probe.deliveries().total() == 60, timeout=60, what="60 deliveries"
    )

    chunks = [f"chunk-{number}" for number in range(30)]
    assert probe.deliveries() == {chunk: 2 for chunk in chunks}
    assert probe.effects() == {chunk: 1 for chunk in chunks}
    assert probe.delivering_workers() == celery_workers.pids


@pytest.mark.parametrize(
    "celery_workers", [{"include": ["indgang.common.tests.probe_periodic"]}], indirect=True
)
def test_two_beats_ticking_at_once_run_a_periodic_task_once_per_slot(
    probe_tables: None, celery_workers: CeleryWorkers
) -> None:
    assert "test.probe_periodic" not in REGISTRY  # declared in the workers only
    celery_workers.start_beat(tick_seconds=1)
    celery_workers.start_beat(tick_seconds=1)

    def ticks() -> int:
        return len(re.findall(r"Task indgang\.tick\[[^]]+\] succeeded", celery_workers.logs()))

    celery_workers.wait_for(
        lambda: probe.deliveries()[probe.PERIODIC_KEY] == 1, timeout=60, what="the periodic run"
    )
    # Both beats send a tick every second; let several pairs reach the workers.
    celery_workers.wait_for(lambda: ticks() >= 8, timeout=60, what="8 ticks run")

    assert probe.deliveries() == {probe.PERIODIC_KEY: 1}
    assert probe.effects() == {probe.PERIODIC_KEY: 1}
    assert list(ScheduledRun.objects.filter(task="test.probe_periodic").values_list("task")) == [
        ("test.probe_periodic",)
    ]
    for beat in ("beat1", "beat2"):
        log = (celery_workers.directory / f"{beat}.log").read_text(encoding="utf-8")
        assert "Sending due task indgang-tick (indgang.tick)" in log


def test_a_coalesced_run_clears_its_waiting_mark_so_a_later_request_runs_again(
    probe_tables: None, celery_workers: CeleryWorkers
) -> None:
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)

    probe.probe_once.enqueue_once()
    celery_workers.wait_for(
        lambda: probe.deliveries()[probe.ONCE_KEY] == 1, timeout=60, what="the first run"
    )
    assert broker.exists(waiting_key(probe.probe_once.name)) == 0
    probe.probe_once.enqueue_once()
    celery_workers.wait_for(
        lambda: probe.deliveries()[probe.ONCE_KEY] == 2, timeout=60, what="the second run"
    )

    assert broker.exists(waiting_key(probe.probe_once.name)) == 0
