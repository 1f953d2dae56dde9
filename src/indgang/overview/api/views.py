from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from indgang.audit.api.serializers import PurposeSerializer, purpose_of
from indgang.audit.constants import AccessAction, Via
from indgang.audit.services import log_access
from indgang.common.api import Pagination, query_of
from indgang.common.inputs import IdConverter
from indgang.organisation.requests import acting_user, request_scope
from indgang.organisation.selectors import Scope
from indgang.overview.api.serializers import (
    AccessLogEntrySerializer,
    PartyLookupResultSerializer,
    PartyOverviewSerializer,
    represent_hits,
)
from indgang.overview.selectors import (
    PartyHit,
    find_parties_for,
    get_party_overview,
    read_access_log_for,
)
from indgang.parties.api.serializers import PartyLookupSerializer, PartySerializer
from indgang.parties.constants import Match
from indgang.parties.models import Party
from indgang.parties.selectors import find_citizen, find_company


@extend_schema(tags=["parties"])
class PartyViewSet(viewsets.GenericViewSet[Party]):
    """Citizens and companies, looked up by exact CPR or CVR or found as one types (`q`);
    every read is logged."""

    serializer_class = PartySerializer
    queryset = Party.objects.all()
    pagination_class = None  # An exact look-up finds one party or none.
    lookup_value_regex = IdConverter.regex

    @extend_schema(
        parameters=[PartyLookupSerializer, PurposeSerializer],
        responses=PartyLookupResultSerializer,
    )
    def list(self, request: Request) -> Response:
        """Look up one party by exact `cpr` or `cvr` (an empty list when unknown), or find the
        best few by `q` as one types."""
        incoming = PartyLookupSerializer(data=query_of(request))
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data.get("q"):
            try:
                hits = find_parties_for(
                    user=acting_user(request),
                    scope=self._scope(),
                    text=data["q"],
                    purpose=purpose_of(request),
                    via=Via.API,
                    now=timezone.now(),
                )
            except ValidationError as error:
                raise serializers.ValidationError({"q": error.messages}) from error
            return self._hits(hits)
        cpr, cvr = data.get("cpr"), data.get("cvr")
        party = find_citizen(cpr=cpr) if cpr else find_company(cvr=cvr or "")
        if party is None:
            return self._hits([])
        log_access(
            user=acting_user(request),
            party_id=party.pk,
            action=AccessAction.LOOKED_UP,
            purpose=purpose_of(request),
            via=Via.API,
            at=timezone.now(),
        )
        return self._hits([PartyHit(party=party, match=Match.NUMBER, may_open=True)])

    def _hits(self, hits: Sequence[PartyHit]) -> Response:
        return Response({"count": len(hits), "results": represent_hits(hits)})

    @extend_schema(
        parameters=[PurposeSerializer],
        responses={
            200: PartyOverviewSerializer,
            403: OpenApiResponse(
                description=(
                    "No reason to see the party: look it up by exact CPR or CVR first (that "
                    "opens its 360 to you for an hour)."
                )
            ),
        },
    )
    @action(detail=True, methods=["get"])
    def overview(self, request: Request, pk: str) -> Response:
        """The 360: the party's threads and contacts across the departments you may see."""
        overview = get_party_overview(
            user=acting_user(request),
            scope=self._scope(),
            party_id=int(pk),
            purpose=purpose_of(request),
            via=Via.API,
            now=timezone.now(),
            for_api=True,
        )
        return Response(
            PartyOverviewSerializer(overview, context=self.get_serializer_context()).data
        )

    @extend_schema(
        responses={
            200: AccessLogEntrySerializer(many=True),
            403: OpenApiResponse(
                description="Not a manager of a department that dealt with the party, nor an "
                "administrator."
            ),
        }
    )
    @action(detail=True, methods=["get"], url_path="access-log", pagination_class=Pagination)
    def access_log(self, request: Request, pk: str) -> Response:
        """Who read this party's personal data, when, what and why (managers and administrators)."""
        _party, entries = read_access_log_for(
            user=acting_user(request),
            scope=self._scope(),
            party_id=int(pk),
            via=Via.API,
            now=timezone.now(),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(AccessLogEntrySerializer(page, many=True).data)

    def _scope(self) -> Scope:
        return request_scope(self.request)
