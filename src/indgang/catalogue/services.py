"""Writes to the KLE classification and the task catalogue."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel, Depth, KleLevel
from indgang.catalogue.kle import KleFormatError, parse_kle_file
from indgang.catalogue.models import KleEntry, KleKeyword, SummaryTemplate, Task
from indgang.catalogue.os2kle import KeywordFormatError, parse_keywords_file
from indgang.common.imports import record_import
from indgang.common.models import ImportKind
from indgang.organisation.models import Department

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class KleImportReport:
    published_on: str
    main_groups: int
    groups: int
    topics: int
    active_topics: int
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_kle(
    *, path: Path, progress: Progress | None = None, now: dt.datetime | None = None
) -> KleImportReport:
    """Import a KLE emneplan: create new entries, update changed ones in place, keep retired ones,
    and record the import (at `now`, by default the current time).

    The file is parsed in full before anything is written, so a malformed file changes nothing.
    """
    plan = parse_kle_file(path)
    existing = {entry.number: entry for entry in KleEntry.objects.all()}
    fields = list(plan.records[0].field_values())
    created = updated = 0
    total = len(plan.records)
    for level in (KleLevel.MAIN_GROUP, KleLevel.GROUP, KleLevel.TOPIC):
        # Parents are written before their children, so their ids are known.
        to_create: list[KleEntry] = []
        to_update: list[KleEntry] = []
        for record in (r for r in plan.records if r.level == level):
            values = record.field_values()
            values["parent_id"] = (
                existing[record.parent_number].pk if record.parent_number else None
            )
            entry = existing.get(record.number)
            if entry is None:
                entry = KleEntry(number=record.number, **values)
                existing[record.number] = entry
                to_create.append(entry)
            elif any(getattr(entry, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(entry, name, value)
                to_update.append(entry)
        KleEntry.objects.bulk_create(to_create, batch_size=500)
        KleEntry.objects.bulk_update(to_update, [*fields, "parent_id"], batch_size=500)
        created += len(to_create)
        updated += len(to_update)
        if progress:
            progress(
                sum(1 for r in plan.records if _level_rank(r.level) <= _level_rank(level)), total
            )
    topics = [r for r in plan.records if r.level == KleLevel.TOPIC]
    record_import(
        kind=ImportKind.KLE,
        source=path.name,
        records=total,
        changed=created + updated,
        now=now or timezone.now(),
        published_on=plan.published_on,
    )
    return KleImportReport(
        published_on=plan.published_on.isoformat() if plan.published_on else "",
        main_groups=sum(1 for r in plan.records if r.level == KleLevel.MAIN_GROUP),
        groups=sum(1 for r in plan.records if r.level == KleLevel.GROUP),
        topics=len(topics),
        active_topics=sum(1 for r in topics if r.retired_on is None),
        created=created,
        updated=updated,
        unchanged=total - created - updated,
    )


# How many of the topics kept out a report names.
EXAMPLES_REPORTED = 5


@dataclass(frozen=True)
class KeywordImportReport:
    topics: int  # topics in the file
    matched: int  # of which the plan has and has not retired: their terms are kept
    terms: int  # terms kept
    created: int
    updated: int
    deleted: int
    unchanged: int
    missing: list[str]  # numbers the plan does not have
    retired: list[str]  # numbers the plan has retired

    def lines(self) -> list[str]:
        """What the import did, in Danish, naming a few of the topics kept out."""
        lines = [
            _(
                "KLE keywords: %(matched)d of %(topics)d topics matched the plan, %(terms)d "
                "terms. Created %(created)d, updated %(updated)d, deleted %(deleted)d, "
                "unchanged %(unchanged)d."
            )
            % vars(self)
        ]
        for numbers, text in (
            (self.missing, _("Kept out, not in the plan: %(count)d topics (%(examples)s)")),
            (self.retired, _("Kept out, retired in the plan: %(count)d topics (%(examples)s)")),
        ):
            if numbers:
                examples = ", ".join(numbers[:EXAMPLES_REPORTED])
                more = ", …" if len(numbers) > EXAMPLES_REPORTED else ""
                lines.append(text % {"count": len(numbers), "examples": examples + more})
        return lines


@transaction.atomic
def import_kle_keywords(*, path: Path, now: dt.datetime | None = None) -> KeywordImportReport:
    """Import OS2KLE's keyword lists onto the imported plan's active topics, in place: new terms
    are added, changed weights updated, and terms the file no longer has (or whose topic it
    no longer lists) deleted. Topics the plan lacks or has retired are counted and kept out.

    The file is parsed in full before anything is written, so a malformed file changes nothing.
    """
    topics = parse_keywords_file(path)
    plan = dict(KleEntry.objects.filter(level=KleLevel.TOPIC).values_list("number", "retired_on"))
    if not plan:
        raise KeywordFormatError(_("Import the KLE plan first: it has no topics yet."))
    kept = [topic for topic in topics if plan.get(topic.number, dt.date.min) is None]
    ids = dict(
        KleEntry.objects.filter(number__in=[t.number for t in kept]).values_list("number", "pk")
    )
    wanted = {
        (ids[topic.number], term): weight for topic in kept for term, weight in topic.terms.items()
    }
    existing = {(k.topic_id, k.term): k for k in KleKeyword.objects.all()}
    to_create = [
        KleKeyword(topic_id=topic_id, term=term, weight=weight)
        for (topic_id, term), weight in wanted.items()
        if (topic_id, term) not in existing
    ]
    to_update = []
    for key, keyword in existing.items():
        if key in wanted and keyword.weight != wanted[key]:
            keyword.weight = wanted[key]
            to_update.append(keyword)
    gone = [keyword.pk for key, keyword in existing.items() if key not in wanted]
    for start in range(0, len(gone), 500):
        KleKeyword.objects.filter(pk__in=gone[start : start + 500]).delete()
    KleKeyword.objects.bulk_create(to_create, batch_size=1000)
    KleKeyword.objects.bulk_update(to_update, ["weight"], batch_size=1000)
    changed = len(to_create) + len(to_update) + len(gone)
    record_import(
        kind=ImportKind.KLE_KEYWORDS,
        source=path.name,
        records=len(topics),
        changed=changed,
        now=now or timezone.now(),
    )
    return KeywordImportReport(
        topics=len(topics),
        matched=len(kept),
        terms=len(wanted),
        created=len(to_create),
        updated=len(to_update),
        deleted=len(gone),
        unchanged=len(wanted) - len(to_create) - len(to_update),
        missing=[t.number for t in topics if t.number not in plan],
        retired=[t.number for t in topics if plan.get(t.number) is not None],
    )


def _level_rank(level: str) -> int:
    return [KleLevel.MAIN_GROUP, KleLevel.GROUP, KleLevel.TOPIC].index(KleLevel(level))


class CatalogueImportError(ValueError):
    """A task catalogue file has a line that cannot be imported; nothing was written."""


@transaction.atomic
def import_task_catalogue(
    *, path: Path, departments: dict[str, Department], now: dt.datetime | None = None
) -> int:
    """Create or update tasks from a CSV file (title, department, depth, frontline_may_resolve,
    kle, channels, self_service_url) and record the import (at `now`, by default the current
    time); return how many lines were read.
    """
    topics = {
        entry.number: entry
        for entry in KleEntry.objects.filter(level=KleLevel.TOPIC, retired_on__isnull=True)
    }
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for line, row in enumerate(rows, start=2):
        department = departments.get(row["department"])
        numbers = [n.strip() for n in row["kle"].split(";") if n.strip()]
        channels = [c.strip() for c in row["channels"].split(";") if c.strip()]
        problems = []
        if department is None:
            problems.append(_("unknown department %(value)r") % {"value": row["department"]})
        problems += [
            _("unknown or retired KLE topic %(value)r") % {"value": n}
            for n in numbers
            if n not in topics
        ]
        problems += [
            _("unknown channel %(value)r") % {"value": c}
            for c in channels
            if c not in Channel.values
        ]
        if row["depth"] not in {"1", "2", "3"}:
            problems.append(_("depth must be 1, 2 or 3"))
        if problems:
            raise CatalogueImportError(
                _("Line %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
        assert department is not None  # noqa: S101 - checked above; narrows the type
        task, _created = Task.objects.update_or_create(
            title=row["title"].strip(),
            department=department,
            defaults={
                "depth": Depth(int(row["depth"])),
                "frontline_may_resolve": row["frontline_may_resolve"].strip().lower() == "true",
                "channels": channels,
                "self_service_url": row.get("self_service_url", "").strip(),
            },
        )
        task.kle_topics.set([topics[n] for n in numbers])
    # Every line is written with update_or_create, so every line counts as created or changed.
    record_import(
        kind=ImportKind.TASK_CATALOGUE,
        source=path.name,
        records=len(rows),
        changed=len(rows),
        now=now or timezone.now(),
    )
    return len(rows)


def add_summary_templates(*, task: Task, texts: list[str]) -> int:
    """Give a task these summary templates after those it has, in this order, skipping texts
    it already has (so a second run changes nothing); return how many were added."""
    existing = list(task.summary_templates.values_list("text", "position"))
    have = {text for text, _position in existing}
    position = max((position for _text, position in existing), default=0)
    added = [
        SummaryTemplate(task=task, text=text, position=position + number)
        for number, text in enumerate(dict.fromkeys(t for t in texts if t not in have), start=1)
    ]
    SummaryTemplate.objects.bulk_create(added)
    return len(added)


__all__ = [
    "KeywordFormatError",
    "KleFormatError",
    "add_summary_templates",
    "import_kle",
    "import_kle_keywords",
    "import_task_catalogue",
]
