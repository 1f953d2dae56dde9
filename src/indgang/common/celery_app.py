"""The Celery application: producers send through it (`tasks._send`), workers run on it.

It lives here, below everything, so that the task engine sends without importing the worker's
entry point, `indgang/celery.py`, which registers the two Celery tasks on it and which
`celery -A indgang` loads.
"""

from __future__ import annotations

from celery import Celery

app = Celery("indgang")
# Read lazily, on first use: by then the worker's entry point has chosen the settings.
app.config_from_object("django.conf:settings", namespace="CELERY")
