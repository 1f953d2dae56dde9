from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from indgang.catalogue.api.serializers import (
    KleEntrySerializer,
    KleFilterSerializer,
    TaskFilterSerializer,
    TaskSerializer,
)
from indgang.catalogue.models import KleEntry, Task
from indgang.catalogue.selectors import list_kle_entries, list_tasks
from indgang.common.api import query_of


@extend_schema(tags=["catalogue"])
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Task]):
    """The municipal task catalogue (opgavekatalog)."""

    serializer_class = TaskSerializer

    def get_queryset(self) -> Any:
        filters = TaskFilterSerializer(data=query_of(self.request))
        filters.is_valid(raise_exception=True)
        return list_tasks(
            text=filters.validated_data["q"],
            department_id=filters.validated_data.get("department"),
        ).prefetch_related("summary_templates")

    @extend_schema(parameters=[TaskFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["catalogue"])
class KleTopicViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[KleEntry]
):
    """KL's classification: main groups, groups and topics, retired ones marked."""

    serializer_class = KleEntrySerializer
    lookup_field = "number"
    lookup_value_regex = r"\d{2}(\.\d{2}){0,2}"

    def get_queryset(self) -> Any:
        if self.action == "retrieve":
            return KleEntry.objects.select_related("parent")
        filters = KleFilterSerializer(data=query_of(self.request))
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return list_kle_entries(
            level=data["level"], active=data["active"], number_prefix=data["number"], text=data["q"]
        ).select_related("parent")

    @extend_schema(parameters=[KleFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
