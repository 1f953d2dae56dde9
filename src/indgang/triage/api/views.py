from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.contacts.selectors import is_redacted, visible_contacts
from indgang.organisation.requests import acting_user, request_scope
from indgang.triage import selectors, services
from indgang.triage.api.serializers import (
    RoutingDecisionSerializer,
    RoutingRequestSerializer,
    SuggestionsSerializer,
    SuggestRequestSerializer,
)


class SuggestView(APIView):
    @extend_schema(
        tags=["triage"],
        request=SuggestRequestSerializer,
        responses={200: SuggestionsSerializer},
        summary="Suggest catalogue tasks for a text",
        description=(
            "The top 3 tasks with KLE topic, owning unit, a confidence (0-1) and the words that "
            "drove each. `confident` says whether the first reaches the automatic-routing "
            "threshold (INDGANG_TRIAGE_THRESHOLD). Nothing is stored."
        ),
    )
    def post(self, request: Request) -> Response:
        incoming = SuggestRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        suggestions = selectors.suggest(
            text=data["text"],
            channel=data.get("channel", ""),
            party_kind=data.get("party_kind", ""),
        )
        return Response(SuggestionsSerializer(suggestions).data)


class ContactRoutingView(APIView):
    @extend_schema(
        tags=["triage"],
        request=RoutingRequestSerializer,
        responses={
            201: RoutingDecisionSerializer,
            400: OpenApiResponse(description="Messages per field; nothing is stored."),
            404: OpenApiResponse(description="No such contact, or you may not see it."),
        },
        summary="Route a contact (staff feedback for triage)",
        description=(
            "Puts the contact on the task (and KLE topic; the suggested or the task's first when "
            "left out) and moves it to the unit (the task's owning unit when left out) unless it "
            "was resolved at first contact. Recorded as confirmed when it is the task triage "
            "suggested first, else corrected; either way a labelled example, and the model "
            "retrains in the background. Closes the contact's triage queue item."
        ),
    )
    def post(self, request: Request, contact_id: int) -> Response:
        contact = (
            visible_contacts(scope=request_scope(request))
            .select_related("party", "unit")
            .get(pk=contact_id)
        )
        # The explanation is read as the router read the contact: before it moves.
        redacted = is_redacted(scope=request_scope(request), contact=contact)
        incoming = RoutingRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        decision = services.record_routing(
            contact=contact,
            task=data["task"],
            kle_topic=data.get("kle_topic"),
            unit=data.get("unit"),
            decided_by=acting_user(request),
            now=timezone.now(),
        )
        body = RoutingDecisionSerializer(decision).data
        body["suggested"] = selectors.explained(decision.suggested, redacted=redacted)
        return Response(body, status=status.HTTP_201_CREATED)
