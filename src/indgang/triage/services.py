"""Writes: train model versions, route contacts, record staff routings, keep the queue."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.catalogue.selectors import retired_topic_refusal
from indgang.common.rows import insert_many
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact, Thread
from indgang.contacts.services import record_contact_changes, tracked_values
from indgang.organisation.models import Unit
from indgang.triage import selectors
from indgang.triage.constants import (
    FULL_HOLDOUT_MAX,
    FULL_HOLDOUT_SHARE,
    KEPT_VERSIONS,
    SUGGESTIONS,
    TRIAGE_BATCH,
    TrainingKind,
    Verdict,
)
from indgang.triage.learning import (
    Document,
    Example,
    ModelState,
    Predictor,
    cold_start,
    dump_state,
    learn,
    with_catalogue,
)
from indgang.triage.models import ModelVersion, QueueItem, RoutingDecision
from indgang.triage.selectors import Suggestions
from indgang.triage.tasks import retrain

# --- Training -----------------------------------------------------------------------------------


def measure(predictor: Predictor, examples: Sequence[Example]) -> dict[str, Any]:
    """Top-1 and top-3 task accuracy on labelled examples."""
    if not examples:
        return {"n": 0}
    top1 = top3 = 0
    shown = predictor.top_tasks(
        [e.document for e in examples], tasks=SUGGESTIONS, routes=SUGGESTIONS * 10
    )
    for example, best in zip(examples, shown, strict=True):
        tasks = [scored.route.task_id for scored in best]
        top1 += bool(tasks) and tasks[0] == example.route.task_id
        top3 += example.route.task_id in tasks
    n = len(examples)
    return {"n": n, "top1": round(top1 / n, 4), "top3": round(top3 / n, 4)}


def _current_at(last: int) -> Q:
    """Routings not yet superseded as of routing `last`: a consistent snapshot while staff
    keep routing during training."""
    return Q(superseded_by__isnull=True) | Q(superseded_by__gt=last)


def train_model(*, now: dt.datetime, full: bool = False) -> ModelVersion | None:
    """Store a new model version: the newest one plus the routings since, or a full rebuild.

    Metrics are measured on routings the model had not yet learned: an incremental step scores
    the new routings with the previous version before learning them; a full rebuild holds out
    the newest tenth. Returns None when nothing changed since the newest version (no routing
    and no catalogue change), which is what most queued `triage.retrain` runs find after a
    burst of routings: the first one learned them all.
    """
    started = time.perf_counter()
    catalogue = selectors.get_catalogue()
    newest = selectors.get_newest_version()
    decisions = selectors.labelled_decisions()
    newest_routing = decisions.order_by("-pk").values_list("pk", flat=True).first() or 0
    if (
        not full
        and newest is not None
        and newest.size_bytes
        and newest.catalogue == catalogue.fingerprint
        and newest_routing <= newest.last_example_id
    ):
        return None  # Cheap check first: queued retrainings after a burst of routings end here.
    if full or newest is None or not newest.size_bytes:
        current = selectors.examples_of(
            decisions.filter(_current_at(newest_routing), pk__lte=newest_routing)
        )
        examples = [example for _pk, example in current]
        held = min(int(len(examples) * FULL_HOLDOUT_SHARE), FULL_HOLDOUT_MAX)
        state = cold_start(catalogue.documents, active=catalogue.active)
        state = learn(state, add=examples[: len(examples) - held])
        metrics = measure(Predictor(state), examples[len(examples) - held :])
        state = learn(state, add=examples[len(examples) - held :])
        last = newest_routing
        kind = TrainingKind.FULL if examples else TrainingKind.COLD_START
    else:
        state = selectors.load_version_state(version=newest)
        last_before = state.last_example_id
        added = selectors.examples_of(
            decisions.filter(
                _current_at(newest_routing), pk__gt=last_before, pk__lte=newest_routing
            )
        )
        removed = selectors.examples_of(
            decisions.filter(
                pk__lte=last_before,
                superseded_by__gt=last_before,
                superseded_by__lte=newest_routing,
            )
        )
        metrics = measure(Predictor(state), [example for _pk, example in added])
        if newest.catalogue != catalogue.fingerprint:
            # Featuring every route's document is most of a step's cost (the whole plan has
            # some 2,400): only when the catalogue, the plan or its terms changed.
            state = with_catalogue(state, catalogue.documents, active=catalogue.active)
        state = learn(
            state,
            add=[example for _pk, example in added],
            remove=[example for _pk, example in removed],
        )
        last = max(newest_routing, last_before)
        kind = TrainingKind.INCREMENTAL
    state.last_example_id = last
    state.meta = {"catalogue": catalogue.fingerprint}
    return _save_version(state, kind=kind, metrics=metrics, now=now, started=started)


def _save_version(
    state: ModelState,
    *,
    kind: TrainingKind,
    metrics: dict[str, Any],
    now: dt.datetime,
    started: float,
) -> ModelVersion:
    data = dump_state(state)
    with transaction.atomic():
        version = ModelVersion.objects.create(
            trained_at=now,
            kind=kind,
            examples=state.examples,
            last_example_id=state.last_example_id,
            routes=int(state.active.sum()),
            catalogue=state.meta.get("catalogue", ""),
            metrics=metrics,
            duration_seconds=round(time.perf_counter() - started, 3),
            size_bytes=len(data),
            state=data,
        )
        kept = list(
            ModelVersion.objects.filter(size_bytes__gt=0)
            .order_by("-pk")
            .values_list("pk", flat=True)[:KEPT_VERSIONS]
        )
        ModelVersion.objects.filter(size_bytes__gt=0).exclude(pk__in=kept).update(
            state=b"", size_bytes=0
        )
    return version


# --- Routing ------------------------------------------------------------------------------------


def _validate_route(*, task: Task, kle_topic: KleEntry | None) -> None:
    errors: dict[str, str] = {}
    if not task.is_active:
        errors["task"] = _("The task %(task)s is no longer in use.") % {"task": task.title}
    if kle_topic is not None and kle_topic.level != KleLevel.TOPIC:
        errors["kle_topic"] = _("%(number)s is not a KLE topic.") % {"number": kle_topic.number}
    elif refusal := retired_topic_refusal(kle_topic):
        errors["kle_topic"] = refusal
    if errors:
        raise ValidationError(errors)


def _topic_for(task: Task, suggestions: Suggestions) -> KleEntry | None:
    """The topic triage suggested with the task, else the task's lowest-numbered topic."""
    for item in suggestions.items:
        if item.task is not None and item.task.pk == task.pk and item.kle_topic is not None:
            return item.kle_topic
    return task.kle_topics.order_by("number").first()


