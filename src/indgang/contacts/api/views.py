from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from indgang.audit.api.serializers import PurposeSerializer, purpose_of
from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.catalogue.constants import Channel
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
    ContactChangeSerializer,
    ContactCreateSerializer,
    ContactNoteSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    represent_contact,
)
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.contacts.routing import reroute
from indgang.contacts.selectors import (
    get_contact_in_full,
    is_redacted,
    list_contact_changes,
    list_contact_notes,
    list_contacts_for,
    with_api_fields,
)
from indgang.contacts.services import (
    ContactEdit,
    NewContact,
    add_contact_note,
    edit_contact,
    register_contact,
)
from indgang.organisation.requests import acting_user, request_scope

NOT_FOUND = OpenApiResponse(description="No such contact, or you may not see it in full.")


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
        self._log_read(request, contact=contact, purpose=purpose)
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

    @extend_schema(
        request=ContactUpdateSerializer,
        responses={200: ContactSerializer, 404: NOT_FOUND},
        description=(
            "Change a contact you see in full. Each changed field is a line of its history "
            "(`changes`). A `task` (with an optional `unit`) re-routes the contact as "
            "`POST /contacts/{id}/routing/` does."
        ),
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scope, user, now = request_scope(request), acting_user(request), timezone.now()
        contact = get_contact_in_full(scope=scope, contact_id=int(kwargs["pk"]))
        incoming = ContactUpdateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # The edit and the routing stand or fall together.
        with transaction.atomic():
            edit_contact(
                contact_id=contact.pk,
                edit=ContactEdit(
                    summary=data.get("summary", contact.summary),
                    channel=data.get("channel", contact.channel),
                    outcome=data.get("outcome", contact.outcome),
                    duration_seconds=data.get("duration_seconds", contact.duration_seconds),
                ),
                scope=scope,
                by=user,
                now=now,
            )
            if "task" in data:
                contact.refresh_from_db()
                reroute(
                    contact=contact,
                    task=data["task"],
                    unit=data.get("unit"),
                    decided_by=user,
                    now=now,
                )
        contact.refresh_from_db()
        body = represent_contact(
            contact,
            redacted=is_redacted(scope=scope, contact=contact),
            zone=timezone.get_current_timezone(),
        )
        return Response(body)

    @extend_schema(
        parameters=[PurposeSerializer],
        responses={200: ContactChangeSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def changes(self, request: Request, pk: str) -> Response:
        """The contact's history of changes, newest first; the read is written to the access log."""
        purpose = purpose_of(request)
        contact, changes = list_contact_changes(scope=request_scope(request), contact_id=int(pk))
        self._log_read(request, contact=contact, purpose=purpose)
        return Response(ContactChangeSerializer(changes, many=True).data)

    @extend_schema(
        methods=["GET"],
        parameters=[PurposeSerializer],
        responses={200: ContactNoteSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        request=ContactNoteSerializer,
        responses={201: ContactNoteSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def notes(self, request: Request, pk: str) -> Response:
        """The contact's internal notes, oldest first (staff only); POST adds one."""
        scope = request_scope(request)
        if request.method == "POST":
            incoming = ContactNoteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            note = add_contact_note(
                contact_id=int(pk),
                text=incoming.validated_data["text"],
                scope=scope,
                by=acting_user(request),
                now=timezone.now(),
            )
            return Response(ContactNoteSerializer(note).data, status=status.HTTP_201_CREATED)
        purpose = purpose_of(request)
        contact, notes = list_contact_notes(scope=scope, contact_id=int(pk))
        self._log_read(request, contact=contact, purpose=purpose)
        return Response(ContactNoteSerializer(notes, many=True).data)

    def _log_read(self, request: Request, *, contact: Contact, purpose: Purpose) -> None:
        log_reads(
            user=acting_user(request),
            party_ids=[contact.party_id],
            action=AccessAction.VIEWED_CONTACT,
            purpose=purpose,
            via=Via.API,
            at=timezone.now(),
        )
