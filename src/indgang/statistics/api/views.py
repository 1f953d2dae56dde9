from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.common.api import query_of
from indgang.organisation.requests import request_scope
from indgang.statistics.api.serializers import ContactCountsQuerySerializer, CountRowSerializer
from indgang.statistics.selectors import contact_counts


@extend_schema(tags=["statistics"])
class ContactCountsView(APIView):
    """Contacts counted per period and dimension, from the statistics' rollups. Managers see
    their own departments (summed when no department is given), administrators all."""

    @extend_schema(
        parameters=[ContactCountsQuerySerializer], responses=CountRowSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        query = ContactCountsQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        rows = contact_counts(
            scope=request_scope(request),
            slice=query.slice(),
            by=query.validated_data.get("by", ()),
            period=query.validated_data.get("period"),
        )
        return Response([asdict(row) for row in rows])