@dataclass(frozen=True)
class _Routed:
    contact: Contact
    moved: bool


def _route(
    contact: Contact, *, task: Task, kle_topic: KleEntry | None, unit: Unit | None, move: bool
) -> _Routed:
    """Set the contact's routing columns (not saved). A moved contact waits for a handler in
    its new unit. Kept here, not in contacts.services, so that routing stays in one place.
    """
    contact.task, contact.kle_topic, contact.awaiting_triage = task, kle_topic, False
    target = unit or task.unit
    moved = move and target is not None and target.pk != contact.unit_id
    if moved and target is not None:
        contact.unit, contact.department_id, contact.handled_by = target, target.department_id, None
    return _Routed(contact, moved)


def _save_routes(routes: Sequence[_Routed]) -> None:
    """Write the routing columns of the contacts in one statement; move the threads they started.

    A thread belongs where the contact that started it went, as at registration, unless it has
    other contacts by now.
    """
    # One UPDATE per distinct routing (a batch has few), not one per contact.
    by_values: dict[tuple[Any, ...], list[int]] = {}
    for routed in routes:
        values = tuple(getattr(routed.contact, column) for column in ROUTING_COLUMNS)
        by_values.setdefault(values, []).append(routed.contact.pk)
    for values, pks in by_values.items():
        Contact.objects.filter(pk__in=pks).update(**dict(zip(ROUTING_COLUMNS, values, strict=True)))
    moved = {r.contact.thread_id: r.contact.department_id for r in routes if r.moved}
    if not moved:
        return
    shared = (
        Contact.objects.filter(thread_id__in=moved)
        .values("thread_id")
        .annotate(contacts=Count("pk"))
        .filter(contacts__gt=1)
        .values_list("thread_id", flat=True)
    )
    for thread_id in shared:
        del moved[thread_id]
    by_department: dict[int | None, list[int]] = {}
    for thread_id, department_id in moved.items():
        by_department.setdefault(department_id, []).append(thread_id)
    for department_id, thread_ids in by_department.items():
        Thread.objects.filter(pk__in=thread_ids).update(department_id=department_id)


ROUTING_COLUMNS = [
    "task_id",
    "kle_topic_id",
    "unit_id",
    "department_id",
    "handled_by_id",
    "awaiting_triage",
]


