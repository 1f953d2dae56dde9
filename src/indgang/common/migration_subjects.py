"""Data migrations that move a foreign key onto the generic subject (issue 19), shared by the
apps whose rows refer to contacts and threads: one set-based copy forward
and one back."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F


def _content_type(apps: Any, alias: str, app_label: str, model: str) -> Any:
    content_type, _created = (
        apps.get_model("contenttypes", "ContentType")
        .objects.db_manager(alias)
        .get_or_create(app_label=app_label, model=model)
    )
    return content_type


def copy_to_subject(
    app_label: str, model: str, fields: dict[str, tuple[str, str]]
) -> migrations.RunPython:
    """Copy each row's foreign key (field → (app, model) it points at) into subject_type and
    subject_id, and back when the migration is reversed."""

    def forward(apps: Any, schema_editor: Any) -> None:
        alias = schema_editor.connection.alias
        rows = apps.get_model(app_label, model).objects.using(alias)
        for field, target in fields.items():
            content_type = _content_type(apps, alias, *target)
            rows.filter(**{f"{field}__isnull": False}).update(
                subject_type=content_type, subject_id=F(f"{field}_id")
            )

    def backward(apps: Any, schema_editor: Any) -> None:
        alias = schema_editor.connection.alias
        rows = apps.get_model(app_label, model).objects.using(alias)
        for field, target in fields.items():
            content_type = _content_type(apps, alias, *target)
            rows.filter(subject_type=content_type).update(**{f"{field}_id": F("subject_id")})

    return migrations.RunPython(forward, backward)
