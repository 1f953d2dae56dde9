"""The queue's API: the same actions as the reception and desk screens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from indgang.bookings import queue
from indgang.bookings.api.queue_serializers import (
    CentreSerializer,
    CheckInSerializer,
    DeskChoiceSerializer,
    FinishSerializer,
    ReferSerializer,
    TriageSerializer,
    VisitSerializer,
)
from indgang.bookings.api.views import _slot
from indgang.bookings.models import Booking, Desk, Visit
from indgang.bookings.selectors import get_booking_for
from indgang.common.inputs import IdConverter
from indgang.organisation.models import Unit
from indgang.organisation.requests import acting_user, request_scope

REFUSED = OpenApiResponse(description="The visit is not in a state that allows this.")


def _valid(serializer_class: type[Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _desk(unit: Unit, desk_id: int | None) -> Desk | None:
    return None if desk_id is None else queue.get_desk(unit=unit, desk_id=desk_id)


@extend_schema(tags=["queue"])
class CentreViewSet(viewsets.GenericViewSet[Unit]):
    """The service centres whose queue the user works; draw numbers and check in there."""

    serializer_class = CentreSerializer
    lookup_value_regex = IdConverter.regex
    pagination_class = None  # a municipality has a handful of centres

    def get_queryset(self) -> QuerySet[Unit]:  # only for the schema
        return Unit.objects.none()

    def list(self, request: Request) -> Response:
        """The centres whose queue the user works, with their desks."""
        centres = queue.list_centres_for(scope=request_scope(request))
        desks = {unit.pk: queue.list_desks(unit=unit) for unit in centres}
        return Response(CentreSerializer(centres, many=True, context={"desks": desks}).data)

    def _centre(self) -> Unit:
        return queue.get_centre_for(
            scope=request_scope(self.request), unit_id=int(self.kwargs["pk"])
        )

    @extend_schema(request=None, responses=VisitSerializer(many=True))
    @action(detail=True, methods=["get"])
    def today(self, request: Request, pk: str) -> Response:
        """Today's visits at the centre in the order drawn."""
        day, _hour = queue.local_day_and_hour(timezone.now())
        return Response(
            VisitSerializer(queue.list_day(unit=self._centre(), day=day), many=True).data
        )

    @extend_schema(request=None, responses={201: VisitSerializer})
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str) -> Response:
        """Draw the next walk-in number (A001, A002, ...) of the day."""
        visit = queue.draw_number(
            unit=self._centre(), drawn_by=acting_user(request), now=timezone.now()
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckInSerializer, responses={201: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str) -> Response:
        """Put today's booked desk appointment in the queue (B001, ...), once."""
        data = _valid(CheckInSerializer, request.data)
        centre = self._centre()
        try:
            booking = get_booking_for(scope=request_scope(request), booking_id=data["booking"])
        except Booking.DoesNotExist:
            raise Visit.DoesNotExist from None
        visit = queue.check_in(
            booking=booking, unit=centre, checked_in_by=acting_user(request), now=timezone.now()
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DeskChoiceSerializer, responses={200: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"], url_path="call-next")
    def call_next(self, request: Request, pk: str) -> Response:
        """Call the next visitor to the desk."""
        desk = queue.get_desk(
            unit=self._centre(), desk_id=_valid(DeskChoiceSerializer, request.data)["desk"]
        )
        visit = queue.call_next(desk=desk, called_by=acting_user(request), now=timezone.now())
        return Response(VisitSerializer(visit).data)


@extend_schema(tags=["queue"])
class VisitViewSet(viewsets.GenericViewSet[Visit]):
    """One visit: visitation at the reception, and the desk's call, start, finish, no-show."""

    serializer_class = VisitSerializer
    lookup_value_regex = IdConverter.regex

    def get_queryset(self) -> QuerySet[Visit]:  # only for the schema
        return Visit.objects.none()

    def _visit(self) -> Visit:
        return queue.get_visit_for(
            scope=request_scope(self.request), visit_id=int(self.kwargs["pk"])
        )

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    def retrieve(self, request: Request, pk: str) -> Response:
        """The visit, with its times."""
        return Response(VisitSerializer(self._visit()).data)

    @extend_schema(request=TriageSerializer, responses={200: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: str) -> Response:
        """Visitation: the task, the desk (none: the next free one) and who the visitor is."""
        data = _valid(TriageSerializer, request.data)
        visit = self._visit()
        visit = queue.triage_visit(
            visit=visit,
            task=data.get("task"),
            desk=_desk(visit.unit, data.get("desk")),
            cpr=data.get("cpr", ""),
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=ReferSerializer, responses={200: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str) -> Response:
        """Visitation to a booked time: book the slot, end the visit, register the contact."""
        data = _valid(ReferSerializer, request.data)
        visit = queue.refer_to_time(
            visit=self._visit(),
            slot=_slot(request, data["slot"]),
            summary=data["summary"],
            cpr=data.get("cpr", ""),
            referred_by=acting_user(request),
            registrar=request_scope(request),
            now=timezone.now(),
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=DeskChoiceSerializer, responses={200: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def call(self, request: Request, pk: str) -> Response:
        """Call this waiting visitor to the desk."""
        visit = self._visit()
        desk = queue.get_desk(
            unit=visit.unit, desk_id=_valid(DeskChoiceSerializer, request.data)["desk"]
        )
        visit = queue.call_visit(
            visit=visit, desk=desk, called_by=acting_user(request), now=timezone.now()
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=None, responses={200: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        """The called visitor is at the desk: handling starts."""
        visit = queue.start_visit(
            visit=self._visit(), started_by=acting_user(request), now=timezone.now()
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=FinishSerializer, responses={200: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str) -> Response:
        """End the visit and register it as a contact (channel personal) with its times."""
        data = _valid(FinishSerializer, request.data)
        visit = queue.finish_visit(
            visit=self._visit(),
            summary=data["summary"],
            outcome=data["outcome"],
            task=data.get("task"),
            cpr=data.get("cpr", ""),
            finished_by=acting_user(request),
            registrar=request_scope(request),
            now=timezone.now(),
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=None, responses={200: VisitSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request: Request, pk: str) -> Response:
        """The called visitor did not come: the visit ends without a contact."""
        visit = queue.mark_no_show(visit=self._visit(), by=acting_user(request), now=timezone.now())
        return Response(VisitSerializer(visit).data)
