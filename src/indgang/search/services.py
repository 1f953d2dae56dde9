"""Writes: keep the search index current. Callers call these explicitly after a change."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from indgang.catalogue.models import KleEntry, KleKeyword, Task
from indgang.catalogue.services import KeywordImportReport, import_kle_keywords
from indgang.knowledge.constants import Audience
from indgang.knowledge.models import Article
from indgang.search.analysis import (
    Splitter,
    analyse,
    candidate_parts,
    index_words,
    known_in,
    splitter,
    stem,
)
from indgang.search.constants import DocumentKind, SearchAudience
from indgang.search.models import SearchDocument, SearchIndexSize, SearchTerm

BATCH_SIZE = 2000
# OS2KLE's README: weight 1000 marks account-code and form-number patterns ("ok 01", "fr001"),
# not words anyone searches by.
ACCOUNT_CODE_WEIGHT = 1000
# A keyword import that changes more topics than this (the first, or a new plan) rebuilds the
# index, as one pass over everything is then cheaper than refreshing document by document.
INCREMENTAL_TOPICS = 200


@dataclass(frozen=True)
class Source:
    """The text of one thing to index, before analysis."""

    kind: DocumentKind
    object_id: int
    audience: SearchAudience
    title: str
    body: str
    terms: str = ""

    @property
    def words(self) -> set[str]:
        return document_words(title=self.title, body=self.body, terms=self.terms)


def document_words(*, title: str, body: str, terms: str) -> set[str]:
    """The words a document adds to the vocabulary."""
    return set(index_words(title)) | set(index_words(body)) | set(index_words(terms))


def topic_line(topic: KleEntry) -> str:
    return f"{topic.number} {topic.title}"


def topic_terms(topics: Iterable[KleEntry]) -> str:
    """OS2KLE's terms for these KLE topics, one a line and each once: they name a topic as
    citizens and staff do (synonyms its title lacks), so the index ranks them as names, not as
    text. A term two topics share is one name, not twice the evidence."""
    terms = (
        keyword.term
        for topic in topics
        for keyword in topic.keywords.all()
        if keyword.weight < ACCOUNT_CODE_WEIGHT
    )
    return "\n".join(dict.fromkeys(terms))


def article_source(article: Article) -> Source:
    """An article: its question and answer, the tasks and KLE topics it covers, and those
    topics' terms."""
    topics = list(article.kle_topics.all())
    covers = [task.title for task in article.tasks.all()] + [topic_line(t) for t in topics]
    links = [str(link.get("label", "")) for link in article.links if isinstance(link, dict)]
    return Source(
        kind=DocumentKind.ARTICLE,
        object_id=article.pk,
        audience=(
            SearchAudience.PUBLIC if article.audience == Audience.PUBLIC else SearchAudience.STAFF
        ),
        title=article.title,
        body="\n".join([article.answer, *links, *covers]),
        terms=topic_terms(topics),
    )


def task_source(task: Task) -> Source:
    """A task: its description, KLE topics (and their terms), department and its "how we solve
    it" guide."""
    topics = list(task.kle_topics.all())
    lines = [task.description, task.department.name, *(topic_line(topic) for topic in topics)]
    guide = getattr(task, "guide", None)
    if guide is not None:
        lines += [guide.what_to_ask, guide.what_to_bring, guide.self_service, guide.when_to_forward]
    return Source(
        kind=DocumentKind.TASK,
        object_id=task.pk,
        audience=SearchAudience.STAFF,
        title=task.title,
        body="\n".join(line for line in lines if line),
        terms=topic_terms(topics),
    )


def kle_source(entry: KleEntry) -> Source:
    """A KLE entry: its number, title and guidance, and OS2KLE's terms for it."""
    return Source(
        kind=DocumentKind.KLE,
        object_id=entry.pk,
        audience=SearchAudience.STAFF,
        title=topic_line(entry),
        body=entry.guidance,
        terms=topic_terms([entry]),
    )


def _articles() -> QuerySet[Article]:
    return Article.objects.prefetch_related("tasks", "kle_topics", "kle_topics__keywords").order_by(
        "pk"
    )


def _tasks() -> QuerySet[Task]:
    return (
        Task.objects.filter(is_active=True)
        .select_related("department", "guide")
        .prefetch_related("kle_topics", "kle_topics__keywords")
        .order_by("pk")
    )


