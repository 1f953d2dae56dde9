from __future__ import annotations

import datetime as dt
import io
import threading
import time

import pytest
import redis
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from pytest_django.fixtures import Settings

import indgang.celery  # noqa: F401 - the worker's entry point registers its tasks on the app
from indgang.common.celery_app import app as celery_app
from indgang.common.management.commands.schedule import describe
from indgang.common.models import ScheduledRun
from indgang.common.tasks import (
    REGISTRY,
    WAITING_EXPIRY_SECONDS,
    Backend,
    DailyAt,
    Every,
    _executor,
    get_task,
    periodic_tasks,
    start_scheduler,
    start_waiting_run,
    task,
    tick,
    waiting_key,
)
from indgang.common.tests.workers import REDIS_HINT, new_queue, require_redis

CALLS: list[int] = []
DONE = threading.Event()


@task(name="test.record")
def record(*, number: int) -> None:
    CALLS.append(number)
    DONE.set()


# For `drain`: set when a run starts; a run waits for GATE before it ends.
STARTED = threading.Event()
GATE = threading.Event()


@task(name="test.drain")
def drain() -> None:
    """A coalesced task, as one that works through whatever is waiting."""
    CALLS.append(len(CALLS) + 1)
    STARTED.set()
    GATE.wait(timeout=10)


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()
    for event in (DONE, STARTED, GATE):
        event.clear()


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_task_runs_only_after_its_transaction_commits() -> None:
    with transaction.atomic():
        record.enqueue(number=1)
        assert CALLS == []
    assert CALLS == [1]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_task_of_a_rolled_back_transaction_never_runs() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record.enqueue(number=2)
        raise RuntimeError("rolled back")
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.EMBEDDED)
def test_embedded_backend_runs_the_task_on_another_thread() -> None:
    record.enqueue(number=3)

    assert DONE.wait(timeout=10)
    assert CALLS == [3]
    _executor().submit(lambda: None).result(timeout=10)


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.EMBEDDED)
def test_embedded_requests_join_a_waiting_run_and_one_made_after_it_starts_gets_its_own() -> None:
    workers = settings.EMBEDDED_TASK_WORKERS
    busy = threading.Event()
    for _ in range(workers):
        _executor().submit(busy.wait, 10)

    for _ in range(3):
        drain.enqueue_once()  # every worker is busy, so the first request's run waits
    busy.set()
    assert STARTED.wait(timeout=10)
    drain.enqueue_once()  # that run has started and may have missed this request's work
    GATE.set()
    _wait_until_the_pool_is_idle()

    assert CALLS == [1, 2]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.EMBEDDED)
def test_a_gathering_run_starts_after_its_gathering_time_with_every_request_of_it() -> None:
    GATE.set()
    requested = time.monotonic()

    for _ in range(3):
        drain.enqueue_once(gather_seconds=0.3)
    assert STARTED.wait(timeout=10)

    assert time.monotonic() - requested >= 0.3
    _wait_until_the_pool_is_idle()
    assert CALLS == [1]


def _wait_until_the_pool_is_idle() -> None:
    """Every embedded worker free at once: every run submitted before has ended."""
    idle = threading.Barrier(settings.EMBEDDED_TASK_WORKERS + 1)
    for _ in range(settings.EMBEDDED_TASK_WORKERS):
        _executor().submit(idle.wait, 10)
    idle.wait(timeout=10)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_celery_requests_while_a_run_waits_send_one_message(settings: Settings) -> None:
    require_redis(settings.CELERY_BROKER_URL)
    settings.TASK_BACKEND = Backend.CELERY
    settings.CELERY_TASK_DEFAULT_QUEUE = queue = new_queue()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        for _ in range(5):
            drain.enqueue_once()
        assert broker.llen(queue) == 1
        assert 0 < broker.ttl(waiting_key(drain.name)) <= WAITING_EXPIRY_SECONDS

        start_waiting_run(drain.name)  # as the worker does when it starts the run
        drain.enqueue_once()

        assert broker.llen(queue) == 2
    finally:
        broker.delete(queue, waiting_key(drain.name))
    assert CALLS == []  # no worker serves this queue


