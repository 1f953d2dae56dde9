"""Shared API plumbing: pagination and turning service ValidationErrors into 400 responses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class NewestFirstPagination(pagination.CursorPagination):
    """Newest first by a position in the list, not a page number: for registers that grow by
    millions of rows, where counting them for every page would cost more than the page."""

    ordering = ("-received_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 500


class NotFound(exceptions.NotFound):
    default_detail = _("Not found, or you may not see it.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Let services raise Django's ValidationError and ObjectDoesNotExist without knowing DRF."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ObjectDoesNotExist | Http404):
        exc = NotFound()
    return drf_exception_handler(exc, context)
