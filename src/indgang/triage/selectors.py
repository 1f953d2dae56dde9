"""Reads: the catalogue as training text, the newest model, suggestions and the queue."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.models import KleEntry, KleKeyword, Task
from indgang.catalogue.selectors import main_group_departments
from indgang.common.danish import words
from indgang.common.models import ImportRun
from indgang.contacts.selectors import is_redacted, visible_contacts
from indgang.organisation.models import Department, Unit
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


@dataclass(frozen=True)
class Sources:
    """What the cold-start documents are built from; an evaluation switches parts off to
    measure what each earns (the ablation in docs/architecture.md)."""

    guidance: bool = True  # the plan's guidance paragraphs and legal sources
    keywords: bool = True  # OS2KLE's terms
    whole_plan: bool = True  # a route for every active topic no task owns (task 0)


ALL_SOURCES = Sources()
# OS2KLE marks account-code patterns ("ok 01") with weights of 1000 and more: not words.
ACCOUNT_CODE_WEIGHT = 1000


def get_catalogue(
    *, exclude: frozenset[str] = frozenset(), sources: Sources = ALL_SOURCES
) -> Catalogue:
    """One document per (active task, KLE topic), and with `sources.whole_plan` one per active
    topic that no active task owns (Route(0, topic)): titles, guidance, legal sources and
    OS2KLE's terms.

    `exclude` holds normalised texts (an evaluation file's rows) whose guidance lines and
    terms are left out, so an evaluation never scores the model on text it was built from.
    """
    tasks = list(Task.objects.filter(is_active=True).prefetch_related("kle_topics").order_by("pk"))
    owned = {topic.pk for task in tasks for topic in task.kle_topics.all()}
    plan = (
        list(
            KleEntry.objects.filter(level=KleLevel.TOPIC, retired_on__isnull=True)
            .exclude(pk__in=owned)
            .order_by("number")
        )
        if sources.whole_plan
        else []
    )
    numbers = {topic.number for task in tasks for topic in task.kle_topics.all()}
    numbers |= {topic.number for topic in plan}
    parents = dict(
        KleEntry.objects.filter(
            number__in={n[:5] for n in numbers} | {n[:2] for n in numbers}
        ).values_list("number", "title")
    )
    terms: dict[int, list[str]] = {}
    if sources.keywords:
        keywords = KleKeyword.objects.filter(
            weight__lt=ACCOUNT_CODE_WEIGHT, topic__retired_on__isnull=True
        ).order_by("topic_id", "term")
        for topic_id, term in keywords.values_list("topic_id", "term"):
            if normalised(term) not in exclude:
                terms.setdefault(topic_id, []).append(term)

    def topic_parts(topic: KleEntry) -> list[str]:
        parts = [topic.title] * 2
        parts += [parents[n] for n in (topic.number[:5], topic.number[:2]) if n in parents]
        if sources.guidance:
            parts += [
                line for line in guidance_lines(topic.guidance) if not _held_out(line, exclude)
            ]
            parts += [reference.get("title", "") for reference in topic.legal_references]
        return parts + terms.get(topic.pk, [])

    documents: dict[Route, str] = {}
    for task in tasks:
        topics = sorted(task.kle_topics.all(), key=lambda topic: topic.number)
        if not topics:
            documents[Route(task.pk, 0)] = "\n".join([task.title] * 2 + [task.description])
        for topic in topics:
            parts = [task.title] * 2 + [task.description] + topic_parts(topic)
            documents[Route(task.pk, topic.pk)] = "\n".join(part for part in parts if part)
    for topic in plan:
        documents[Route(0, topic.pk)] = "\n".join(part for part in topic_parts(topic) if part)
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
class _Kept:
    """What a process keeps with a trained model version (`key`) since `started`."""

    key: tuple[Any, ...]
    started: float
    # The departments answering for KLE main groups; None until first read.
    owners: dict[str, Department] | None = None
    # The KLE topics suggestions have shown, by id: at most the version's routes' topics.
    topics: dict[int, KleEntry] = field(default_factory=dict)


@dataclass
class _Cache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    key: tuple[Any, ...] | None = None
    version: ModelVersion | None = None
    predictor: Predictor | None = None
    kept: _Kept | None = None


# Read for every suggestion, the departments answering for the main groups (three statements)
# doubled a suggestion's time (benchmarks/triage.py: p95 3.5 → 7.4 ms), and the topics shown
# were a seventh of it. Each process keeps both with the model version for at most this long,
# so an administrator's change, or a KLE import's new title, shows within a minute.
KEPT_SECONDS = 60.0


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
            # Building the documents of the whole plan takes seconds, so a few aggregates tell
            # whether it changed.
            key = ("cold", *_catalogue_signature())
            if _CACHE.key != key:
                catalogue = get_catalogue()
                _CACHE.key, _CACHE.version = key, None
                _CACHE.predictor = Predictor(
                    cold_start(catalogue.documents, active=catalogue.active)
                )
        assert _CACHE.predictor is not None  # noqa: S101 - set above
        return _CACHE.version, _CACHE.predictor


def _kept_with(version: ModelVersion) -> _Kept:
    """What this process keeps with `version`: afresh when the version changed or its
    KEPT_SECONDS are up. The caller holds the lock."""
    key, now = (version.pk, version.trained_at), time.monotonic()
    kept = _CACHE.kept
    if kept is None or kept.key != key or now - kept.started >= KEPT_SECONDS:
        kept = _CACHE.kept = _Kept(key=key, started=now)
    return kept


def main_group_owners(*, version: ModelVersion | None) -> dict[str, Department]:
    """`catalogue.selectors.main_group_departments`, kept with the trained model version `version`
    (from `get_predictor`) for up to KEPT_SECONDS; read afresh before the first version (a
    cold start lasts until the first training)."""
    if version is None:
        return main_group_departments()
    with _CACHE.lock:
        kept = _kept_with(version)
        if kept.owners is not None:
            return kept.owners
    owners = main_group_departments()
    with _CACHE.lock:
        kept.owners = owners
    return owners


def shown_topics(*, version: ModelVersion | None, ids: set[int]) -> dict[int, KleEntry]:
    """The KLE topics `ids` by id, kept with the trained model version `version` for up to
    KEPT_SECONDS: only those this process has not shown with the version are read (none, once
    a version's usual topics have been shown); all of them before the first version."""
    if version is None:
        return KleEntry.objects.in_bulk(ids)
    with _CACHE.lock:
        kept = _kept_with(version)
        missing = ids - kept.topics.keys()
    if missing:
        read = KleEntry.objects.in_bulk(missing)
        with _CACHE.lock:
            kept.topics.update(read)
    # A version's _Kept is replaced, never emptied: what was read above is still in it.
    return {pk: kept.topics[pk] for pk in ids if pk in kept.topics}


def _catalogue_signature() -> tuple[Any, ...]:
    """What the cold start's documents are made of, in a few cheap reads: the active tasks and
    their topics, the plan's size and newest change, the newest term and import."""
    tasks = Task.objects.filter(is_active=True).order_by("pk")
    return (
        tuple(tasks.values_list("pk", "title", "description")),
        tuple(tasks.values_list("pk", "kle_topics")),
        tuple(
            KleEntry.objects.aggregate(
                entries=Count("pk"), retired=Count("retired_on"), changed=Max("changed_on")
            ).values()
        ),
        # The newest term (by its indexed id) and the newest import: a re-import that changes
        # weights or deletes terms records one. No scan of the 30,000 terms.
        KleKeyword.objects.aggregate(newest=Max("pk"))["newest"],
        ImportRun.objects.aggregate(newest=Max("pk"))["newest"],
    )


def load_version_state(*, version: ModelVersion) -> ModelState:
    raw = ModelVersion.objects.values_list("state", flat=True).get(pk=version.pk)
    return load_state(bytes(raw))


# --- Suggestions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A suggested catalogue task, or a KLE topic that no task owns (`task` None), with the
    department that answers for the topic's main group (`department`)."""

    task: Task | None
    kle_topic: KleEntry | None
    unit: Unit | None
    confidence: float
    words: list[str]
    department: Department | None = None

    def snapshot(self) -> dict[str, Any]:
        """What is stored with a decision or queue item: ids, confidence and words."""
        return {
            "task": self.task.pk if self.task else None,
            "kle_topic": self.kle_topic.number if self.kle_topic else None,
            "unit": self.unit.pk if self.unit else None,
            "department": self.department.pk if self.department else None,
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
        """Whether the first suggestion may be followed without a human look: a task, confident
        enough (a topic no task owns always goes to a person)."""
        return (
            bool(self.items)
            and self.items[0].task is not None
            and (self.confidence >= self.threshold)
        )

    @property
    def first_task_id(self) -> int | None:
        """The first suggested task (a topic no task owns cannot be chosen): choosing it
        confirms the suggestion."""
        return next((item.task.pk for item in self.items if item.task), None)

    def snapshot(self) -> list[dict[str, Any]]:
        return [item.snapshot() for item in self.items]


def suggest(
    *, text: str, channel: str = "", party_kind: str = "", limit: int = SUGGESTIONS
) -> Suggestions:
    """The best catalogue tasks, or KLE topics no task owns, for a text, each with KLE topic,
    unit or department, confidence and words."""
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
    shown = [
        [s for s in ranked if s.route.task_id in by_id or not s.route.task_id][:limit]
        for ranked in candidates
    ]
    topics = shown_topics(
        version=version,
        ids={s.route.topic_id for ranked in shown for s in ranked if s.route.topic_id},
    )
    owners = (
        main_group_owners(version=version)
        if any(not s.route.task_id for ranked in shown for s in ranked)
        else {}
    )
    explained = predictor.explain_many(
        documents, [[s.route for s in ranked] for ranked in shown], queries=queries
    )
    suggestions = []
    for ranked, pulled in zip(shown, explained, strict=True):
        items = [
            _suggestion(
                task=by_id.get(scored.route.task_id),
                topic=topics.get(scored.route.topic_id),
                owners=owners,
                confidence=scored.confidence,
                words=pulled.get(scored.route, []),
            )
            for scored in ranked
        ]
        suggestions.append(
            Suggestions(items=items, model_version=version, threshold=settings.TRIAGE_THRESHOLD)
        )
    return suggestions


def _suggestion(
    *,
    task: Task | None,
    topic: KleEntry | None,
    owners: dict[str, Department],
    confidence: float,
    words: list[str],
) -> Suggestion:
    return Suggestion(
        task=task,
        kle_topic=topic,
        unit=task.unit if task else None,
        department=(task.department if task else owners.get(topic.number[:2]) if topic else None),
        confidence=confidence,
        words=words,
    )


def suggestions_from_snapshot(
    snapshot: Iterable[dict[str, Any]], *, version: ModelVersion | None
) -> Suggestions:
    """Suggestions as they were shown (from a queue item), for display and verdicts."""
    rows = list(snapshot)
    tasks = Task.objects.select_related("unit__department", "department").in_bulk(
        [row["task"] for row in rows if row["task"]]
    )
    topics = {
        entry.number: entry
        for entry in KleEntry.objects.filter(
            number__in=[row["kle_topic"] for row in rows if row.get("kle_topic")],
            level=KleLevel.TOPIC,
        )
    }
    departments = Department.objects.in_bulk(
        [row["department"] for row in rows if not row["task"] and row.get("department")]
    )
    items = [
        Suggestion(
            task=tasks.get(row["task"]),
            kle_topic=topics.get(row.get("kle_topic") or ""),
            unit=tasks[row["task"]].unit if row["task"] in tasks else None,
            department=(
                tasks[row["task"]].department
                if row["task"] in tasks
                else departments.get(row.get("department") or 0)
            ),
            confidence=float(row["confidence"]),
            words=list(row.get("words", [])),
        )
        for row in rows
        if row["task"] in tasks or (not row["task"] and row.get("kle_topic") in topics)
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
