"""Reads: articles, guides, their history, stale articles and the straksafklaring report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from indgang.catalogue.models import KleEntry, Task
from indgang.contacts.constants import Outcome
from indgang.contacts.selectors import visible_contacts
from indgang.knowledge.models import Article, Guide, Revision, StaleFlag
from indgang.organisation.selectors import Scope


def list_articles(*, text: str = "", unit_id: int | None = None) -> QuerySet[Article]:
    articles = Article.objects.select_related("owner_unit__department")
    for word in text.split():
        articles = articles.filter(Q(title__icontains=word) | Q(answer__icontains=word))
    if unit_id is not None:
        articles = articles.filter(owner_unit_id=unit_id)
    return articles.order_by("title", "pk")


@dataclass(frozen=True)
class ArticleCategory:
    """The articles of one KLE main group (number and title empty: articles without a topic)."""

    number: str
    title: str
    # Written by staff, by title.
    articles: list[Article]
    # KLE descriptions (see is_kle_description), by their topic's number.
    descriptions: list[Article]


def is_kle_description(article: Article, topics: list[KleEntry]) -> bool:
    """Whether the article only repeats the KLE plan's guidance on its one topic (the demo
    seeds one per topic: "Hvad dækker KLE 02.34.02 …?"). It stops being one when someone
    writes an answer of their own."""
    return len(topics) == 1 and article.answer.strip() == topics[0].guidance.strip()


def _main_group_number(article: Article) -> str:
    """The lowest KLE main group among the article's topics, else among its tasks' topics."""
    numbers = sorted(topic.number for topic in article.kle_topics.all()) or sorted(
        topic.number for task in article.tasks.all() for topic in task.kle_topics.all()
    )
    return numbers[0][:2] if numbers else ""


def list_articles_by_category(*, text: str = "") -> list[ArticleCategory]:
    """The articles matching `text` (see list_articles), grouped by KLE main group in number
    order, those without any KLE topic last; five queries, however many articles."""
    articles = list(list_articles(text=text).prefetch_related("kle_topics", "tasks__kle_topics"))
    grouped: dict[str, list[Article]] = {}
    for article in articles:
        grouped.setdefault(_main_group_number(article), []).append(article)
    titles = dict(
        KleEntry.objects.filter(number__in=[number for number in grouped if number]).values_list(
            "number", "title"
        )
    )
    categories = []
    for number in sorted(grouped, key=lambda number: (not number, number)):
        written, descriptions = [], []
        for article in grouped[number]:
            topics = list(article.kle_topics.all())
            if is_kle_description(article, topics):
                descriptions.append((topics[0].number, article))
            else:
                written.append(article)
        categories.append(
            ArticleCategory(
                number=number,
                title=titles.get(number, ""),
                articles=written,
                descriptions=[article for _n, article in sorted(descriptions, key=lambda d: d[0])],
            )
        )
    return categories


def get_article(*, article_id: int) -> Article:
    return (
        Article.objects.select_related("owner_unit__department", "updated_by")
        .prefetch_related("tasks__department", "kle_topics")
        .get(pk=article_id)
    )


def get_guide_for_task(*, task_id: int) -> Guide | None:
    return (
        Guide.objects.select_related("task__department", "forward_to__department", "updated_by")
        .filter(task_id=task_id)
        .first()
    )


def get_task(*, task_id: int) -> Task:
    return (
        Task.objects.select_related("department", "unit")
        .prefetch_related("kle_topics")
        .get(pk=task_id)
    )


def list_revisions(*, article: Article | None = None, guide: Guide | None = None) -> list[Revision]:
    """The history, newest first: who changed which fields when, and their previous values."""
    revisions = Revision.objects.select_related("changed_by")
    if article is not None:
        revisions = revisions.filter(article=article)
    elif guide is not None:
        revisions = revisions.filter(guide=guide)
    else:
        return []
    return list(revisions.order_by("-version"))


def list_stale_articles(*, today: dt.date, scope: Scope | None = None) -> QuerySet[Article]:
    """Articles past their review date; for a scope, those its departments' units own."""
    articles = Article.objects.filter(review_on__lt=today).select_related("owner_unit__department")
    if scope is not None and not scope.sees_all:
        articles = articles.filter(owner_unit__department_id__in=scope.department_ids)
    return articles.order_by("review_on", "pk")


def list_stale_flags(*, scope: Scope) -> QuerySet[StaleFlag]:
    flags = StaleFlag.objects.select_related("article", "unit__department")
    if not scope.sees_all:
        flags = flags.filter(unit__department_id__in=scope.department_ids)
    return flags.order_by("-flagged_at", "pk")


@dataclass(frozen=True)
class ResolutionRow:
    """Resolution at first contact for one task (or all), and how often knowledge helped."""

    task_id: int | None
    task_title: str
    contacts: int
    resolved: int
    resolved_with_knowledge: int
    with_knowledge: int

    @property
    def resolved_share(self) -> float | None:
        return self.resolved / self.contacts if self.contacts else None

    @property
    def knowledge_share(self) -> float | None:
        """Of the contacts resolved at first contact, the share where an article or guide helped."""
        return self.resolved_with_knowledge / self.resolved if self.resolved else None


def straksafklaring_report(
    *, scope: Scope, received_from: dt.datetime, received_to: dt.datetime
) -> tuple[list[ResolutionRow], ResolutionRow]:
    """Per task: contacts, resolved at first contact, and resolved with the knowledge base.

    Counts only contacts the scope may see; one grouped query.
    """
    resolved = Q(outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    used = Q(knowledge_use__isnull=False)
    rows = (
        visible_contacts(scope=scope)
        .filter(received_at__gte=received_from, received_at__lt=received_to)
        .values("task_id", "task__title")
        .annotate(
            contacts=Count("pk"),
            resolved=Count("pk", filter=resolved),
            resolved_with_knowledge=Count("pk", filter=resolved & used),
            with_knowledge=Count("pk", filter=used),
        )
        .order_by("-contacts", "task__title")
    )
    result = [
        ResolutionRow(
            task_id=row["task_id"],
            task_title=row["task__title"] or "",
            contacts=row["contacts"],
            resolved=row["resolved"],
            resolved_with_knowledge=row["resolved_with_knowledge"],
            with_knowledge=row["with_knowledge"],
        )
        for row in rows
    ]
    total = ResolutionRow(
        task_id=None,
        task_title="",
        contacts=sum(row.contacts for row in result),
        resolved=sum(row.resolved for row in result),
        resolved_with_knowledge=sum(row.resolved_with_knowledge for row in result),
        with_knowledge=sum(row.with_knowledge for row in result),
    )
    return result, total
