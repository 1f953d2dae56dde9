from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from indgang.common.api import query_of
from indgang.common.inputs import IdConverter
from indgang.common.subjects import get_subject_for
from indgang.deadlines.api.serializers import (
    NEW_DEADLINE_SUBJECTS,
    CompleteSerializer,
    DeadlineCreateSerializer,
    DeadlineDetailSerializer,
    DeadlineFilterSerializer,
    DeadlineNoticeSerializer,
    DeadlineSerializer,
    ExtendSerializer,
    NoticeSerializer,
    NotificationSerializer,
    OverdueSummarySerializer,
    ReasonSerializer,
    ResumeSerializer,
)
from indgang.deadlines.constants import DeadlineKind, StopEvent
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import (
    count_overdue,
    get_deadline_to_change,
    list_deadlines_for,
    list_notifications_for,
)
from indgang.deadlines.services import (
    complete_deadline,
    extend_deadline,
    mark_notifications_read,
    record_notice,
    resume_deadline,
    start_deadline,
    suspend_deadline,
)
from indgang.organisation.requests import acting_user, request_scope

# Seen, but not the user's to change (deadlines.selectors.get_deadline_to_change).
NOT_YOURS = OpenApiResponse(
    description="Only the owner, the deadline's unit, its managers and administrators."
)


