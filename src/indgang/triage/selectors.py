"""Reads: the catalogue as training text, the newest model, suggestions and the queue."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.common.danish import words
from indgang.contacts.selectors import is_redacted, visible_contacts
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.triage.constants import STAFF_VERDICTS, SUGGESTIONS
from indgang.triage.learning import (
    Document,
    Example,
    ModelState,
    Predictor,
    Route,
    cold_start,
    load_state,
)
from indgang.triage.models import ModelVersion, QueueItem, RoutingDecision

# --- The catalogue as training text -------------------------------------------------------------


def normalised(text: str) -> str:
    return " ".join(words(text))


def guidance_lines(guidance: str) -> list[str]:
    """A topic's guidance as the importer flattened it: one paragraph or list item a line."""
    return [line.removeprefix("•").strip() for line in guidance.splitlines() if line.strip()]


def _held_out(line: str, exclude: frozenset[str]) -> bool:
    text = normalised(line)
    return text in exclude or any(len(part) > 20 and part in text for part in exclude)


@dataclass(frozen=True)
class Catalogue:
    """Cold-start documents per route, the routes that may be suggested, and a fingerprint."""

    documents: dict[Route, str]
    active: set[Route]
    fingerprint: str


def get_catalogue(*, exclude: frozenset[str] = frozenset()) -> Catalogue:
    """One document per (active task, KLE topic): titles, guidance and legal sources.

    `exclude` holds normalised texts (an evaluation file's rows) whose guidance lines are left
    out, so an evaluation never scores the model on text it was built from.
    """
    tasks = list(Task.objects.filter(is_active=True).prefetch_related("kle_topics").order_by("pk"))
    numbers = {topic.number for task in tasks for topic in task.kle_topics.all()}
    parents = {
        entry.number: entry
        for entry in KleEntry.objects.filter(
            number__in={n[:5] for n in numbers} | {n[:2] for n in numbers}
        )
    }
    documents: dict[Route, str] = {}
    for task in tasks:
        topics = sorted(task.kle_topics.all(), key=lambda topic: topic.number)
        if not topics:
            documents[Route(task.pk, 0)] = "\n".join([task.title] * 2 + [task.description])
        for topic in topics:
            parts = [task.title] * 2 + [task.description] + [topic.title] * 2
            parts += [
                parents[n].title for n in (topic.number[:5], topic.number[:2]) if n in parents
            ]
            parts += [
                line for line in guidance_lines(topic.guidance) if not _held_out(line, exclude)
            ]
            parts += [reference.get("title", "") for reference in topic.legal_references]
            documents[Route(task.pk, topic.pk)] = "\n".join(part for part in parts if part)
    digest = hashlib.sha256(repr(sorted(documents.items())).encode()).hexdigest()[:16]
    return Catalogue(documents=documents, active=set(documents), fingerprint=digest)


# --- Labelled examples --------------------------------------------------------------------------


def labelled_decisions() -> QuerySet[RoutingDecision]:
    """Staff routings: each a labelled example (superseded ones included; callers filter)."""
    return RoutingDecision.objects.filter(verdict__in=STAFF_VERDICTS)


def examples_of(decisions: QuerySet[RoutingDecision]) -> list[tuple[int, Example]]:
    """(decision id, example) in id order, reading only the columns training needs."""
    rows = decisions.order_by("pk").values_list(
        "pk",
        "task_id",
        "kle_topic_id",
        "contact__summary",
        "contact__channel",
        "contact__party__kind",
    )
    return [
        (pk, Example(Route(task_id, topic_id or 0), Document(summary, channel, kind or "")))
        for pk, task_id, topic_id, summary, channel, kind in rows.iterator(chunk_size=5000)
    ]


# --- The newest model, cached per version in each process ---------------------------------------


@dataclass
class _Cache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    key: tuple[Any, ...] | None = None
    version: ModelVersion | None = None
    predictor: Predictor | None = None


_CACHE = _Cache()


