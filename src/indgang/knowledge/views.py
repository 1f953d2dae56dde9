from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.models import Task
from indgang.common.forms import add_refusal
from indgang.common.workdays import day_range
from indgang.knowledge.constants import REPORT_DAYS
from indgang.knowledge.forms import ArticleForm, GuideForm, ReportForm, format_links
from indgang.knowledge.models import Article
from indgang.knowledge.selectors import (
    get_article,
    get_guide_for_task,
    get_task,
    list_articles_by_category,
    list_revisions,
    list_stale_articles,
    list_stale_flags,
    straksafklaring_report,
)
from indgang.knowledge.services import create_article, save_guide, update_article
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope

M = TypeVar("M", bound=Model)


def _saved_or_form(
    request: HttpRequest,
    form: Form,
    *,
    save: Callable[[], M],
    saved: str,
    then: Callable[[M], HttpResponse],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Save a valid posted form through `save` (a service call) and go on with `then`; else the
    form again, with the service's refusal on its fields."""
    if request.method == "POST" and form.is_valid():
        try:
            instance = save()
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, saved)
            return then(instance)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def _article_or_404(article_id: int) -> Article:
    try:
        return get_article(article_id=article_id)
    except Article.DoesNotExist as error:
        raise Http404 from error


@staff_view
def article_list(request: HttpRequest) -> HttpResponse:
    """The articles by KLE main group, with the KLE descriptions folded in each."""
    text = request.GET.get("q", "").strip()
    categories = list_articles_by_category(text=text)
    return render(
        request,
        "knowledge/article_list.html",
        {
            "categories": categories,
            "count": sum(len(c.articles) + len(c.descriptions) for c in categories),
            "text": text,
            "today": timezone.localdate(),
        },
    )


@staff_view
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    return render(
        request,
        "knowledge/article_detail.html",
        {
            "article": article,
            "revisions": list_revisions(article=article),
            "stale": article.review_on < timezone.localdate(),
        },
    )


@staff_view
def article_create(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    today = timezone.localdate()
    form = ArticleForm(
        request.POST or None,
        initial={
            "owner_unit": scope.home_unit_id,
            "review_on": today + dt.timedelta(days=365),
        },
    )
    return _saved_or_form(
        request,
        form,
        save=lambda: create_article(
            data=form.article_data(), by=acting_user(request), scope=scope, now=timezone.now()
        ),
        saved=_("The article is saved."),
        then=_show_article,
        template="knowledge/article_form.html",
        context={"article": None},
    )


@staff_view
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    initial = {
        "title": article.title,
        "answer": article.answer,
        "audience": article.audience,
        "owner_unit": article.owner_unit_id,
        "review_on": article.review_on,
        "links": format_links(article.links),
        "tasks": [task.pk for task in article.tasks.all()],
        "kle_topics": " ".join(topic.number for topic in article.kle_topics.all()),
        "version": article.version,
    }
    form = ArticleForm(request.POST or None, initial=initial)
    return _saved_or_form(
        request,
        form,
        save=lambda: update_article(
            article=article,
            data=form.article_data(),
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        ),
        saved=_("The article is saved."),
        then=_show_article,
        template="knowledge/article_form.html",
        context={"article": article},
    )


def _show_article(article: Article) -> HttpResponse:
    return redirect("knowledge-article", article_id=article.pk)


def _task_or_404(task_id: int) -> Task:
    try:
        return get_task(task_id=task_id)
    except Task.DoesNotExist as error:
        raise Http404 from error


@staff_view
def guide_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task_or_404(task_id)
    guide = get_guide_for_task(task_id=task.pk)
    return render(
        request,
        "knowledge/guide_detail.html",
        {
            "task": task,
            "guide": guide,
            "revisions": list_revisions(guide=guide) if guide else [],
            "articles": list(task.articles.order_by("title")),
        },
    )


@staff_view
def guide_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task_or_404(task_id)
    guide = get_guide_for_task(task_id=task.pk)
    initial = (
        {
            "what_to_ask": guide.what_to_ask,
            "what_to_bring": guide.what_to_bring,
            "self_service": guide.self_service,
            "when_to_forward": guide.when_to_forward,
            "forward_to": guide.forward_to_id,
            "version": guide.version,
        }
        if guide
        else {"forward_to": task.unit_id}
    )
    form = GuideForm(request.POST or None, initial=initial)
    return _saved_or_form(
        request,
        form,
        save=lambda: save_guide(
            task=task,
            data=form.guide_data(),
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        ),
        saved=_("The guide is saved."),
        then=lambda _guide: redirect("knowledge-guide", task_id=task.pk),
        template="knowledge/guide_form.html",
        context={"task": task, "guide": guide},
    )


@staff_view
def stale_list(request: HttpRequest) -> HttpResponse:
    """The owner units' screen: their articles past the review date, and when each was flagged."""
    scope = request_scope(request)
    flags = {flag.article_id: flag for flag in list_stale_flags(scope=scope)}
    articles = list(list_stale_articles(today=timezone.localdate(), scope=scope))
    return render(
        request,
        "knowledge/stale_list.html",
        {"rows": [(article, flags.get(article.pk)) for article in articles]},
    )


@staff_view
def report(request: HttpRequest) -> HttpResponse:
    """Resolution at first contact per task, and the share where the knowledge base helped."""
    form = ReportForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=REPORT_DAYS - 1), today
    if form.is_valid():
        start = form.cleaned_data["received_from"] or start
        end = form.cleaned_data["received_to"] or end
    received_from, received_to = day_range(start, end, zone=timezone.get_current_timezone())
    rows, total = straksafklaring_report(
        scope=request_scope(request), received_from=received_from, received_to=received_to
    )
    return render(
        request,
        "knowledge/report.html",
        {"form": form, "rows": rows, "total": total, "start": start, "end": end},
        status=400 if form.errors else 200,
    )
