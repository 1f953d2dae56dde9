from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.audit.api.serializers import PurposeSerializer, purpose_of
from indgang.audit.constants import AccessAction, Via
from indgang.audit.services import log_reads
from indgang.cases.api.serializers import (
    CaseActionSerializer,
    CaseCreateSerializer,
    CaseSerializer,
    PreMeetingSerializer,
    ReportFilterSerializer,
    ServiceNeedSerializer,
    ServiceTargetReportSerializer,
    WorkListFilterSerializer,
    WorkListRowSerializer,
)
from indgang.cases.models import Case
from indgang.cases.reports import list_work_for, servicemal_report
from indgang.cases.selectors import areas_where_waiting_counts, get_case_for, list_cases_for
from indgang.cases.services import (
    NewApplication,
    change_service_need_type,
    receive_application,
    set_pre_meeting,
    take_action,
)
from indgang.common.api import NewestFirstPagination, Pagination, query_of
from indgang.common.inputs import IdConverter
from indgang.organisation.requests import acting_user, request_scope


@extend_schema(tags=["cases"])
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Case],
):
    """Applications, inspections and enforcement cases; list and detail share one path."""

    serializer_class = CaseSerializer
    pagination_class = NewestFirstPagination
    lookup_value_regex = IdConverter.regex

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Case.objects.none()
        return list_cases_for(scope=request_scope(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        context["waiting_counts"] = areas_where_waiting_counts()
        return context

    def _log(self, request: Request, cases: list[Case], what: AccessAction) -> None:
        log_reads(
            user=acting_user(request),
            party_ids=(case.party_id for case in cases),
            action=what,
            purpose=purpose_of(request),
            via=Via.API,
            at=timezone.now(),
        )

    @extend_schema(parameters=[PurposeSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Cases you may see, newest first, each with its clock; each party is logged as read."""
        purpose_of(request)  # refuse a bad purpose before reading
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - always paginated
        self._log(request, page, AccessAction.LISTED_CASES)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[PurposeSerializer])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One case with its clock and timeline; the read is written to the access log."""
        purpose_of(request)
        case = get_case_for(scope=request_scope(request), case_id=int(kwargs["pk"]))
        self._log(request, [case], AccessAction.VIEWED_CASE)
        return Response(self.get_serializer(case).data)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Receive an application: 201 with the new case; 400 per field, nothing stored."""
        incoming = CaseCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        case = receive_application(
            new=NewApplication(
                area=data["area"],
                category_code=data["category"],
                received_at=data["received_at"],
                cpr=data.get("cpr"),
                cvr=data.get("cvr"),
                party_name=data.get("name", ""),
                property_address=data["property_address"],
                cadastral_number=data.get("cadastral_number", ""),
                property_number=data.get("property_number", ""),
                kle_topic=data.get("kle_topic"),
                unit=data.get("unit"),
                attachments=data.get("attachments", []),
            ),
            received_by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseActionSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request: Request, pk: str) -> Response:
        """Take one step of the state machine; 409 with the Danish refusal if not allowed."""
        incoming = CaseActionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        case = take_action(
            case_id=int(pk),
            action=data["action"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
            at=data.get("at"),
            note=data.get("note", ""),
            outcome=data.get("decision", ""),
        )
        return self._answer(case, status.HTTP_200_OK)

    @extend_schema(request=ServiceNeedSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="service-need")
    def service_need(self, request: Request, pk: str) -> Response:
        """Change the case's service-need type, saying why; every change is kept."""
        incoming = ServiceNeedSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        case = change_service_need_type(
            case_id=int(pk),
            to_type=data["service_need_type"],
            reason=data["reason"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case, status.HTTP_200_OK)

    @extend_schema(request=PreMeetingSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="pre-meeting")
    def pre_meeting(self, request: Request, pk: str) -> Response:
        """Record the day of the pre-application meeting (null: none), for the report."""
        incoming = PreMeetingSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        case = set_pre_meeting(
            case_id=int(pk),
            held_on=incoming.validated_data["pre_meeting_on"],
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case, status.HTTP_200_OK)

    def _answer(self, case: Case, code: int) -> Response:
        """The case as the detail shows it, read again through the permission path."""
        fresh = get_case_for(scope=request_scope(self.request), case_id=case.pk)
        return Response(self.get_serializer(fresh).data, status=code)


@extend_schema(tags=["cases"], parameters=[WorkListFilterSerializer])
class WorkListView(generics.ListAPIView[Case]):
    """Open cases, most urgent first by days left on the servicemål clock; then the cases
    whose clock has not started, by received time. `unit` for a unit's list, `mine` for yours."""

    serializer_class = WorkListRowSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Case.objects.none()
        filters = WorkListFilterSerializer(data=query_of(self.request))
        filters.is_valid(raise_exception=True)
        return list_work_for(
            scope=request_scope(self.request),
            today=timezone.localdate(),
            unit_id=filters.validated_data.get("unit"),
            caseworker=acting_user(self.request) if filters.validated_data["mine"] else None,
        )


class ServiceTargetReportView(APIView):
    """The servicemål report for a period of decisions, optionally for one unit."""

    @extend_schema(
        tags=["cases"],
        parameters=[ReportFilterSerializer],
        responses={200: ServiceTargetReportSerializer},
    )
    def get(self, request: Request) -> Response:
        filters = ReportFilterSerializer(data=query_of(request))
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        report = servicemal_report(
            scope=request_scope(request),
            decided_from=data["decided_from"],
            decided_to=data["decided_to"],
            today=timezone.localdate(),
            unit_id=data.get("unit"),
        )
        return Response(ServiceTargetReportSerializer(report).data)
