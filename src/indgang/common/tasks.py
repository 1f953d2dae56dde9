"""One task engine for background work.

A task is a plain function of keyword arguments (ids, not objects) registered with `@task`.
`enqueue()` hands it to the configured backend once the current transaction commits:

- `embedded` (default): a small thread pool inside this process; no extra service.
- `celery`: Celery over Redis, for workers on other machines. Only one Celery task runs our
  tasks, `indgang.run_task`, which runs a registered task by name, so producers need no Celery
  registration and the registry stays the single list of tasks.
- `immediate`: runs at once in the caller's thread (tests).

Tasks must be idempotent: every backend may deliver a task more than once.

`enqueue_once()` coalesces: for a task without arguments that works through whatever is waiting
(contacts to triage), requests made while a run waits to start join that run, so a burst of
contacts costs one run (and one message) instead of one each.

Periodic tasks are declared in the same place, with `schedule=` (a task without arguments):

    @task(name="deadlines.sweep", schedule=Every(dt.timedelta(minutes=5)))
    def sweep() -> None: ...

    @task(name="deadlines.send_digests", schedule=DailyAt(dt.time(7, 0)))
    def send_digests() -> None: ...

`tick(now=...)` dispatches every periodic task whose latest slot has not run yet. It is driven
by one scheduler: a daemon thread inside `indgang serve` (the demo), or the Celery task
`indgang.tick` that `celery -A indgang beat` sends every `INDGANG_SCHEDULER_TICK_SECONDS`
(production). A run first claims its slot in the database (`ScheduledRun`, unique per task and
slot), so two schedulers that tick at once dispatch it once.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from redis import Redis

from indgang.common.models import ScheduledRun

logger = logging.getLogger(__name__)

TaskFunction = Callable[..., None]

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# Interval slots count from here, so every scheduler agrees on them (every 5 minutes: :00, :05, …).
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Claimed slots older than this are deleted; far longer than any clock skew between schedulers.
KEEP_CLAIMS = dt.timedelta(days=7)


class Backend(StrEnum):
    EMBEDDED = "embedded"
    CELERY = "celery"
    IMMEDIATE = "immediate"


@dataclass(frozen=True)
class Every:
    """Every `interval`, at whole multiples of it since 2000-01-01 00:00 UTC."""

    interval: dt.timedelta

    def __post_init__(self) -> None:
        if self.interval < dt.timedelta(minutes=1) or self.interval % dt.timedelta(minutes=1):
            raise ValueError("An interval is a whole number of minutes, at least one.")


@dataclass(frozen=True)
class DailyAt:
    """Once a day at a wall-clock time in the municipality's time zone.

    A time the spring change skips (02:00–03:00) runs an hour later by the clock, at the same
    instant in UTC as the hour before the change would have; a time the autumn change repeats
    runs at its first occurrence only.
    """

    at: dt.time

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None:
            raise ValueError("DailyAt takes a wall-clock time without a time zone.")


Schedule = Every | DailyAt


def latest_slot(
    schedule: Schedule, *, now: dt.datetime, zone: ZoneInfo = COPENHAGEN
) -> dt.datetime:
    """The last instant at or before `now` at which the schedule fires, in UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime.")
    if isinstance(schedule, Every):
        return EPOCH + ((now - EPOCH) // schedule.interval) * schedule.interval
    today = now.astimezone(zone).date()
    for days_back in range(3):
        # Aware datetimes in one zone compare by wall clock (fold ignored): compare in UTC.
        day = today - dt.timedelta(days=days_back)
        slot = dt.datetime.combine(day, schedule.at.replace(fold=0), tzinfo=zone).astimezone(dt.UTC)
        if slot <= now:
            return slot
    raise AssertionError("unreachable: yesterday's slot is always in the past")


def next_slot(
    schedule: Schedule, *, after: dt.datetime, zone: ZoneInfo = COPENHAGEN
) -> dt.datetime:
    """The first instant after `after` at which the schedule fires, in UTC."""
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime.")
    if isinstance(schedule, Every):
        return latest_slot(schedule, now=after, zone=zone) + schedule.interval
    today = after.astimezone(zone).date()
    for days_ahead in range(3):
        day = today + dt.timedelta(days=days_ahead)
        slot = dt.datetime.combine(day, schedule.at.replace(fold=0), tzinfo=zone).astimezone(dt.UTC)
        if slot > after:
            return slot
    raise AssertionError("unreachable: tomorrow's slot is always in the future")


def is_due(
    schedule: Schedule,
    *,
    last_run: dt.datetime | None,
    now: dt.datetime,
    zone: ZoneInfo = COPENHAGEN,
) -> bool:
    """Whether a run is due at `now`, given the slot that ran last (`None`: never ran).

    Only the latest slot counts: a scheduler that was down runs what it missed once, not once
    per missed slot.
    """
    return last_run is None or last_run < latest_slot(schedule, now=now, zone=zone)


@dataclass(frozen=True)
class Task:
    name: str
    function: TaskFunction
    schedule: Schedule | None = None

    def run(self, **kwargs: Any) -> None:
        """Run now, in this thread."""
        self.function(**kwargs)

    def enqueue(self, **kwargs: Any) -> None:
        """Run in the background once the current transaction commits (at once outside one)."""
        transaction.on_commit(lambda: dispatch(self.name, kwargs))

    def enqueue_once(self, *, gather_seconds: float = 0.0) -> None:
        """Run in the background once the current transaction commits, coalesced: requests made
        while a run is still waiting to start join that run.

        For a task without arguments that works through whatever is waiting (contacts to
        triage, say): a burst of requests, one per contact, then costs one run, not one each.
        The run starts `gather_seconds` after the first request at the earliest, so that the
        requests of a busy moment share it.
        """
        transaction.on_commit(lambda: dispatch_once(self.name, gather_seconds=gather_seconds))


REGISTRY: dict[str, Task] = {}


def task(name: str, *, schedule: Schedule | None = None) -> Callable[[TaskFunction], Task]:
    """Register a function as a background task under a stable name.

    With `schedule`, the scheduler also runs it periodically; it must then take no arguments.
    """

    def register(function: TaskFunction) -> Task:
        if name in REGISTRY and REGISTRY[name].function is not function:
            raise ValueError(f"Two tasks are named {name!r}.")
        if schedule is not None:
            try:
                inspect.signature(function).bind()
            except TypeError as error:
                raise ValueError(f"Periodic task {name!r} must take no arguments.") from error
        REGISTRY[name] = Task(name=name, function=function, schedule=schedule)
        return REGISTRY[name]

    return register


def get_task(name: str) -> Task:
    """The registered task; every app's `tasks` module is imported on first need."""
    if name not in REGISTRY:
        autodiscover_modules("tasks")
    return REGISTRY[name]


def periodic_tasks() -> list[Task]:
    """Every task with a schedule, from every app's `tasks` module, by name."""
    autodiscover_modules("tasks")
    return sorted((t for t in REGISTRY.values() if t.schedule is not None), key=lambda t: t.name)


def dispatch(name: str, kwargs: dict[str, Any]) -> None:
    backend = Backend(settings.TASK_BACKEND)
    if backend == Backend.IMMEDIATE:
        get_task(name).run(**kwargs)
    elif backend == Backend.CELERY:
        _send(name, kwargs)
    else:
        _executor().submit(run_in_worker, name, kwargs)


def dispatch_once(name: str, *, gather_seconds: float = 0.0) -> None:
    """Dispatch a run of the task unless one is already waiting to start.

    The run forgets that it was waiting just before it starts, so a request made after that
    dispatches the next run: nothing requested is missed. With Celery the waiting mark is a
    Redis key shared by all processes; it expires, so a lost message blocks nothing for long.
    """
    backend = Backend(settings.TASK_BACKEND)
    if backend == Backend.IMMEDIATE:
        get_task(name).run()
    elif backend == Backend.CELERY:
        if _redis().set(waiting_key(name), "1", nx=True, ex=WAITING_EXPIRY_SECONDS):
            _send(name, {}, waiting=True, countdown=gather_seconds)
    else:
        with _waiting.lock:
            if name in _waiting.names:
                return
            _waiting.names.add(name)
        # The pool's thread waits out the gathering time: a process that exits meanwhile (a
        # command) still finishes the run, as the pool's threads are joined at exit.
        _executor().submit(_run_waiting, name, gather_seconds)


@dataclass(frozen=True)
class _Waiting:
    """Coalesced tasks dispatched to the embedded pool and not yet started, by name."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    names: set[str] = field(default_factory=set)


_waiting = _Waiting()
# A waiting Celery run older than this no longer holds back new requests.
WAITING_EXPIRY_SECONDS = 60


def waiting_key(name: str) -> str:
    """The Redis key that marks a waiting run; per queue, as deployments may share a Redis."""
    return f"indgang:waiting:{settings.CELERY_TASK_DEFAULT_QUEUE}:{name}"


def _run_waiting(name: str, gather_seconds: float) -> None:
    time.sleep(gather_seconds)
    with _waiting.lock:
        _waiting.names.discard(name)
    run_in_worker(name, {})


def _send(
    name: str, kwargs: dict[str, Any], *, waiting: bool = False, countdown: float = 0.0
) -> None:
    # Celery loads only where it is the backend.
    from indgang.common.celery_app import app

    app.send_task(
        "indgang.run_task",
        kwargs={"name": name, "kwargs": kwargs, "waiting": waiting},
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        countdown=countdown or None,
    )


@cache
def _redis() -> Redis:
    return Redis.from_url(settings.CELERY_BROKER_URL)


def start_waiting_run(name: str) -> None:
    """In a Celery worker, as a coalesced run starts: later requests need a run of their own."""
    _redis().delete(waiting_key(name))


def run_in_worker(name: str, kwargs: dict[str, Any]) -> None:
    """Run a task outside any request: fresh database connections, errors logged."""
    close_old_connections()
    try:
        get_task(name).run(**kwargs)
    except Exception:
        logger.exception("Task %s failed with %s", name, kwargs)
        raise
    finally:
        close_old_connections()


@cache
def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=settings.EMBEDDED_TASK_WORKERS, thread_name_prefix="indgang-task"
    )


def tick(*, now: dt.datetime, tasks: Iterable[Task] | None = None) -> list[str]:
    """Dispatch each periodic task (default: all) that is due at `now`; return their names.

    A due run claims its slot first and is dispatched when that claim commits. When two
    schedulers tick at once, one claim fails on the unique constraint and that one skips it.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    dispatched = []
    for periodic in periodic_tasks() if tasks is None else tasks:
        schedule = periodic.schedule
        if schedule is None:
            raise ValueError(f"Task {periodic.name!r} has no schedule.")
        last_run = ScheduledRun.objects.filter(task=periodic.name).aggregate(last=Max("slot"))
        if not is_due(schedule, last_run=last_run["last"], now=now, zone=zone):
            continue
        slot = latest_slot(schedule, now=now, zone=zone)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ScheduledRun.objects.create(task=periodic.name, slot=slot, claimed_at=now)
            except IntegrityError:
                logger.info("Another scheduler claimed %s at %s", periodic.name, slot.isoformat())
                continue
            ScheduledRun.objects.filter(task=periodic.name, slot__lt=slot - KEEP_CLAIMS).delete()
            periodic.enqueue()
        dispatched.append(periodic.name)
    return dispatched


@dataclass(frozen=True)
class PeriodicStatus:
    task: Task
    schedule: Schedule
    last_run: dt.datetime | None
    due: bool
    next_run: dt.datetime


def list_periodic_status(*, now: dt.datetime) -> list[PeriodicStatus]:
    """Every periodic task with the slot that ran last, whether one is due and the next slot."""
    zone = ZoneInfo(settings.TIME_ZONE)
    last_runs = dict(
        ScheduledRun.objects.values("task").annotate(last=Max("slot")).values_list("task", "last")
    )
    statuses = []
    for periodic in periodic_tasks():
        if periodic.schedule is None:
            continue
        last_run = last_runs.get(periodic.name)
        due = is_due(periodic.schedule, last_run=last_run, now=now, zone=zone)
        statuses.append(
            PeriodicStatus(
                task=periodic,
                schedule=periodic.schedule,
                last_run=last_run,
                due=due,
                next_run=next_slot(periodic.schedule, after=now, zone=zone),
            )
        )
    return statuses


def run_scheduler(
    *, stop: threading.Event, tick_seconds: float, tasks: Iterable[Task] | None = None
) -> None:
    """Tick now and every `tick_seconds` until `stop` is set: the embedded scheduler."""
    tasks = None if tasks is None else list(tasks)
    while True:
        close_old_connections()
        try:
            tick(now=timezone.now(), tasks=tasks)
        except Exception:
            logger.exception("Scheduler tick failed")
        finally:
            close_old_connections()
        if stop.wait(tick_seconds):
            return


@dataclass(frozen=True)
class Scheduler:
    thread: threading.Thread
    stopping: threading.Event

    def stop(self, *, timeout: float = 10) -> None:
        """Stop ticking and wait for a tick under way to end."""
        self.stopping.set()
        self.thread.join(timeout)


def start_scheduler(*, tick_seconds: float, tasks: Iterable[Task] | None = None) -> Scheduler:
    """Run the embedded scheduler in a daemon thread (default: every periodic task).

    Start it in one process only (`indgang serve`): stateless web processes must not each run
    the schedule. Production runs `celery -A indgang beat` instead.
    """
    stopping = threading.Event()
    thread = threading.Thread(
        target=run_scheduler,
        kwargs={"stop": stopping, "tick_seconds": tick_seconds, "tasks": tasks},
        name="indgang-scheduler",
        daemon=True,
    )
    thread.start()
    return Scheduler(thread=thread, stopping=stopping)