def test_tasks_are_found_by_name_and_names_are_unique() -> None:
    assert get_task("test.record") is REGISTRY["test.record"]
    with pytest.raises(ValueError, match="Two tasks are named 'test.record'."):
        task(name="test.record")(lambda **kwargs: None)


PERIODIC_CALLS: list[str] = []
PERIODIC_DONE = threading.Event()


@task(name="test.every_five_minutes", schedule=Every(dt.timedelta(minutes=5)))
def every_five_minutes() -> None:
    PERIODIC_CALLS.append("every_five_minutes")


# One slot from 2019-12-27 to 2039-12-22: a test never crosses into the next one.
@task(name="test.once_in_twenty_years", schedule=Every(dt.timedelta(days=7300)))
def once_in_twenty_years() -> None:
    PERIODIC_CALLS.append("once_in_twenty_years")
    PERIODIC_DONE.set()


@pytest.fixture(autouse=True)
def _reset_periodic() -> None:
    PERIODIC_CALLS.clear()
    PERIODIC_DONE.clear()


def utc(day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 5, day, hour, minute, second, tzinfo=dt.UTC)


def claimed() -> list[tuple[str, dt.datetime]]:
    return list(ScheduledRun.objects.order_by("slot").values_list("task", "slot"))


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_tick_dispatches_a_periodic_task_once_per_slot() -> None:
    assert tick(now=utc(4, 10, 7), tasks=[every_five_minutes]) == ["test.every_five_minutes"]
    assert tick(now=utc(4, 10, 9, 59), tasks=[every_five_minutes]) == []
    assert tick(now=utc(4, 10, 10), tasks=[every_five_minutes]) == ["test.every_five_minutes"]

    assert PERIODIC_CALLS == ["every_five_minutes", "every_five_minutes"]
    assert claimed() == [
        ("test.every_five_minutes", utc(4, 10, 5)),
        ("test.every_five_minutes", utc(4, 10, 10)),
    ]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_a_scheduler_back_from_downtime_runs_the_missed_slots_once() -> None:
    tick(now=utc(4, 10, 0), tasks=[every_five_minutes])

    assert tick(now=utc(4, 13, 2), tasks=[every_five_minutes]) == ["test.every_five_minutes"]
    assert tick(now=utc(4, 13, 4), tasks=[every_five_minutes]) == []
    assert PERIODIC_CALLS == ["every_five_minutes", "every_five_minutes"]
    assert [slot for _task, slot in claimed()] == [utc(4, 10, 0), utc(4, 13, 0)]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_a_periodic_run_is_dispatched_only_when_its_claim_commits() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        tick(now=utc(4, 10, 7), tasks=[every_five_minutes])
        raise RuntimeError("rolled back")
    assert (PERIODIC_CALLS, claimed()) == ([], [])

    with transaction.atomic():
        tick(now=utc(4, 10, 7), tasks=[every_five_minutes])
        assert PERIODIC_CALLS == []
    assert PERIODIC_CALLS == ["every_five_minutes"]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_two_schedulers_ticking_at_once_dispatch_each_run_once() -> None:
    start = threading.Barrier(2, timeout=10)
    dispatched: list[list[str]] = []

    def scheduler() -> None:
        start.wait()
        try:
            dispatched.append(tick(now=utc(4, 10, 7), tasks=[every_five_minutes]))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(dispatched) == [[], ["test.every_five_minutes"]]
    assert PERIODIC_CALLS == ["every_five_minutes"]
    assert claimed() == [("test.every_five_minutes", utc(4, 10, 5))]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_claims_older_than_a_week_are_deleted() -> None:
    tick(now=utc(1, 10, 0), tasks=[every_five_minutes])
    tick(now=utc(8, 10, 0), tasks=[every_five_minutes])
    assert [slot for _task, slot in claimed()] == [utc(1, 10, 0), utc(8, 10, 0)]

    tick(now=utc(8, 10, 5), tasks=[every_five_minutes])
    assert [slot for _task, slot in claimed()] == [utc(8, 10, 0), utc(8, 10, 5)]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_embedded_scheduler_ticks_in_its_own_thread_until_stopped() -> None:
    scheduler = start_scheduler(tick_seconds=0.05, tasks=[once_in_twenty_years])
    try:
        assert PERIODIC_DONE.wait(timeout=10)
        time.sleep(0.3)  # several more ticks, all in the same slot
    finally:
        scheduler.stop()

    assert not scheduler.thread.is_alive()
    assert scheduler.thread.name == "indgang-scheduler"
    assert PERIODIC_CALLS == ["once_in_twenty_years"]
    assert claimed() == [
        ("test.once_in_twenty_years", dt.datetime(2019, 12, 27, tzinfo=dt.UTC)),
    ]


