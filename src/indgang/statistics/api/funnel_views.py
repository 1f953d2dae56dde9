"""The funnel API: form systems send events; managers read funnels and advice."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.common.api import query_of
from indgang.common.parsers import JSONParser
from indgang.organisation.requests import request_scope
from indgang.statistics.api.funnel_serializers import (
    AdviceSerializer,
    FunnelBatchSerializer,
    FunnelSerializer,
    PeriodSerializer,
    RecordedSerializer,
)
from indgang.statistics.funnels import (
    FunnelEventIn,
    funnel_report,
    record_funnel_events,
    self_service_advice,
)

REFUSED = OpenApiResponse(description="Only managers (their departments) and administrators.")


def _period(request: Request) -> dict[str, Any]:
    period = PeriodSerializer(data=query_of(request))
    period.is_valid(raise_exception=True)
    return dict(period.validated_data)


@extend_schema(tags=["statistics"])
class FunnelEventsView(APIView):
    parser_classes = [JSONParser]  # a batch is a list of objects: no form encoding holds it

    @extend_schema(
        request=FunnelBatchSerializer,
        responses={
            200: RecordedSerializer,
            400: OpenApiResponse(
                description=(
                    "The batch is refused as a whole and nothing is stored: every problem is "
                    "listed (an unknown solution, a step the solution does not have …)."
                )
            ),
        },
    )
    def post(self, request: Request) -> Response:
        """Record a batch of up to 1,000 self-service funnel events. Idempotent by `event_id`:
        an event sent again is acknowledged as a duplicate and not counted twice. The solution
        must be registered (by an administrator) under `system` and `solution`."""
        batch = FunnelBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        events = [FunnelEventIn(**event) for event in batch.validated_data["events"]]
        recorded = record_funnel_events(events=events, now=timezone.now())
        return Response(RecordedSerializer(recorded).data)


@extend_schema(tags=["statistics"])
class FunnelsView(APIView):
    @extend_schema(
        parameters=[PeriodSerializer],
        responses={200: FunnelSerializer(many=True), 403: REFUSED},
    )
    def get(self, request: Request) -> Response:
        """Each self-service solution's funnel in the period: started, each step reached,
        completed, abandoned, completion rate and transactions a year."""
        rows = funnel_report(scope=request_scope(request), **_period(request))
        return Response(FunnelSerializer(rows, many=True).data)


@extend_schema(tags=["statistics"])
class SelfServiceAdviceView(APIView):
    @extend_schema(
        parameters=[PeriodSerializer],
        responses={200: AdviceSerializer(many=True), 403: REFUSED},
    )
    def get(self, request: Request) -> Response:
        """The solutions to retire (few transactions a year) or fix (many abandoned per
        completed), with the numbers behind each piece of advice; thresholds in the settings
        INDGANG_SELF_SERVICE_*."""
        rows = self_service_advice(scope=request_scope(request), **_period(request))
        return Response(AdviceSerializer(rows, many=True).data)
