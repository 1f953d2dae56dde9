from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.common.api import NotFound
from indgang.letters.api.serializers import (
    TemplateVersionCreateSerializer,
    TemplateVersionSerializer,
)
from indgang.letters.constants import LetterKind
from indgang.letters.selectors import list_templates
from indgang.letters.services import save_template_version
from indgang.organisation.requests import acting_user, request_scope
from indgang.organisation.selectors import may_manage_roles

ADMINISTRATORS_ONLY = _("Only administrators may change letter templates.")


@extend_schema(tags=["letters"])
class TemplateListView(APIView):
    """The current version of each kind of letter, with its LIX readability score."""

    @extend_schema(responses=TemplateVersionSerializer(many=True))
    def get(self, request: Request) -> Response:
        versions = [version for _template, version in list_templates() if version is not None]
        return Response(TemplateVersionSerializer(versions, many=True).data)


@extend_schema(tags=["letters"])
class TemplateVersionCreateView(APIView):
    """Save a new version of a kind's template (administrators); the next letters use it."""

    @extend_schema(
        request=TemplateVersionCreateSerializer,
        responses={
            201: TemplateVersionSerializer,
            400: OpenApiResponse(
                description=(
                    "Messages per field; nothing is stored. The title and body must compile "
                    "as Django templates using only text, variables, if and for, and only the "
                    "variables the kind declares."
                )
            ),
            403: OpenApiResponse(description="Not an administrator."),
            404: OpenApiResponse(description="No such kind of letter."),
        },
    )
    def post(self, request: Request, kind: str) -> Response:
        if kind not in LetterKind.values:
            raise NotFound
        if not may_manage_roles(user=acting_user(request), scope=request_scope(request)):
            raise PermissionDenied(ADMINISTRATORS_ONLY)
        incoming = TemplateVersionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        version = save_template_version(
            kind=kind,
            title=incoming.validated_data["title"],
            body=incoming.validated_data["body"],
            by=acting_user(request),
            now=timezone.now(),
        )
        return Response(TemplateVersionSerializer(version).data, status=status.HTTP_201_CREATED)
