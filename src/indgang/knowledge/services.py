"""Writes: articles and guides (every change versioned), stale flags and knowledge use."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from indgang.catalogue.models import KleEntry, Task
from indgang.common.errors import CONFLICT
from indgang.contacts.models import Contact
from indgang.knowledge.constants import ARTICLE_FIELDS, GUIDE_FIELDS, Audience
from indgang.knowledge.indexing import index_article, index_tasks
from indgang.knowledge.models import Article, Guide, KnowledgeUse, Revision, StaleFlag
from indgang.knowledge.selectors import list_stale_articles
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope, unit_managers

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class ArticleData:
    """An article as an editor submits it."""

    title: str
    answer: str
    owner_unit: Unit
    review_on: dt.date
    audience: Audience = Audience.STAFF
    links: Sequence[Link] = ()
    tasks: Sequence[Task] = ()
    kle_topics: Sequence[KleEntry] = ()


@dataclass(frozen=True)
class GuideData:
    """A task's "how we solve it" guide as an editor submits it."""

    what_to_ask: str = ""
    what_to_bring: str = ""
    self_service: str = ""
    when_to_forward: str = ""
    forward_to: Unit | None = None


def validate_article(data: ArticleData, *, today: dt.date) -> None:
    """Raise a ValidationError with a Danish message per field."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Write the question or title.")
    if not data.answer.strip():
        errors["answer"] = _("Write the answer.")
    if data.review_on < today:
        errors["review_on"] = _("The review date cannot be in the past.")
    retired = [topic.number for topic in data.kle_topics if topic.retired_on is not None]
    if retired:
        errors["kle_topics"] = _("These KLE topics are retired: %(numbers)s.") % {
            "numbers": ", ".join(sorted(retired))
        }
    for link in data.links:
        try:
            URLValidator(schemes=["https", "http"])(link.url)
        except ValidationError:
            errors["links"] = _("%(url)s is not a web address (https://…).") % {"url": link.url}
            break
        if not link.label.strip():
            errors["links"] = _("Give every link a label.")
            break
    if errors:
        raise ValidationError(errors)


def _require_editor(*, scope: Scope, department_id: int, field: str, message: str) -> None:
    """Only staff of the owning department (or administrators) edit its knowledge."""
    if not scope.sees_in_full(department_id):
        raise ValidationError({field: message})


def _require_article_editor(*, scope: Scope, unit: Unit) -> None:
    _require_editor(
        scope=scope,
        department_id=unit.department_id,
        field="owner_unit",
        message=_("You may only edit articles owned by a unit of your own department."),
    )


def _article_values(article: Article) -> dict[str, Any]:
    """The versioned fields as readable, comparable JSON values."""
    return {
        "title": article.title,
        "answer": article.answer,
        "audience": article.audience,
        "owner_unit": str(article.owner_unit),
        "review_on": article.review_on.isoformat(),
        "links": [dict(link) for link in article.links],
        "tasks": sorted(f"#{task.pk} {task.title}" for task in article.tasks.all()),
        "kle_topics": sorted(f"{topic.number} {topic.title}" for topic in article.kle_topics.all()),
    }


def _apply(article: Article, data: ArticleData) -> None:
    article.title = data.title.strip()
    article.answer = data.answer.strip()
    article.audience = data.audience
    article.owner_unit = data.owner_unit
    article.review_on = data.review_on
    article.links = [{"label": link.label.strip(), "url": link.url} for link in data.links]


@transaction.atomic
def create_article(*, data: ArticleData, by: User, scope: Scope, now: dt.datetime) -> Article:
    """Create an article as version 1 and put it in the search index."""
    _require_article_editor(scope=scope, unit=data.owner_unit)
    validate_article(data, today=now.date())
    article = Article(version=1, updated_at=now, updated_by=by)
    _apply(article, data)
    article.save(force_insert=True)
    article.tasks.set(data.tasks)
    article.kle_topics.set(data.kle_topics)
    Revision.objects.create(
        article=article,
        version=1,
        changed_at=now,
        changed_by=by,
        changed_fields=list(ARTICLE_FIELDS),
        previous={},
    )
    index_article(article_id=article.pk, now=now)
    return article


@transaction.atomic
def update_article(
    *,
    article: Article,
    data: ArticleData,
    by: User,
    scope: Scope,
    now: dt.datetime,
    expected_version: int | None = None,
) -> Article:
    """Save a change as a new version with the previous values; no change, no version."""
    current = Article.objects.select_for_update().select_related("owner_unit").get(pk=article.pk)
    _require_article_editor(scope=scope, unit=current.owner_unit)
    _require_article_editor(scope=scope, unit=data.owner_unit)
    validate_article(data, today=now.date())
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            _(
                "Someone else saved version %(version)d of the article while you edited it. "
                "Reload it and make your change again."
            )
            % {"version": current.version},
            code=CONFLICT,
        )
    before = _article_values(current)
    _apply(current, data)
    current.tasks.set(data.tasks)
    current.kle_topics.set(data.kle_topics)
    after = _article_values(current)
    changed = [name for name in ARTICLE_FIELDS if before[name] != after[name]]
    if not changed:
        return current
    current.version += 1
    current.updated_at = now
    current.updated_by = by
    current.save()
    Revision.objects.create(
        article=current,
        version=current.version,
        changed_at=now,
        changed_by=by,
        changed_fields=changed,
        previous={name: before[name] for name in changed},
    )
    index_article(article_id=current.pk, now=now)
    return current


def _guide_values(guide: Guide) -> dict[str, Any]:
    return {
        "what_to_ask": guide.what_to_ask,
        "what_to_bring": guide.what_to_bring,
        "self_service": guide.self_service,
        "when_to_forward": guide.when_to_forward,
        "forward_to": str(guide.forward_to) if guide.forward_to else "",
    }


@transaction.atomic
def save_guide(
    *,
    task: Task,
    data: GuideData,
    by: User,
    scope: Scope,
    now: dt.datetime,
    expected_version: int | None = None,
) -> Guide:
    """Create or change a task's guide, versioned; the task's search entry includes it."""
    _require_editor(
        scope=scope,
        department_id=task.department_id,
        field="task",
        message=_("You may only edit the guides of your own department's tasks."),
    )
    if not any([data.what_to_ask, data.what_to_bring, data.self_service, data.when_to_forward]):
        raise ValidationError(_("Fill in at least one part of the guide."))
    guide = Guide.objects.select_for_update().filter(task=task).first()
    if guide is not None and expected_version is not None and guide.version != expected_version:
        raise ValidationError(
            _(
                "Someone else saved version %(version)d of the guide while you edited it. "
                "Reload it and make your change again."
            )
            % {"version": guide.version},
            code=CONFLICT,
        )
    before = _guide_values(guide) if guide is not None else {}
    if guide is None:
        guide = Guide(task=task, version=0)
    guide.what_to_ask = data.what_to_ask.strip()
    guide.what_to_bring = data.what_to_bring.strip()
    guide.self_service = data.self_service.strip()
    guide.when_to_forward = data.when_to_forward.strip()
    guide.forward_to = data.forward_to
    after = _guide_values(guide)
    changed = [name for name in GUIDE_FIELDS if before.get(name) != after[name]]
    if guide.pk is not None and not changed:
        return guide
    guide.version += 1
    guide.updated_at = now
    guide.updated_by = by
    guide.save()
    Revision.objects.create(
        guide=guide,
        version=guide.version,
        changed_at=now,
        changed_by=by,
        changed_fields=changed,
        previous={name: before[name] for name in changed if name in before},
    )
    index_tasks(task_ids=[task.pk], now=now)
    return guide


def flag_stale_articles(*, today: dt.date, now: dt.datetime) -> int:
    """Flag each article past its review date to its owner unit, once per review date.

    Idempotent: running it again the same day (or twice at once) flags nothing new.
    """
    stale = list(list_stale_articles(today=today).values_list("pk", "owner_unit_id", "review_on"))
    existing = set(
        StaleFlag.objects.filter(article_id__in=[pk for pk, _unit, _on in stale]).values_list(
            "article_id", "review_on"
        )
    )
    new = [
        StaleFlag(article_id=pk, unit_id=unit_id, review_on=review_on, flagged_at=now)
        for pk, unit_id, review_on in stale
        if (pk, review_on) not in existing
    ]
    StaleFlag.objects.bulk_create(new, ignore_conflicts=True)
    for flag in new:
        logger.info(
            "Article %s passed its review date %s; flagged to unit %s",
            flag.article_id,
            flag.review_on,
            flag.unit_id,
        )
    _tell_unit_managers(new)
    return len(new)


def _tell_unit_managers(flags: Sequence[StaleFlag]) -> int:
    """E-mail each manager of the units flagged the titles of their new articles to review: one
    e-mail per manager. Managers without an e-mail address see them in the knowledge base."""
    titles = dict(
        Article.objects.filter(pk__in=[f.article_id for f in flags]).values_list("pk", "title")
    )
    managers = unit_managers(unit_ids={flag.unit_id for flag in flags})
    recipients: dict[str, list[str]] = {}
    for flag in flags:
        for manager in managers.get(flag.unit_id, []):
            if manager.email:
                recipients.setdefault(manager.email, []).append(titles[flag.article_id])
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            (
                _("Indgang: articles to review"),
                "\n".join(
                    [
                        _("These articles in the knowledge base have passed their review date:"),
                        *(f"- {title}" for title in sorted(articles)),
                    ]
                ),
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
            for email, articles in sorted(recipients.items())
        ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


@transaction.atomic
def record_knowledge_used(
    *,
    contact: Contact,
    article: Article | None = None,
    guide: Guide | None = None,
    by: User,
    now: dt.datetime,
) -> KnowledgeUse:
    """Record the article or the guide that helped with a contact (one per contact; the last
    one recorded counts)."""
    if (article is None) == (guide is None):
        raise ValidationError(_("Choose either an article or a guide."))
    use, _created = KnowledgeUse.objects.update_or_create(
        contact=contact,
        defaults={"article": article, "guide": guide, "recorded_at": now, "recorded_by": by},
    )
    return use


def record_knowledge_choice(
    *, contact: Contact, used: Article | Guide | None, by: User, now: dt.datetime
) -> KnowledgeUse | None:
    """The front desk's hook: record the article or guide marked as used, if any."""
    if used is None:
        return None
    if isinstance(used, Article):
        return record_knowledge_used(contact=contact, article=used, by=by, now=now)
    return record_knowledge_used(contact=contact, guide=used, by=by, now=now)