def get_newest_version() -> ModelVersion | None:
    return ModelVersion.objects.defer("state").order_by("-pk").first()


def get_predictor() -> tuple[ModelVersion | None, Predictor]:
    """The newest stored model; before the first is trained, a cold start from the catalogue.

    Each process loads a version once and keeps it until a newer one appears in the database:
    one small query per call, no restart after retraining.
    """
    newest = ModelVersion.objects.order_by("-pk").values_list("pk", "trained_at").first()
    key: tuple[Any, ...]
    with _CACHE.lock:
        if newest is not None:
            key = ("version", *newest)
            if _CACHE.key != key:
                version = ModelVersion.objects.defer("state").get(pk=newest[0])
                _CACHE.predictor = Predictor(load_version_state(version=version))
                _CACHE.key, _CACHE.version = key, version
        else:
            # Not yet trained: build from the catalogue, again whenever the catalogue changes.
            catalogue = get_catalogue()
            key = ("cold", catalogue.fingerprint)
            if _CACHE.key != key:
                _CACHE.key, _CACHE.version = key, None
                _CACHE.predictor = Predictor(
                    cold_start(catalogue.documents, active=catalogue.active)
                )
        assert _CACHE.predictor is not None  # noqa: S101 - set above
        return _CACHE.version, _CACHE.predictor


def load_version_state(*, version: ModelVersion) -> ModelState:
    raw = ModelVersion.objects.values_list("state", flat=True).get(pk=version.pk)
    return load_state(bytes(raw))


# --- Suggestions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    task: Task
    kle_topic: KleEntry | None
    unit: Unit | None
    confidence: float
    words: list[str]

    def snapshot(self) -> dict[str, Any]:
        """What is stored with a decision or queue item: ids, confidence and words."""
        return {
            "task": self.task.pk,
            "kle_topic": self.kle_topic.number if self.kle_topic else None,
            "unit": self.unit.pk if self.unit else None,
            "confidence": round(self.confidence, 4),
            "words": self.words,
        }


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion]
    model_version: ModelVersion | None
    threshold: float

    @property
    def confidence(self) -> float:
        return self.items[0].confidence if self.items else 0.0

    @property
    def confident(self) -> bool:
        """Whether the first suggestion may be followed without a human look."""
        return bool(self.items) and self.confidence >= self.threshold

    @property
    def first_task_id(self) -> int | None:
        return self.items[0].task.pk if self.items else None

    def snapshot(self) -> list[dict[str, Any]]:
        return [item.snapshot() for item in self.items]


def suggest(
    *, text: str, channel: str = "", party_kind: str = "", limit: int = SUGGESTIONS
) -> Suggestions:
    """The best catalogue tasks for a text, each with KLE topic, unit, confidence and words."""
    return suggest_many([Document(text, channel, party_kind)], limit=limit)[0]


def suggest_many(documents: Sequence[Document], *, limit: int = SUGGESTIONS) -> list[Suggestions]:
    """Suggestions for many texts at once: one scoring pass, one read of their tasks and topics."""
    if not documents:
        return []
    version, predictor = get_predictor()
    queries = predictor.queries(documents)  # the texts featured once, for both passes
    candidates = predictor.top_tasks(documents, tasks=limit * 3, routes=limit * 10, queries=queries)
    tasks = Task.objects.filter(
        pk__in={scored.route.task_id for ranked in candidates for scored in ranked},
        is_active=True,
    ).select_related("unit__department", "department")
    by_id = {task.pk: task for task in tasks}
    shown = [[s for s in ranked if s.route.task_id in by_id][:limit] for ranked in candidates]
    topics = KleEntry.objects.in_bulk(
        {s.route.topic_id for ranked in shown for s in ranked if s.route.topic_id}
    )
    explained = predictor.explain_many(
        documents, [[s.route for s in ranked] for ranked in shown], queries=queries
    )
    suggestions = []
    for ranked, pulled in zip(shown, explained, strict=True):
        items = [
            Suggestion(
                task=by_id[scored.route.task_id],
                kle_topic=topics.get(scored.route.topic_id),
                unit=by_id[scored.route.task_id].unit,
                confidence=scored.confidence,
                words=pulled.get(scored.route, []),
            )
            for scored in ranked
        ]
        suggestions.append(
            Suggestions(items=items, model_version=version, threshold=settings.TRIAGE_THRESHOLD)
        )
    return suggestions