def test_periodic_tasks_are_the_registered_ones_with_a_schedule_by_name() -> None:
    names = [t.name for t in periodic_tasks()]

    assert names == sorted(names)
    assert {"test.every_five_minutes", "test.once_in_twenty_years"} <= set(names)
    assert "test.record" not in names
    assert get_task("test.every_five_minutes").schedule == Every(dt.timedelta(minutes=5))


def test_a_periodic_task_must_take_no_arguments() -> None:
    def needs_an_id(*, contact_id: int) -> None:
        raise AssertionError("never runs")

    with pytest.raises(ValueError, match="Periodic task 'test.needs_an_id' must take no"):
        task(name="test.needs_an_id", schedule=DailyAt(dt.time(7, 0)))(needs_an_id)
    assert "test.needs_an_id" not in REGISTRY


def test_celery_beat_sends_the_scheduler_tick_and_nothing_else() -> None:
    assert settings.CELERY_BEAT_SCHEDULE == {
        "indgang-tick": {
            "task": "indgang.tick",
            "schedule": 30.0,
            "options": {"expires": 30.0},
        }
    }
    assert celery_app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert {"indgang.run_task", "indgang.tick"} <= set(celery_app.tasks)


def test_without_redis_the_worker_tests_fail_and_say_how_to_start_it() -> None:
    with pytest.raises(pytest.fail.Exception) as failure:
        require_redis("redis://127.0.0.1:1/0")

    assert str(failure.value).startswith("Redis is not reachable at redis://127.0.0.1:1/0: ")
    assert str(failure.value).endswith(f". {REDIS_HINT}")


@pytest.mark.django_db
def test_schedule_command_lists_each_periodic_task_with_its_last_and_next_run() -> None:
    ScheduledRun.objects.create(
        task="test.every_five_minutes", slot=utc(4, 10, 5), claimed_at=utc(4, 10, 5, 1)
    )
    out = io.StringIO()

    call_command("schedule", "--at", "2026-05-04T12:07", stdout=out)

    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    assert lines["test.every_five_minutes"] == (
        "test.every_five_minutes    hvert 5. minut     "
        "sidst kørt: 2026-05-04 12:05; næste: 2026-05-04 12:10"
    )
    assert lines["test.once_in_twenty_years"] == (
        "test.once_in_twenty_years  hver 7300. dag     sidst kørt: aldrig; næste: ved næste tjek"
    )


def test_schedule_command_refuses_a_time_it_cannot_read() -> None:
    with pytest.raises(
        CommandError, match=r"^Angiv tidspunktet i ISO 8601, f\.eks\. 2026-04-01T09:00\.$"
    ):
        call_command("schedule", "--at", "i morgen")


def test_schedules_are_described_in_whole_units() -> None:
    described = [
        describe(Every(dt.timedelta(minutes=minutes))) for minutes in (1, 5, 60, 120, 1440, 2880)
    ]

    assert described == [
        "hvert minut",
        "hvert 5. minut",
        "hver time",
        "hver 2. time",
        "hver dag",
        "hver 2. dag",
    ]
    assert describe(DailyAt(dt.time(7, 0))) == "dagligt kl. 07:00"