def _kle_entries() -> QuerySet[KleEntry]:
    return (
        KleEntry.objects.filter(retired_on__isnull=True, moved_on__isnull=True)
        .prefetch_related("keywords")
        .order_by("pk")
    )


def all_sources() -> Iterator[Source]:
    yield from (article_source(article) for article in _articles().iterator(chunk_size=BATCH_SIZE))
    yield from (task_source(task) for task in _tasks())
    yield from (kle_source(entry) for entry in _kle_entries().iterator(chunk_size=BATCH_SIZE))


def document_length(stem_texts: Iterable[str]) -> int:
    """bm25's length of a document: how many stems its stem texts hold."""
    return sum(len(text.split()) for text in stem_texts)


def _document(source: Source, *, split: Splitter, now: dt.datetime) -> SearchDocument:
    title = analyse(source.title, split=split)
    terms = analyse(source.terms, split=split)
    body = analyse(source.body, split=split)
    stems = {
        "stems_title": title.stems,
        "stems_title_extra": title.part_stems,
        # A term's compound parts rank with it: "adresseflytning" names 23.05.10 as much as
        # "flytning" does.
        "stems_terms": " ".join(filter(None, [terms.stems, terms.part_stems])),
        "stems_body": body.stems,
        "stems_body_extra": body.part_stems,
    }
    return SearchDocument(
        kind=source.kind,
        object_id=source.object_id,
        audience=source.audience,
        title=source.title[:400],
        body=source.body,
        terms=source.terms,
        title_extra=" ".join(title.parts),
        body_extra=" ".join(body.parts),
        **stems,
        length=document_length(stems.values()),
        updated_at=now,
    )


@dataclass(frozen=True)
class ReindexReport:
    documents: int
    words: int


@transaction.atomic
def reindex_all(
    *, now: dt.datetime, sources: Callable[[], Iterator[Source]] = all_sources
) -> ReindexReport:
    """Rebuild the whole index and vocabulary: every article, active task and active KLE entry.

    Two passes over the sources: the first counts the vocabulary (which words exist, in how
    many documents), the second splits compounds against it and writes the documents.
    """
    counts: Counter[str] = Counter()
    for source in sources():
        counts.update(source.words)
    stems = {stem(word) for word in counts}
    split = splitter(is_known=_cached(known_in(set(counts), stems)))
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    SearchIndexSize.objects.all().delete()
    batch: list[SearchDocument] = []
    documents = length = 0
    for source in sources():
        batch.append(_document(source, split=split, now=now))
        length += batch[-1].length
        if len(batch) >= BATCH_SIZE:
            SearchDocument.objects.bulk_create(batch)
            documents += len(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    documents += len(batch)
    _add_to_size(documents=documents, length=length)
    SearchTerm.objects.bulk_create(
        (
            SearchTerm(word=word[:100], stem=stem(word)[:100], documents=count)
            for word, count in counts.items()
        ),
        batch_size=BATCH_SIZE,
    )
    _analyze()
    return ReindexReport(documents=documents, words=len(counts))


def _analyze() -> None:
    """Fresh planner statistics after a rebuild, so look-ups use the right indexes at once."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE search_searchdocument")
            cursor.execute("ANALYZE search_searchterm")
        else:
            cursor.execute("ANALYZE search_searchterm")


def _cached(is_known: Callable[[str], bool]) -> Callable[[str], bool]:
    return cache(is_known)


def _known_in_vocabulary(words: set[str]) -> Callable[[str], bool]:
    """Look up every possible compound part of the words in the stored vocabulary at once."""
    candidates = set(words)
    for word in words:
        candidates |= candidate_parts(word)
    candidate_stems = {stem(word) for word in candidates}
    rows = SearchTerm.objects.filter(
        Q(word__in=candidates) | Q(stem__in=candidate_stems)
    ).values_list("word", "stem")
    known_words = {word for word, _stem in rows} | words
    known_stems = {word_stem for _word, word_stem in rows} | {stem(word) for word in words}
    return _cached(known_in(known_words, known_stems))


@transaction.atomic
def index(*, sources: list[Source], now: dt.datetime) -> None:
    """Add or refresh the documents of these sources; keep the vocabulary's counts right."""
    if not sources:
        return
    ids_by_kind: dict[DocumentKind, list[int]] = {}
    for source in sources:
        ids_by_kind.setdefault(source.kind, []).append(source.object_id)
    keys = Q()
    for kind, object_ids in ids_by_kind.items():
        keys |= Q(kind=kind, object_id__in=object_ids)
    existing = {(d.kind, d.object_id): d for d in SearchDocument.objects.filter(keys)}
    delta: Counter[str] = Counter()
    for document in existing.values():
        delta.subtract(_stored_words(document))
    new_words: set[str] = set()
    for source in sources:
        words = source.words
        delta.update(words)
        new_words |= words
    split = splitter(is_known=_known_in_vocabulary(new_words))
    added = length = 0
    for source in sources:
        document = _document(source, split=split, now=now)
        length += document.length
        old = existing.get((source.kind, source.object_id))
        if old is not None:
            document.pk = old.pk
            length -= old.length
            document.save(force_update=True)
        else:
            added += 1
            document.save(force_insert=True)
    _apply_counts(delta)
    _add_to_size(documents=added, length=length)


@transaction.atomic
def remove(*, kind: DocumentKind, object_ids: Iterable[int]) -> None:
    """Take documents out of the index (a deleted article, a retired task)."""
    documents = list(SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)))
    delta: Counter[str] = Counter()
    for document in documents:
        delta.subtract(_stored_words(document))
    SearchDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    _apply_counts(delta)
    _add_to_size(documents=-len(documents), length=-sum(d.length for d in documents))