def suggestions_from_snapshot(
    snapshot: Iterable[dict[str, Any]], *, version: ModelVersion | None
) -> Suggestions:
    """Suggestions as they were shown (from a queue item), for display and verdicts."""
    rows = list(snapshot)
    tasks = Task.objects.select_related("unit__department", "department").in_bulk(
        [row["task"] for row in rows]
    )
    topics = {
        entry.number: entry
        for entry in KleEntry.objects.filter(
            number__in=[row["kle_topic"] for row in rows if row.get("kle_topic")],
            level=KleLevel.TOPIC,
        )
    }
    items = [
        Suggestion(
            task=tasks[row["task"]],
            kle_topic=topics.get(row.get("kle_topic") or ""),
            unit=tasks[row["task"]].unit,
            confidence=float(row["confidence"]),
            words=list(row.get("words", [])),
        )
        for row in rows
        if row["task"] in tasks
    ]
    return Suggestions(items=items, model_version=version, threshold=settings.TRIAGE_THRESHOLD)


# --- Queue and versions -------------------------------------------------------------------------


def list_open_queue(*, scope: Scope) -> QuerySet[QueueItem]:
    """Contacts waiting for a human routing that the scope may see, oldest first."""
    contacts = visible_contacts(scope=scope)
    return (
        QueueItem.objects.filter(routed_at__isnull=True, contact__in=contacts)
        .select_related("contact__party", "contact__unit__department", "model_version")
        .order_by("queued_at", "pk")
    )


@dataclass(frozen=True)
class QueueRow:
    item: QueueItem
    redacted: bool
    suggestions: Suggestions


def open_queue_page(*, scope: Scope, limit: int) -> list[QueueRow]:
    """The first `limit` open queue items the scope may see, each with its suggestions; a
    contact the scope sees only for routing comes without its summary and without the words
    that explain the suggestions, which are the summary's own (`explained`)."""
    rows = []
    for item in list_open_queue(scope=scope)[:limit]:
        redacted = is_redacted(scope=scope, contact=item.contact)
        suggestions = suggestions_from_snapshot(
            explained(item.suggested, redacted=redacted), version=item.model_version
        )
        rows.append(QueueRow(item=item, redacted=redacted, suggestions=suggestions))
    return rows


def explained(snapshot: list[dict[str, Any]], *, redacted: bool) -> list[dict[str, Any]]:
    """A stored snapshot of suggestions for a contact as its reader may read it: the words that
    drove each suggestion come from the contact's text, so they are left out where its summary
    is (`redacted`, from `contacts.selectors.is_redacted`)."""
    if not redacted:
        return snapshot
    return [{**row, "words": []} for row in snapshot]


def get_open_queue_item_for(*, scope: Scope, item_id: int) -> QueueItem:
    """An open queue item the scope may see; raises QueueItem.DoesNotExist otherwise."""
    return list_open_queue(scope=scope).get(pk=item_id)


def list_versions(*, limit: int = 20) -> list[ModelVersion]:
    return list(ModelVersion.objects.defer("state").order_by("-pk")[:limit])


def live_accuracy(*, version: ModelVersion) -> dict[str, float | int]:
    """How often staff chose the first / one of the three tasks this version suggested."""
    decisions = list(
        labelled_decisions().filter(model_version=version).values_list("task_id", "suggested")
    )
    top1 = sum(1 for task, shown in decisions if shown and shown[0]["task"] == task)
    top3 = sum(1 for task, shown in decisions if task in [row["task"] for row in shown[:3]])
    n = len(decisions)
    return {"n": n, "top1": top1 / n if n else 0.0, "top3": top3 / n if n else 0.0}
