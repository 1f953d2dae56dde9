from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from indgang.audit.api.serializers import PurposeSerializer, purpose_of
from indgang.audit.constants import AccessAction, Via
from indgang.audit.services import log_reads
from indgang.cases.api.serializers import (
    CaseActionSerializer,
    CaseCreateSerializer,
    CaseSerializer,
    ComplaintCreateSerializer,
    FollowUpSerializer,
    IndskaerpelseCreateSerializer,
    InspectionCreateSerializer,
    ServiceNeedSerializer,
)
from indgang.cases.models import Case
from indgang.cases.selectors import areas_where_waiting_counts, get_case_for, list_cases_for
from indgang.cases.services import (
    InspectionStep,
    NewApplication,
    NewCaseSubject,
    change_service_need_type,
    follow_up_indskaerpelse,
    give_indskaerpelse,
    mark_remedied,
    plan_inspection,
    receive_application,
    receive_complaint,
    start_enforcement,
    take_action,
)
from indgang.common.api import NewestFirstPagination
from indgang.common.inputs import IdConverter
from indgang.organisation.requests import acting_user, request_scope

# An indskærpelse of the case, by its id.
INDSKAERPELSE = r"indskaerpelser/(?P<indskaerpelse_id>" + IdConverter.regex + ")"


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
            inspection=InspectionStep(
                notice_method=data.get("notice_method", ""),
                agenda=data.get("agenda", ""),
                staff_ids=tuple(data.get("staff_present", ())),
            ),
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

    @extend_schema(request=InspectionCreateSerializer, responses={201: CaseSerializer})
    @action(detail=False, methods=["post"])
    def inspections(self, request: Request) -> Response:
        """Plan an inspection: 201 with the new case in `planned`; 400 per field, nothing stored."""
        data = self._valid(InspectionCreateSerializer, request)
        case = plan_inspection(
            subject=_subject(data),
            planned_for=data["planned_for"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: CaseSerializer})
    @action(detail=False, methods=["post"])
    def complaints(self, request: Request) -> Response:
        """Receive a complaint as an enforcement case: 201; 400 per field, nothing stored."""
        data = self._valid(ComplaintCreateSerializer, request)
        case = receive_complaint(
            subject=_subject(data),
            complaint=data["complaint"],
            received_at=data["received_at"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=IndskaerpelseCreateSerializer, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"])
    def indskaerpelser(self, request: Request, pk: str) -> Response:
        """Give an indskærpelse at the inspection; 409 outside the visit-to-close states."""
        data = self._valid(IndskaerpelseCreateSerializer, request)
        given = give_indskaerpelse(
            case_id=int(pk),
            cause=data["cause"],
            requirement=data["requirement"],
            deadline=data["deadline"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(given.case, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path=INDSKAERPELSE + "/remedied")
    def remedied(self, request: Request, pk: str, indskaerpelse_id: str) -> Response:
        """Mark the indskærpelse remedied; 409 if it is not open."""
        given = mark_remedied(
            case_id=int(pk),
            indskaerpelse_id=int(indskaerpelse_id),
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(given.case, status.HTTP_200_OK)

    @extend_schema(request=FollowUpSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path=INDSKAERPELSE + "/follow-up")
    def follow_up(self, request: Request, pk: str, indskaerpelse_id: str) -> Response:
        """Note the follow-up of an open indskærpelse."""
        data = self._valid(FollowUpSerializer, request)
        given = follow_up_indskaerpelse(
            case_id=int(pk),
            indskaerpelse_id=int(indskaerpelse_id),
            note=data["note"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(given.case, status.HTTP_200_OK)

    @extend_schema(request=None, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"], url_path=INDSKAERPELSE + "/enforcement")
    def enforcement(self, request: Request, pk: str, indskaerpelse_id: str) -> Response:
        """Start an enforcement case from an indskærpelse not remedied by its deadline: 201 with
        the new case; 409 if remedied, already enforced or not yet due."""
        case = start_enforcement(
            case_id=int(pk),
            indskaerpelse_id=int(indskaerpelse_id),
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case, status.HTTP_201_CREATED)

    @staticmethod
    def _valid(serializer: type[Serializer[Any]], request: Request) -> dict[str, Any]:
        incoming = serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return dict(incoming.validated_data)

    def _answer(self, case: Case, code: int) -> Response:
        """The case as the detail shows it, read again through the permission path."""
        fresh = get_case_for(scope=request_scope(self.request), case_id=case.pk)
        return Response(self.get_serializer(fresh).data, status=code)


def _subject(data: dict[str, Any]) -> NewCaseSubject:
    """The party and place of a new case, from CaseSubjectSerializer's fields."""
    return NewCaseSubject(
        area=data["area"],
        cpr=data.get("cpr"),
        cvr=data.get("cvr"),
        party_name=data.get("name", ""),
        property_address=data["property_address"],
        cadastral_number=data.get("cadastral_number", ""),
        property_number=data.get("property_number", ""),
        kle_topic=data.get("kle_topic"),
        unit=data.get("unit"),
    )
