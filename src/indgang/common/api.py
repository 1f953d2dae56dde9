"""Shared API plumbing: pagination, serializer fields made cheaply, and turning service
ValidationErrors into 400 responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, serializers
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


FieldT = TypeVar("FieldT", bound=serializers.Field[Any, Any, Any, Any])
Fields = dict[str, serializers.Field[Any, Any, Any, Any]]


def shallow_copy(field: FieldT) -> FieldT:
    """A field as `copy.copy` makes it (a new instance sharing the attributes' values), without
    its generic protocol, which cost as much as validating the field.

    Enough for a serializer's own copy of a field: binding sets attributes on the copy, and
    validation and output only read the shared parts (choices, validators, querysets).
    """
    clone: FieldT = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


def shallow_fields(declared: Mapping[str, serializers.Field[Any, Any, Any, Any]]) -> Fields:
    """Each field's shallow copy, for one serializer instance."""
    return {name: shallow_copy(field) for name, field in declared.items()}


class DeclaredFieldsShallow:
    """For a plain Serializer of simple fields (no nested serializers): each instance gets
    shallow copies of the declared fields, where DRF deep-copies them.

    A deep copy of a ChoiceField copies its choices: the list's filters and the read's
    `purpose` cost a page of contacts 3 % of its instructions that way.
    """

    _declared_fields: ClassVar[Fields]

    def get_fields(self) -> Fields:
        return shallow_fields(self._declared_fields)


class FieldsBuiltOnce:
    """For a ModelSerializer: its fields are built from the model's metadata once per class,
    not for every instance, and each instance gets shallow copies.

    Building them (model introspection, one `build_field` per field) cost more than writing a
    party out in the 360. Only for serializers whose fields depend on nothing per request.
    """

    _built: ClassVar[dict[type, Fields]] = {}

    def get_fields(self) -> Fields:
        built = FieldsBuiltOnce._built.get(type(self))
        if built is None:
            built = FieldsBuiltOnce._built[type(self)] = super().get_fields()  # type: ignore[misc]
        return shallow_fields(built)


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
