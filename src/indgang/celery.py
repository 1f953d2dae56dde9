"""The Celery application for `INDGANG_TASK_BACKEND=celery`.

Start workers with `celery -A indgang worker`; they run tasks registered in indgang.common.tasks.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.conf.production")

app = Celery("indgang")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="indgang.run_task", acks_late=True)
def run_task(*, name: str, kwargs: dict[str, Any]) -> None:
    from indgang.common.tasks import run_in_worker

    run_in_worker(name, kwargs)
