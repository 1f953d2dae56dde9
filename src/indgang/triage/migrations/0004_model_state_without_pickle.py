"""Stored triage models become NumPy archives of plain arrays, which load without unpickling.

Format 1 was a joblib pickle, written by this application into its own database; it is read
once more here, to convert it.
"""

import io
from typing import Any

import joblib
import numpy as np
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from indgang.triage.learning import ModelState, Route, dump_state


def _from_format_1(raw: bytes) -> ModelState:
    stored: dict[str, Any] = joblib.load(io.BytesIO(raw))  # noqa: S301 - see the docstring
    return ModelState(
        routes=[Route(int(task), int(topic)) for task, topic in stored["routes"]],
        cold=stored["cold"],
        sums=stored["sums"],
        counts=stored["counts"],
        cold_df=np.asarray(stored["cold_df"].todense()).ravel(),
        history_df=np.asarray(stored["history_df"].todense()).ravel(),
        active=stored["active"],
        last_example_id=int(stored["last_example_id"]),
        meta=dict(stored["meta"]),
    )


def convert(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    version_model = apps.get_model("triage", "ModelVersion")
    for pk in version_model.objects.filter(size_bytes__gt=0).values_list("pk", flat=True):
        raw = bytes(version_model.objects.values_list("state", flat=True).get(pk=pk))
        if raw.startswith(b"PK"):  # already a NumPy archive (a zip file)
            continue
        data = dump_state(_from_format_1(raw))
        version_model.objects.filter(pk=pk).update(state=data, size_bytes=len(data))


class Migration(migrations.Migration):
    dependencies = [("triage", "0003_awaiting_triage")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
