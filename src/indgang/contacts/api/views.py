from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from indgang.audit.api.serializers import PurposeSerializer, purpose_of
from indgang.audit.constants import AccessAction, Via
from indgang.audit.services import log_reads
from indgang.common.api import (
    AwareDateTimeField,
    DeclaredFieldsShallow,
    NewestFirstPagination,
    Text,
    id_field,
    query_of,
)
from indgang.common.inputs import IdConverter
from indgang.contacts.api.serializers import (
    ContactCreateSerializer,
    ContactSerializer,
    represent_contact,
)
from indgang.contacts.constants import Channel, Outcome
from indgang.contacts.models import Contact
from indgang.contacts.selectors import is_redacted, list_contacts_for, with_api_fields
from indgang.contacts.services import NewContact, register_contact
from indgang.organisation.requests import acting_user, request_scope


class ContactFilterSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    party = id_field(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    received_from = AwareDateTimeField(required=False)
    received_to = AwareDateTimeField(required=False)
    unit = id_field(required=False)
    task = id_field(required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    text = Text(
        required=False,
        max_length=200,
        help_text="Words that must all occur in the summary (summaries you may read only).",
    )


@extend_schema(tags=["contacts"])
class ContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Contact],
):
    """The contact register: every channel in one place."""

    serializer_class = ContactSerializer
    pagination_class = NewestFirstPagination
    lookup_value_regex = IdConverter.regex

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Contact.objects.none()
        # List and detail share one permission path.
        filters = ContactFilterSerializer(data=query_of(self.request))
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return with_api_fields(
            list_contacts_for(
                scope=request_scope(self.request),
                party_id=data.get("party"),
                channel=data.get("channel"),
                received_from=data.get("received_from"),
                received_to=data.get("received_to"),
                unit_id=data.get("unit"),
                task_id=data.get("task"),
                outcome=data.get("outcome"),
                text=data.get("text", ""),
            )
        )

    @extend_schema(parameters=[ContactFilterSerializer, PurposeSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Contacts you may see, newest first; each party on the page is written to its log."""
        purpose = purpose_of(request)
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the register is always paginated
        log_reads(
            user=acting_user(request),
            party_ids=(contact.party_id for contact in page),
            action=AccessAction.LISTED_CONTACTS,
            purpose=purpose,
            via=Via.API,
            at=timezone.now(),
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[PurposeSerializer])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        purpose = purpose_of(request)
        contact = self.get_object()
        log_reads(
            user=acting_user(request),
            party_ids=[contact.party_id],
            action=AccessAction.VIEWED_CONTACT,
            purpose=purpose,
            via=Via.API,
            at=timezone.now(),
        )
        return Response(self.get_serializer(contact).data)

    @extend_schema(request=ContactCreateSerializer, responses={201: ContactSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ContactCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        contact = register_contact(
            new=NewContact(
                channel=data["channel"],
                direction=data["direction"],
                received_at=data["received_at"],
                summary=data["summary"],
                party=data.get("party"),
                cpr=data.get("cpr"),
                cvr=data.get("cvr"),
                party_name=data.get("name", ""),
                task=data.get("task"),
                kle_topic=data.get("kle_topic"),
                unit=data.get("unit"),
                outcome=data.get("outcome") or None,
                thread=data.get("thread"),
                duration_seconds=data.get("duration_seconds"),
            ),
            registered_by=acting_user(request),
            registrar=request_scope(request),
            now=timezone.now(),
        )
        body = represent_contact(
            contact,
            redacted=is_redacted(scope=request_scope(request), contact=contact),
            zone=timezone.get_current_timezone(),
        )
        return Response(body, status=status.HTTP_201_CREATED)
