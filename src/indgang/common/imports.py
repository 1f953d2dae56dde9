"""The record of reference-data imports (KLE, task catalogue, organisation): written by each
importer's service, read by the administrator's start page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from indgang.common.models import ImportKind, ImportRun


def record_import(
    *,
    kind: ImportKind,
    source: str,
    records: int,
    changed: int,
    now: dt.datetime,
    published_on: dt.date | None = None,
) -> ImportRun:
    """Call inside the import's transaction, so that a refused file leaves no record."""
    return ImportRun.objects.create(
        kind=kind,
        finished_at=now,
        source=source[:300],
        published_on=published_on,
        records=records,
        changed=changed,
    )


def latest_imports() -> dict[str, ImportRun]:
    """The newest import of each kind that has run, by kind (one statement)."""
    newest = ImportRun.objects.values("kind").annotate(last=Max("finished_at"))
    runs = ImportRun.objects.filter(
        finished_at__in=newest.values("last"), kind__in=newest.values("kind")
    ).order_by("kind", "-finished_at", "-pk")
    found: dict[str, ImportRun] = {}
    for run in runs:
        found.setdefault(run.kind, run)
    return found