@transaction.atomic
def record_routing(
    *,
    contact: Contact,
    task: Task,
    decided_by: User,
    now: dt.datetime,
    kle_topic: KleEntry | None = None,
    unit: Unit | None = None,
    suggestions: Suggestions | None = None,
    apply: bool = True,
) -> RoutingDecision:
    """Record that staff routed a contact to a task: a labelled example; retrain after commit.

    The verdict compares the task with what triage suggested (what the queue showed, else the
    suggestions for the contact's text now). `apply=False` when the contact already carries the
    task, as at the front desk. An earlier staff routing of the contact is superseded.
    """
    _validate_route(task=task, kle_topic=kle_topic)
    item = QueueItem.objects.filter(contact=contact, routed_at__isnull=True).first()
    if suggestions is None:
        suggestions = (
            selectors.suggestions_from_snapshot(item.suggested, version=item.model_version)
            if item is not None
            else selectors.suggest(
                text=contact.summary,
                channel=contact.channel,
                party_kind=contact.party.kind if contact.party else "",
            )
        )
    kle_topic = kle_topic or (
        contact.kle_topic if not apply and contact.kle_topic else _topic_for(task, suggestions)
    )
    if apply:
        # Staff route explicitly; a contact resolved at first contact stays where it was handled.
        move = unit is not None or contact.outcome != Outcome.RESOLVED_AT_FIRST_CONTACT
        before = tracked_values(contact)
        _save_routes([_route(contact, task=task, kle_topic=kle_topic, unit=unit, move=move)])
        record_contact_changes(contact=contact, before=before, by=decided_by, now=now)
    decision = RoutingDecision.objects.create(
        contact=contact,
        task=task,
        kle_topic=kle_topic,
        unit=contact.unit,  # where the contact now is
        verdict=(Verdict.CONFIRMED if suggestions.first_task_id == task.pk else Verdict.CORRECTED),
        suggested=suggestions.snapshot(),
        suggested_task_id=suggestions.first_task_id,
        confidence=suggestions.confidence if suggestions.items else None,
        model_version=suggestions.model_version,
        decided_by=decided_by,
        decided_at=now,
    )
    selectors.labelled_decisions().filter(contact=contact, superseded_by__isnull=True).exclude(
        pk=decision.pk
    ).update(superseded_by=decision)
    if item is not None:
        item.routed_at, item.decision = now, decision
        item.save(update_fields=["routed_at", "decision"])
    retrain.enqueue()
    return decision


@transaction.atomic
def triage_contact(*, contact: Contact, now: dt.datetime) -> RoutingDecision | QueueItem | None:
    """Triage one contact that came without a task, now (the front desk, as it registers one).

    Idempotent: a contact that has been triaged or routed, or that a sweep is triaging at this
    moment, is left alone (None).
    """
    waiting = Contact.objects.filter(pk=contact.pk, awaiting_triage=True)
    if not waiting.select_for_update(skip_locked=True).values_list("pk", flat=True):
        return None
    return _triage([contact], now=now).get(contact.pk)


@dataclass(frozen=True)
class TriageCount:
    triaged: int
    routed: int
    queued: int


def triage_waiting(*, now: dt.datetime, limit: int = TRIAGE_BATCH) -> TriageCount:
    """Triage the oldest contacts awaiting triage, at most `limit`, in one pass.

    Rows another sweep holds are skipped (on PostgreSQL), so sweeps on several workers share
    the waiting contacts instead of triaging any twice.
    """
    with transaction.atomic():
        contacts = list(
            Contact.objects.filter(awaiting_triage=True)
            .select_related("party")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:limit]
        )
        results = _triage(contacts, now=now).values()
    return TriageCount(
        triaged=len(contacts),
        routed=sum(isinstance(result, RoutingDecision) for result in results),
        queued=sum(isinstance(result, QueueItem) for result in results),
    )


