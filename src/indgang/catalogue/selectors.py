"""Reads: the task catalogue and the KLE classification."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.models import KleEntry, MainGroupOwner, SummaryTemplate, Task
from indgang.organisation.models import Department


def list_tasks(*, text: str = "", department_id: int | None = None) -> QuerySet[Task]:
    """Active tasks, matching every word of `text` in the title or a KLE topic's number/title."""
    tasks = Task.objects.filter(is_active=True)
    for word in text.split():
        tasks = tasks.filter(
            Q(title__icontains=word)
            | Q(kle_topics__title__icontains=word)
            | Q(kle_topics__number__startswith=word)
        )
    if department_id is not None:
        tasks = tasks.filter(department_id=department_id)
    return (
        tasks.distinct()
        .select_related("department", "unit")
        .prefetch_related("kle_topics")
        .order_by("title", "department__abbreviation")
    )


# One keystroke each at the front desk: Alt+Shift+1 to Alt+Shift+9.
SUMMARY_TEMPLATES_SHOWN = 9


def list_summary_templates(*, task_id: int) -> list[SummaryTemplate]:
    """The templates the front desk offers for a task, in their order; none for a retired task."""
    return list(
        SummaryTemplate.objects.filter(task_id=task_id, task__is_active=True).order_by(
            "position", "pk"
        )[:SUMMARY_TEMPLATES_SHOWN]
    )


def list_kle_entries(
    *,
    level: KleLevel | None = KleLevel.TOPIC,
    active: bool | None = None,
    number_prefix: str = "",
    text: str = "",
) -> QuerySet[KleEntry]:
    entries = KleEntry.objects.all()
    if level is not None:
        entries = entries.filter(level=level)
    if active is not None:
        entries = entries.filter(retired_on__isnull=active)
    if number_prefix:
        entries = entries.filter(number__startswith=number_prefix)
    for word in text.split():
        entries = entries.filter(title__icontains=word)
    return entries.order_by("number")


def retired_topic_refusal(topic: KleEntry | None) -> str | None:
    """Why a contact, a routing or a case cannot be given this KLE topic; None if it can."""
    if topic is None or topic.retired_on is None:
        return None
    return _("KLE topic %(number)s was retired on %(date)s.") % {
        "number": topic.number,
        "date": topic.retired_on.isoformat(),
    }


def main_group_departments() -> dict[str, Department]:
    """The department answering for each KLE main group, by number ("02"): the owner set in the
    admin, else the department whose active tasks carry the most topics of the main group (the
    lower abbreviation on a tie). A main group no task touches and nobody owns is left out."""
    carried = Counter(
        (number[:2], department_id)
        for number, department_id in Task.objects.filter(is_active=True).values_list(
            "kle_topics__number", "department_id"
        )
        if number
    )
    departments = Department.objects.in_bulk({department for _group, department in carried})
    ranked = sorted(
        carried.items(), key=lambda item: (-item[1], departments[item[0][1]].abbreviation)
    )
    owners: dict[str, Department] = {}
    for (group, department_id), _count in ranked:
        owners.setdefault(group, departments[department_id])
    for owner in MainGroupOwner.objects.select_related("main_group", "department"):
        owners[owner.main_group.number] = owner.department
    return owners
