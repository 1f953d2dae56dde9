"""The statistics API: contact counts, and the KPIs, costs, what-if and KomHen sheet of a slice
(read only)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.common.api import query_of
from indgang.organisation.requests import request_scope
from indgang.statistics.api.serializers import (
    ContactCountsQuerySerializer,
    CostFilterSerializer,
    CostsSerializer,
    CountRowSerializer,
    KomHenSerializer,
    KpiFilterSerializer,
    KpiSerializer,
    QueueTimesFilterSerializer,
    QueueTimesSerializer,
    SliceFilterSerializer,
    UnitCostTableSerializer,
    WhatIfFilterSerializer,
    WhatIfSerializer,
    slice_of,
)
from indgang.statistics.goals import list_kpis
from indgang.statistics.komhen import komhen_sheet
from indgang.statistics.pricing import (
    get_unit_cost_table,
    list_costs,
    list_unit_cost_tables,
    unit_costs_of,
    what_if,
)
from indgang.statistics.selectors import contact_counts
from indgang.statistics.visits import queue_times


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


TAGS = ["statistics"]


def _filters(request: Request, serializer: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    filters = serializer(data=query_of(request))
    filters.is_valid(raise_exception=True)
    return dict(filters.validated_data)


class KpiView(APIView):
    """The KPIs of a period, department, unit or task, each against its goal, with its trend."""

    @extend_schema(
        tags=TAGS, parameters=[KpiFilterSerializer], responses={200: KpiSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        data = _filters(request, KpiFilterSerializer)
        kpis = list_kpis(
            scope=request_scope(request),
            slice=slice_of(data),
            period=data["period"],
            now=timezone.now(),
        )
        return Response(KpiSerializer(kpis, many=True).data)


class CostView(APIView):
    """The cost of a slice's contacts per channel, task or unit, by a unit-cost table."""

    @extend_schema(tags=TAGS, parameters=[CostFilterSerializer], responses={200: CostsSerializer})
    def get(self, request: Request) -> Response:
        data = _filters(request, CostFilterSerializer)
        scope = request_scope(request)
        table = get_unit_cost_table(scope=scope, table_id=data.get("table"))
        rows = list_costs(
            scope=scope, slice=slice_of(data), unit_costs=unit_costs_of(table), by=data["by"]
        )
        return Response(CostsSerializer({"table": table, "by": data["by"], "rows": rows}).data)


class WhatIfView(APIView):
    """The saving in kroner had a share of one channel's contacts come by another (or by none)."""

    @extend_schema(
        tags=TAGS, parameters=[WhatIfFilterSerializer], responses={200: WhatIfSerializer}
    )
    def get(self, request: Request) -> Response:
        data = _filters(request, WhatIfFilterSerializer)
        scope = request_scope(request)
        table = get_unit_cost_table(scope=scope, table_id=data.get("table"))
        result = what_if(
            scope=scope,
            slice=slice_of(data),
            unit_costs=unit_costs_of(table),
            source=data["from_channel"],
            target=data.get("to_channel"),
            share=data["share"],
        )
        return Response(WhatIfSerializer({"table": table, **vars(result)}).data)


class UnitCostTableListView(APIView):
    """The unit-cost tables with their kroner per channel."""

    @extend_schema(tags=TAGS, responses={200: UnitCostTableSerializer(many=True)})
    def get(self, request: Request) -> Response:
        tables = list_unit_cost_tables(scope=request_scope(request))
        return Response(UnitCostTableSerializer(tables, many=True).data)


class KomHenView(APIView):
    """The KomHen counting sheet of a period: inbound contacts per channel and area."""

    @extend_schema(tags=TAGS, parameters=[SliceFilterSerializer], responses={200: KomHenSerializer})
    def get(self, request: Request) -> Response:
        data = _filters(request, SliceFilterSerializer)
        sheet = komhen_sheet(scope=request_scope(request), slice=slice_of(data))
        return Response(KomHenSerializer(sheet).data)


class QueueTimesView(APIView):
    """Waiting and handling time per service centre and hour of the day over a period (at most
    92 days), from the queue's finished visits."""

    @extend_schema(
        tags=TAGS,
        parameters=[QueueTimesFilterSerializer],
        responses={200: QueueTimesSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        data = _filters(request, QueueTimesFilterSerializer)
        rows = queue_times(scope=request_scope(request), first=data["start"], last=data["end"])
        return Response([asdict(row) for row in rows])