def _triage(
    contacts: Sequence[Contact], *, now: dt.datetime
) -> dict[int, RoutingDecision | QueueItem]:
    """Route contacts held for triage: automatically when confident, else to the queue.

    Every contact leaves with a task or a queue item, so each lands in the statistics by task.
    A contact resolved at first contact is only classified: routed, it keeps its unit and
    handler; queued, staff give it a task and nothing else (`route_from_queue`). One that has a
    task by now is left where it is.
    """
    held = contacts
    contacts = [contact for contact in contacts if contact.task_id is None]
    suggested = selectors.suggest_many(
        [Document(c.summary, c.channel, c.party.kind if c.party else "") for c in contacts]
    )
    results: dict[int, RoutingDecision | QueueItem] = {}
    routes = []
    for contact, suggestions in zip(contacts, suggested, strict=True):
        if suggestions.confident:
            first = suggestions.items[0]
            task = first.task
            assert task is not None  # noqa: S101 - confident means a task; narrows the type
            # Only a contact nobody has acted on moves; a forwarded one keeps the unit staff chose.
            routes.append(
                _route(
                    contact,
                    task=task,
                    kle_topic=first.kle_topic,
                    unit=first.unit,
                    move=not contact.outcome,
                )
            )
            results[contact.pk] = RoutingDecision(
                contact=contact,
                task=task,
                kle_topic=first.kle_topic,
                unit=first.unit,
                verdict=Verdict.AUTOMATIC,
                suggested=suggestions.snapshot(),
                suggested_task=task,
                confidence=first.confidence,
                model_version=suggestions.model_version,
                decided_at=now,
            )
        else:
            results[contact.pk] = QueueItem(
                contact=contact,
                suggested=suggestions.snapshot(),
                confidence=suggestions.confidence,
                model_version=suggestions.model_version,
                queued_at=now,
            )
    _save_routes(routes)
    # A routed contact left the waiting list with its routing (_save_routes): one new version of
    # its row, not two. The rest (queued, or given a task meanwhile) leave it here.
    routed = {r.contact.pk for r in routes}
    Contact.objects.filter(pk__in=[c.pk for c in held if c.pk not in routed]).update(
        awaiting_triage=False
    )
    insert_many([result for result in results.values() if isinstance(result, RoutingDecision)])
    insert_many([result for result in results.values() if isinstance(result, QueueItem)])
    return results


def record_front_desk_routing(
    *, contact: Contact, decided_by: User, now: dt.datetime
) -> RoutingDecision | QueueItem | None:
    """After the front desk registers a contact: its task is a staff routing; none, triage it."""
    if contact.task is not None:
        return record_routing(
            contact=contact, task=contact.task, decided_by=decided_by, now=now, apply=False
        )
    return triage_contact(contact=contact, now=now)


def route_from_queue(
    *,
    item: QueueItem,
    task: Task,
    decided_by: User,
    now: dt.datetime,
    unit: Unit | None = None,
) -> RoutingDecision:
    """Staff route a queued contact: the contact moves, the item closes, the model learns.

    A contact resolved at first contact is queued to be classified only: it takes the task and
    stays with the unit and staff member who resolved it, so no unit may be given.
    """
    if item.routed_at is not None:
        raise ValidationError(_("This contact has already been routed."))
    if unit is not None and item.contact.outcome == Outcome.RESOLVED_AT_FIRST_CONTACT:
        raise ValidationError(
            {"unit": _("The contact was resolved at first contact: choose only its task.")}
        )
    return record_routing(
        contact=item.contact, task=task, unit=unit, decided_by=decided_by, now=now
    )


def record_routings_in_bulk(
    *, contacts: Sequence[Contact], decided_by: User, now: dt.datetime, batch_size: int = 2000
) -> int:
    """Record routed history: each contact's task as a staff routing (an import, the demo).

    Verdicts compare with the current model's first suggestion; the words are not explained,
    and no retraining is queued: call `train_model(full=True)` afterwards.
    """
    version, predictor = selectors.get_predictor()
    routed = [contact for contact in contacts if contact.task_id is not None]
    created = 0
    for start in range(0, len(routed), batch_size):
        batch = routed[start : start + batch_size]
        suggested = predictor.top_tasks(
            [Document(c.summary, c.channel, c.party.kind if c.party else "") for c in batch],
            tasks=SUGGESTIONS,
            routes=SUGGESTIONS * 10,
        )
        decisions = []
        for contact, shown in zip(batch, suggested, strict=True):
            # A topic no task owns (task 0) is no task to compare with.
            first = (shown[0].route.task_id or None) if shown else None
            decisions.append(
                RoutingDecision(
                    contact_id=contact.pk,
                    task_id=cast(int, contact.task_id),
                    kle_topic_id=contact.kle_topic_id,
                    unit_id=contact.unit_id,
                    verdict=Verdict.CONFIRMED if first == contact.task_id else Verdict.CORRECTED,
                    suggested=[
                        {
                            "task": s.route.task_id or None,
                            "kle_topic": None,
                            "unit": None,
                            "confidence": round(s.confidence, 4),
                            "words": [],
                        }
                        for s in shown
                    ],
                    suggested_task_id=first,
                    confidence=shown[0].confidence if shown else None,
                    model_version=version,
                    decided_by=decided_by,
                    decided_at=now,
                )
            )
        RoutingDecision.objects.bulk_create(decisions)
        created += len(decisions)
    return created
