"""Read contacts from CSV with the register's channel codes; every line is checked first."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from typing import TextIO

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel, KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.common.inputs import clean_text, parse_id
from indgang.contacts.constants import Direction, Outcome
from indgang.contacts.services import NewContact
from indgang.organisation.models import Unit
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr

COLUMNS = (
    "channel",
    "direction",
    "received_at",
    "summary",
    "cpr",
    "cvr",
    "task",
    "kle_topic",
    "unit",
    "outcome",
    "duration_seconds",
)
REQUIRED = ("channel", "received_at", "summary")


def parse_contacts_csv(file: TextIO) -> list[NewContact]:
    """Parse the file; raise one ValidationError listing every bad line, or return all rows."""
    reader = csv.DictReader(file)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    tasks = {str(t.pk): t for t in Task.objects.prefetch_related("kle_topics")}
    topics = {t.number: t for t in KleEntry.objects.filter(level=KleLevel.TOPIC)}
    units = {str(u.pk): u for u in Unit.objects.all()}
    contacts: list[NewContact] = []
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        try:
            contacts.append(_row(row, tasks, topics, units))
        except ValidationError as error:
            problems += [
                _("Line %(line)d: %(problem)s") % {"line": line, "problem": m}
                for m in error.messages
            ]
    if problems:
        raise ValidationError(problems)
    return contacts


def _row(
    row: dict[str, str],
    tasks: dict[str, Task],
    topics: dict[str, KleEntry],
    units: dict[str, Unit],
) -> NewContact:
    value = {key: clean_text(row.get(key) or "") for key in COLUMNS}
    errors: list[str] = []

    def choice(key: str, allowed: Iterable[str]) -> str:
        if value[key] and value[key] not in allowed:
            errors.append(_("unknown %(column)s %(value)r") % {"column": key, "value": value[key]})
            return ""
        return value[key]

    channel = choice("channel", Channel.values)
    direction = choice("direction", Direction.values) or Direction.INBOUND
    outcome = choice("outcome", Outcome.values)
    task_id = choice("task", tasks)
    kle_number = choice("kle_topic", topics)
    unit_id = choice("unit", units)
    received_at = _received_at(value["received_at"], errors)
    cpr = _identifier(value["cpr"], clean_cpr, errors)
    cvr = _identifier(value["cvr"], clean_cvr, errors)
    if not channel:
        errors.append(_("channel is required"))
    duration = value["duration_seconds"]
    if duration and parse_id(duration) is None:
        errors.append(_("duration_seconds must be a whole number of seconds"))
    if errors or received_at is None:
        raise ValidationError(errors)
    return NewContact(
        channel=Channel(channel),
        direction=Direction(direction),
        received_at=received_at,
        summary=value["summary"],
        cpr=cpr,
        cvr=cvr,
        task=tasks.get(task_id),
        kle_topic=topics.get(kle_number),
        unit=units.get(unit_id),
        outcome=Outcome(outcome) if outcome else None,
        duration_seconds=int(duration) if duration else None,
    )


def _received_at(text: str, errors: list[str]) -> dt.datetime | None:
    parsed = parse_datetime(text) if text else None
    if parsed is None or parsed.tzinfo is None:
        errors.append(
            _("received_at must be an ISO 8601 time with time zone, e.g. 2026-03-02T09:15+01:00")
        )
        return None
    return parsed


def _identifier(text: str, clean: Callable[[str], str], errors: list[str]) -> str | None:
    if not text:
        return None
    try:
        return clean(text)
    except InvalidIdentifierError as error:
        errors.append(str(error))
        return None
