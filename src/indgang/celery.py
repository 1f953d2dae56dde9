"""The Celery application for `INDGANG_TASK_BACKEND=celery`.

Production runs, beside the granian web processes:

- any number of `celery -A indgang worker`: they run the tasks registered in
  indgang.common.tasks;
- exactly one `celery -A indgang beat`: it sends `indgang.tick` every
  `INDGANG_SCHEDULER_TICK_SECONDS`, and a worker then dispatches the periodic tasks that are due
  (`indgang.common.tasks.tick`). A second beat by mistake dispatches nothing twice: each run
  claims its slot in the database first.
"""

from __future__ import annotations

import os
from typing import Any

from indgang.common.celery_app import app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.conf.production")


@app.task(name="indgang.run_task", acks_late=True)
def run_task(*, name: str, kwargs: dict[str, Any], waiting: bool = False) -> None:
    from indgang.common.tasks import run_in_worker, start_waiting_run

    if waiting:  # a coalesced run (Task.enqueue_once)
        start_waiting_run(name)
    run_in_worker(name, kwargs)


@app.task(name="indgang.tick")
def tick() -> None:
    from django.db import close_old_connections
    from django.utils import timezone

    from indgang.common import tasks

    close_old_connections()
    try:
        tasks.tick(now=timezone.now())
    finally:
        close_old_connections()