def _valid(serializer_class: type[Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(tags=["deadlines"])
class DeadlineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Deadline],
):
    """Deadlines on contacts, threads and cases, most urgent first; list and detail share one
    path."""

    serializer_class = DeadlineSerializer
    lookup_value_regex = IdConverter.regex

    def get_queryset(self) -> QuerySet[Deadline]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Deadline.objects.none()
        filters = DeadlineFilterSerializer(data=query_of(self.request))
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        user = acting_user(self.request)
        deadlines = list_deadlines_for(
            scope=request_scope(self.request),
            user=user,
            subjects=[(name, data[name]) for name in ("contact", "thread", "case") if name in data],
            owner_id=user.pk if data.get("mine") else data.get("owner"),
            unit_id=data.get("unit"),
            kind=data.get("kind"),
            status=data.get("status"),
        )
        if self.action == "retrieve":
            deadlines = deadlines.prefetch_related("changes__by", "notices__recorded_by")
        return deadlines

    def get_serializer_class(self) -> type[Serializer[Any]]:
        if self.action == "list":
            return DeadlineSerializer
        return DeadlineDetailSerializer

    @extend_schema(parameters=[DeadlineFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DeadlineCreateSerializer, responses={201: DeadlineDetailSerializer})
    def create(self, request: Request) -> Response:
        """Start a deadline on a contact you see in full, or on a case of your departments."""
        data = _valid(DeadlineCreateSerializer, request)
        (name,) = (name for name in NEW_DEADLINE_SUBJECTS if name in data)
        try:
            subject = get_subject_for(scope=request_scope(request), name=name, pk=data[name])
        except ObjectDoesNotExist:
            raise ValidationError(
                {name: str(NEW_DEADLINE_SUBJECTS[name]).format(pk_value=data[name])}
            ) from None
        deadline = start_deadline(
            subject=subject,
            kind=DeadlineKind(data["kind"]),
            by=acting_user(request),
            now=timezone.now(),
            started_at=data.get("started_at"),
            due_at=data.get("due_at"),
            length=data.get("length"),
            owner=data.get("owner"),
        )
        return Response(DeadlineDetailSerializer(deadline).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReasonSerializer, responses={200: DeadlineDetailSerializer, 403: NOT_YOURS}
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        """Pause the clock while waiting for the citizen."""
        data = _valid(ReasonSerializer, request)
        deadline = suspend_deadline(
            deadline=self._to_change(),
            by=acting_user(request),
            now=timezone.now(),
            reason=data["reason"],
        )
        return self._detail(deadline)

    @extend_schema(
        request=ResumeSerializer, responses={200: DeadlineDetailSerializer, 403: NOT_YOURS}
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        """Restart the clock; the due date moves by the working days paused."""
        data = _valid(ResumeSerializer, request)
        deadline = resume_deadline(
            deadline=self._to_change(),
            by=acting_user(request),
            now=timezone.now(),
            reason=data["reason"],
        )
        return self._detail(deadline)

    @extend_schema(
        request=ExtendSerializer, responses={200: DeadlineDetailSerializer, 403: NOT_YOURS}
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        data = _valid(ExtendSerializer, request)
        deadline = extend_deadline(
            deadline=self._to_change(),
            due_at=data["due_at"],
            by=acting_user(request),
            now=timezone.now(),
            reason=data["reason"],
        )
        return self._detail(deadline)

    @extend_schema(
        request=CompleteSerializer, responses={200: DeadlineDetailSerializer, 403: NOT_YOURS}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        data = _valid(CompleteSerializer, request)
        stopped_by = data.get("stopped_by")
        deadline = complete_deadline(
            deadline=self._to_change(),
            by=acting_user(request),
            now=timezone.now(),
            stopped_by=StopEvent(stopped_by) if stopped_by else None,
        )
        return self._detail(deadline)

    @extend_schema(
        request=NoticeSerializer, responses={201: DeadlineNoticeSerializer, 403: NOT_YOURS}
    )
    @action(detail=True, methods=["post"])
    def notices(self, request: Request, pk: str) -> Response:
        """Record that the requester was told why and when (offentlighedsloven § 36, stk. 2)."""
        data = _valid(NoticeSerializer, request)
        notice = record_notice(
            deadline=self._to_change(),
            reason=data["reason"],
            expected_at=data["expected_at"],
            by=acting_user(request),
            now=timezone.now(),
        )
        return Response(DeadlineNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[DeadlineFilterSerializer], responses=DeadlineSerializer(many=True))
    @action(detail=False, methods=["get"])
    def overdue(self, request: Request) -> Response:
        """Open deadlines past their due date, most overdue first; filter by unit, owner, kind."""
        filters = DeadlineFilterSerializer(data=query_of(request))
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        user = acting_user(request)
        deadlines = list_deadlines_for(
            scope=request_scope(request),
            user=user,
            owner_id=user.pk if data.get("mine") else data.get("owner"),
            unit_id=data.get("unit"),
            kind=data.get("kind"),
            overdue_at=timezone.now(),
        )
        page = self.paginate_queryset(deadlines)
        assert page is not None  # noqa: S101 - lists are always paginated
        return self.get_paginated_response(DeadlineSerializer(page, many=True).data)

    @extend_schema(responses=OverdueSummarySerializer)
    @action(detail=False, methods=["get"], url_path="overdue-summary")
    def overdue_summary(self, request: Request) -> Response:
        """How many deadlines are overdue, per unit, per owner and per kind."""
        counts = count_overdue(
            scope=request_scope(request), user=acting_user(request), now=timezone.now()
        )
        return Response(OverdueSummarySerializer(counts).data)

    def _to_change(self) -> Deadline:
        """The deadline in the URL, if the user may change it (404 unseen, 403 not theirs)."""
        return get_deadline_to_change(
            scope=request_scope(self.request),
            user=acting_user(self.request),
            deadline_id=int(self.kwargs["pk"]),
        )

    def _detail(self, deadline: Deadline) -> Response:
        return Response(DeadlineDetailSerializer(self.get_queryset().get(pk=deadline.pk)).data)


@extend_schema(tags=["deadlines"])
class NotificationListView(APIView):
    """Your reminders: deadlines due soon, and (for managers) deadlines passed."""

    @extend_schema(responses=NotificationSerializer(many=True))
    def get(self, request: Request) -> Response:
        notifications = list_notifications_for(user=acting_user(request))[:200]
        return Response(NotificationSerializer(notifications, many=True).data)

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        """Mark all your notifications read."""
        mark_notifications_read(user=acting_user(request), now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)