def _add_to_size(*, documents: int, length: int) -> None:
    """Keep the index's size row right (one row: concurrent index writes wait for each other
    here until they commit, as they do on the vocabulary's shared words)."""
    if not documents and not length:
        return
    SearchIndexSize.objects.bulk_create([SearchIndexSize(pk=1)], ignore_conflicts=True)
    SearchIndexSize.objects.filter(pk=1).update(
        documents=F("documents") + documents, length=F("length") + length
    )


def _stored_words(document: SearchDocument) -> set[str]:
    return document_words(title=document.title, body=document.body, terms=document.terms)


def _apply_counts(delta: Counter[str]) -> None:
    changed = {word[:100]: count for word, count in delta.items() if count}
    if not changed:
        return
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word, stem=stem(word)[:100], documents=0) for word in changed],
        ignore_conflicts=True,
    )
    by_change: dict[int, list[str]] = {}
    for word, count in changed.items():
        by_change.setdefault(count, []).append(word)
    for count, words in by_change.items():
        SearchTerm.objects.filter(word__in=words).update(documents=F("documents") + count)
    SearchTerm.objects.filter(word__in=list(changed), documents__lte=0).delete()


def index_article(*, article_id: int, now: dt.datetime) -> None:
    article = _articles().get(pk=article_id)
    index(sources=[article_source(article)], now=now)


def index_tasks(*, task_ids: Iterable[int], now: dt.datetime) -> None:
    """Index active tasks (with their guides); drop inactive ones from the index."""
    ids = list(task_ids)
    tasks = list(_tasks().filter(pk__in=ids))
    index(sources=[task_source(task) for task in tasks], now=now)
    active = {task.pk for task in tasks}
    remove(kind=DocumentKind.TASK, object_ids=[pk for pk in ids if pk not in active])


def index_kle_topics(*, topic_ids: Iterable[int], now: dt.datetime) -> None:
    """Refresh KLE topics whose OS2KLE terms changed, and the articles and active tasks filed
    under them, which carry those terms too."""
    ids = list(topic_ids)
    index(
        sources=[kle_source(entry) for entry in _kle_entries().filter(pk__in=ids)]
        + [article_source(article) for article in _articles().filter(kle_topics__in=ids).distinct()]
        + [task_source(task) for task in _tasks().filter(kle_topics__in=ids).distinct()],
        now=now,
    )


@transaction.atomic
def import_keywords(*, path: Path, now: dt.datetime) -> KeywordImportReport:
    """Import OS2KLE's keyword lists (`catalogue.services.import_kle_keywords`) and refresh the
    index where terms changed: the topics, and what is filed under them."""
    before = _keyword_rows()
    report = import_kle_keywords(path=path, now=now)
    changed = {topic_id for topic_id, _term, _weight in before ^ _keyword_rows()}
    if len(changed) > INCREMENTAL_TOPICS:
        reindex_all(now=now)
    else:
        index_kle_topics(topic_ids=changed, now=now)
    return report


def _keyword_rows() -> set[tuple[int, str, int]]:
    return set(KleKeyword.objects.values_list("topic_id", "term", "weight"))
