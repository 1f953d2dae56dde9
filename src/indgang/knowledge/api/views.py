from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.catalogue.models import Task
from indgang.common.api import NotFound, query_of
from indgang.common.workdays import day_range
from indgang.contacts.selectors import visible_contacts
from indgang.knowledge.api.serializers import (
    ArticleSerializer,
    ArticleWriteSerializer,
    GuideSerializer,
    GuideWriteSerializer,
    KnowledgeUsedSerializer,
    KnowledgeUseSerializer,
    ReportFilterSerializer,
    ReportSerializer,
    RevisionSerializer,
)
from indgang.knowledge.constants import REPORT_DAYS
from indgang.knowledge.models import Article
from indgang.knowledge.selectors import (
    get_guide_for_task,
    list_articles,
    list_revisions,
    list_stale_articles,
    straksafklaring_report,
)
from indgang.knowledge.services import (
    create_article,
    record_knowledge_used,
    save_guide,
    update_article,
)
from indgang.organisation.requests import acting_user, request_scope


class ArticleFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, default="", allow_blank=True)
    stale = serializers.BooleanField(
        required=False, default=False, help_text="Only articles of your units past review."
    )


@extend_schema(tags=["knowledge"])
class ArticleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Article],
):
    """Knowledge base articles. Every change is a new version; `history` lists them."""

    serializer_class = ArticleSerializer

    def get_queryset(self) -> Any:
        filters = ArticleFilterSerializer(data=query_of(self.request))
        filters.is_valid(raise_exception=True)
        if filters.validated_data["stale"]:
            articles = list_stale_articles(
                today=timezone.localdate(), scope=request_scope(self.request)
            )
        else:
            articles = list_articles(text=filters.validated_data["q"])
        return articles.prefetch_related("tasks", "kle_topics")

    @extend_schema(parameters=[ArticleFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ArticleWriteSerializer, responses={201: ArticleSerializer})
    def create(self, request: Request) -> Response:
        incoming = ArticleWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        article = create_article(
            data=incoming.article_data(),
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return Response(ArticleSerializer(article).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArticleWriteSerializer, responses=ArticleSerializer)
    def update(self, request: Request, pk: str) -> Response:
        article = self.get_object()
        incoming = ArticleWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        article = update_article(
            article=article,
            data=incoming.article_data(),
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
            expected_version=incoming.validated_data.get("version"),
        )
        return Response(ArticleSerializer(article).data)

    @extend_schema(responses=RevisionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        """Who changed which fields when, with the previous values; newest first."""
        article = self.get_object()
        return Response(RevisionSerializer(list_revisions(article=article), many=True).data)


class GuideView(APIView):
    @extend_schema(tags=["knowledge"], responses=GuideSerializer)
    def get(self, request: Request, task_id: int) -> Response:
        """A task's "how we solve it" guide."""
        task = get_object_or_404(Task, pk=task_id)
        guide = get_guide_for_task(task_id=task.pk)
        if guide is None:
            raise NotFound
        return Response(GuideSerializer(guide).data)

    @extend_schema(tags=["knowledge"], request=GuideWriteSerializer, responses=GuideSerializer)
    def put(self, request: Request, task_id: int) -> Response:
        """Create or change the guide; each change is a new version."""
        task = get_object_or_404(Task, pk=task_id)
        incoming = GuideWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        guide = save_guide(
            task=task,
            data=incoming.guide_data(),
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
            expected_version=incoming.validated_data.get("version"),
        )
        return Response(GuideSerializer(guide).data)


class GuideHistoryView(APIView):
    @extend_schema(tags=["knowledge"], responses=RevisionSerializer(many=True))
    def get(self, request: Request, task_id: int) -> Response:
        guide = get_guide_for_task(task_id=task_id)
        if guide is None:
            raise NotFound
        return Response(RevisionSerializer(list_revisions(guide=guide), many=True).data)


class KnowledgeUsedView(APIView):
    @extend_schema(
        tags=["knowledge"],
        request=KnowledgeUsedSerializer,
        responses={201: KnowledgeUseSerializer},
    )
    def post(self, request: Request, contact_id: int) -> Response:
        """Record the article or guide that helped with a contact (measured straksafklaring)."""
        contact = get_object_or_404(visible_contacts(scope=request_scope(request)), pk=contact_id)
        incoming = KnowledgeUsedSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        use = record_knowledge_used(
            contact=contact,
            article=incoming.validated_data.get("article"),
            guide=incoming.validated_data.get("guide"),
            by=acting_user(request),
            now=timezone.now(),
        )
        return Response(KnowledgeUseSerializer(use).data, status=status.HTTP_201_CREATED)


class ReportView(APIView):
    @extend_schema(
        tags=["knowledge"], parameters=[ReportFilterSerializer], responses=ReportSerializer
    )
    def get(self, request: Request) -> Response:
        """Resolution at first contact per task, and the share where the knowledge base helped."""
        filters = ReportFilterSerializer(data=query_of(request))
        filters.is_valid(raise_exception=True)
        today = timezone.localdate()
        start: dt.date = filters.validated_data.get(
            "received_from", today - dt.timedelta(days=REPORT_DAYS - 1)
        )
        end: dt.date = filters.validated_data.get("received_to", today)
        received_from, received_to = day_range(start, end, zone=timezone.get_current_timezone())
        rows, total = straksafklaring_report(
            scope=request_scope(request), received_from=received_from, received_to=received_to
        )
        return Response(
            ReportSerializer(
                {"received_from": start, "received_to": end, "tasks": rows, "total": total}
            ).data
        )
