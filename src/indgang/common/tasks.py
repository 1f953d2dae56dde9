"""One task engine for background work.

A task is a plain function of keyword arguments (ids, not objects) registered with `@task`.
`enqueue()` hands it to the configured backend once the current transaction commits:

- `embedded` (default): a small thread pool inside this process; no extra service.
- `celery`: Celery over Redis, for workers on other machines. Only one Celery task exists,
  `indgang.run_task`, which runs a registered task by name, so producers need no Celery
  registration and the registry stays the single list of tasks.
- `immediate`: runs at once in the caller's thread (tests).

Tasks must be idempotent: every backend may deliver a task more than once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

TaskFunction = Callable[..., None]


class Backend(StrEnum):
    EMBEDDED = "embedded"
    CELERY = "celery"
    IMMEDIATE = "immediate"


@dataclass(frozen=True)
class Task:
    name: str
    function: TaskFunction

    def run(self, **kwargs: Any) -> None:
        """Run now, in this thread."""
        self.function(**kwargs)

    def enqueue(self, **kwargs: Any) -> None:
        """Run in the background once the current transaction commits (at once outside one)."""
        transaction.on_commit(lambda: dispatch(self.name, kwargs))


REGISTRY: dict[str, Task] = {}


def task(name: str) -> Callable[[TaskFunction], Task]:
    """Register a function as a background task under a stable name."""

    def register(function: TaskFunction) -> Task:
        if name in REGISTRY and REGISTRY[name].function is not function:
            raise ValueError(f"Two tasks are named {name!r}.")
        REGISTRY[name] = Task(name=name, function=function)
        return REGISTRY[name]

    return register


def get_task(name: str) -> Task:
    """The registered task; every app's `tasks` module is imported on first need."""
    if name not in REGISTRY:
        autodiscover_modules("tasks")
    return REGISTRY[name]


def dispatch(name: str, kwargs: dict[str, Any]) -> None:
    backend = Backend(settings.TASK_BACKEND)
    if backend == Backend.IMMEDIATE:
        get_task(name).run(**kwargs)
    elif backend == Backend.CELERY:
        from indgang.celery import app

        app.send_task("indgang.run_task", kwargs={"name": name, "kwargs": kwargs})
    else:
        _executor().submit(run_in_worker, name, kwargs)


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
