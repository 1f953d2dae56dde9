"""Shared API plumbing: pagination, serializer fields made cheaply, the fields that keep
common.inputs' rules, and the exception handler (a service's ValidationError is a 400 or 409)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from indgang.common.errors import CONFLICT
from indgang.common.inputs import ID_MAX, check_time_range, parse_id, strip_invisible
from indgang.common.views import too_large_message

MAX_PAGE_SIZE = 500
PAGE_SIZE_MESSAGE = _("page_size is a whole number from 1 to %(most)s.")


def _page_size(request: Request, default: int | None) -> int | None:
    """`?page_size=` as given, or the default; a ValidationError (400) for anything else, where
    DRF would quietly use the default."""
    given = request.query_params.get("page_size")
    if given is None:
        return default
    size = parse_id(given)
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        raise exceptions.ValidationError(
            {"page_size": [PAGE_SIZE_MESSAGE % {"most": MAX_PAGE_SIZE}]}
        )
    return size


class BoundedPageSize:
    """`?page_size=` refused outside 1 to MAX_PAGE_SIZE (DRF quietly uses its default), and the
    bounds in the schema."""

    page_size_query_param: str | None = "page_size"
    max_page_size: int | None = MAX_PAGE_SIZE
    page_size: int | None

    def get_page_size(self, request: Request) -> int | None:
        return _page_size(request, self.page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        return _bounded(parameters)


class Pagination(BoundedPageSize, pagination.PageNumberPagination):
    def get_page_number(self, request: Request, paginator: Any) -> int:
        """`?page=` as a number from 1, or the first page: `?page=` (empty) and `?page=last`,
        which DRF takes, are not the integer the schema says (404, as for a page past the
        last)."""
        given = request.query_params.get(self.page_query_param)
        if given is None:
            return 1
        number = parse_id(given)
        if number is None:
            raise exceptions.NotFound(self.invalid_page_message)
        return number


class NewestFirstPagination(BoundedPageSize, pagination.CursorPagination):
    """Newest first by a position in the list, not a page number: for registers that grow by
    millions of rows, where counting them for every page would cost more than the page."""

    ordering = ("-received_at", "-id")


def _bounded(parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pagination's parameters with the bounds that are served: a page from 1, a page size
    from 1 to MAX_PAGE_SIZE."""
    for parameter in parameters:
        if parameter["name"] == "page":
            parameter["schema"] = {**parameter["schema"], "minimum": 1}
        elif parameter["name"] == "page_size":
            parameter["schema"] = {**parameter["schema"], "minimum": 1, "maximum": MAX_PAGE_SIZE}
    return parameters


def query_of(request: Request) -> dict[str, str]:
    """The query string for a filter serializer: each parameter's last value, and an empty
    one as given. (From the QueryDict itself, DRF would take `?status=` for no status at all,
    which the schema does not admit.)"""
    return request.query_params.dict()


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """A whole number that names a row: from 1 to the largest bigint."""
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class Text(serializers.CharField):
    """DRF's CharField for text a client writes: a JSON string, not a number or a boolean that
    DRF would turn into one (the schema says string), without invisible characters at its ends,
    so that one of nothing but zero-width spaces is blank. (The parser has refused control
    characters.)"""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        text = strip_invisible(super().to_internal_value(data))
        if not text and not self.allow_blank:
            self.fail("blank")
        return text


NAIVE_MESSAGE = _("Give the time in ISO 8601 with time zone, e.g. 2026-03-02T09:15:00+01:00.")


class AwareDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField that refuses a time without a zone (DRF would read it in the
    server's) and one outside common.inputs' range."""

    default_error_messages = {
        "invalid": NAIVE_MESSAGE,
        "naive": NAIVE_MESSAGE,
    }

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        if value.utcoffset() is None and settings.USE_TZ:
            self.fail("naive")
        return super().enforce_timezone(value)

    def to_internal_value(self, value: Any) -> dt.datetime:
        return _in_range(super().to_internal_value(value))


class BoundedDateField(serializers.DateField):
    """DRF's DateField that refuses a date outside common.inputs' range."""

    def to_internal_value(self, value: Any) -> dt.date:
        return _in_range(super().to_internal_value(value))


TimeT = TypeVar("TimeT", dt.datetime, dt.date)


def _in_range(value: TimeT) -> TimeT:
    try:
        check_time_range(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages, code="out_of_range") from error
    return value


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


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Let services raise Django's ValidationError and ObjectDoesNotExist without knowing DRF;
    answer a body too large with 413."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        refused = Conflict if CONFLICT in _codes(exc) else exceptions.ValidationError
        exc = refused(detail)
    elif isinstance(exc, ObjectDoesNotExist | Http404):
        exc = NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge(too_large_message())
    elif isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ValidationError(str(TOO_MANY_FIELDS))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # One shape for every error: an object (see common.schema.ERROR_SCHEMA).
        response.data = {"non_field_errors": response.data}
    return response


TOO_MANY_FIELDS = _("The request has too many fields.")


def _codes(error: DjangoValidationError) -> set[str | None]:
    return (
        {each.code for each in error.error_list}
        if hasattr(error, "error_list")
        else {each.code for errors in error.error_dict.values() for each in errors}
    )


# DRF's messages that its Danish catalogue leaves in English; listed here so that
# `make messages` puts them in ours, where they are translated.
DRF_MESSAGES = (
    _("Invalid input."),
    _("Must be a valid boolean."),
    _("Not a valid string."),
    _("Datetime value out of range."),
    _('Invalid datetime for the timezone "{timezone}".'),
    _("Ensure this field has at least {min_length} elements."),
    _("Ensure this field has no more than {max_length} elements."),
    _("This dictionary may not be empty."),
    _("Surrogate characters are not allowed: U+{code_point:X}."),
    _("A valid biginteger is required."),
    _("Integer value too large to convert to float"),
    _("Expected available in {wait} second."),
    _("Expected available in {wait} seconds."),
    _("Must be a valid UUID."),
)
