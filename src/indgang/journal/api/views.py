from __future__ import annotations

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.audit.constants import Via
from indgang.common.subjects import get_subject_for
from indgang.journal.api.serializers import (
    DocumentCreateSerializer,
    DocumentSerializer,
    ThreadJournalSerializer,
)
from indgang.journal.constants import DocumentDirection
from indgang.journal.selectors import read_journal
from indgang.journal.services import upload_document
from indgang.journal.views import download
from indgang.organisation.requests import acting_user, request_scope


@extend_schema(tags=["journal"])
class ThreadJournalView(APIView):
    """A thread's journal number and KLE topic, and its documents received and sent."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=ThreadJournalSerializer)
    def get(self, request: Request, thread_id: int) -> Response:
        thread = get_subject_for(scope=request_scope(request), name="thread", pk=thread_id)
        journal = read_journal(
            user=acting_user(request), subject=thread, via=Via.API, now=timezone.now()
        )
        body = {"thread": thread.pk, "journal": journal.entry, "documents": journal.documents}
        return Response(ThreadJournalSerializer(body, context={"request": request}).data)

    @extend_schema(
        request=DocumentCreateSerializer,
        responses={
            201: DocumentSerializer,
            400: OpenApiResponse(
                description=(
                    "Messages per field; nothing is stored. A file is refused when it is larger "
                    "than INDGANG_DOCUMENT_MAX_MB, when its content is not of an allowed type "
                    "(whatever its name), or when the virus scanner finds something or cannot "
                    "be reached."
                )
            ),
        },
    )
    def post(self, request: Request, thread_id: int) -> Response:
        """List a document received or sent on the thread (the file is optional).

        The file is checked by its content, scanned for viruses when a scanner is configured,
        and stored encrypted; `file` in the answer is where it is downloaded."""
        thread = get_subject_for(scope=request_scope(request), name="thread", pk=thread_id)
        incoming = DocumentCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        document = upload_document(
            subject=thread,
            direction=DocumentDirection(data["direction"]),
            title=data["title"],
            dated=data["dated"],
            file=data.get("file"),
            by=acting_user(request),
            now=timezone.now(),
        )
        return Response(
            DocumentSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["journal"])
class DocumentContentView(APIView):
    """A document's file, for staff who may read its thread; each read is logged."""

    @extend_schema(
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description=(
                        "The file, as an attachment, in the type its content showed on upload."
                    ),
                )
                for media_type in settings.DOCUMENT_TYPES
            },
            404: OpenApiResponse(description="No such file, or you may not see its thread."),
        }
    )
    def get(self, request: Request, document_id: int) -> StreamingHttpResponse:
        return download(request, document_id=document_id, via=Via.API)
