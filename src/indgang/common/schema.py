"""The OpenAPI schema as the API serves it: drf-spectacular's, with every operation's errors.

`document_errors` (a postprocessing hook) adds to each operation the error answers that every
endpoint can give, so that no view has to declare them: 400 when it takes parameters or a
body, 401 and 403 (no token or no role), 404 (an unknown id, a page past the last), 409 for
writes refused by the state of what they change, 413 and 415 for a body too large or of another
type, and 429 when requests are throttled. `AutoSchema` documents fields as they are served:
a choice or a link stored blank admits "", a nullable relation null, and a method field typed
`X | None` is nullable; and a date in a request says its range (common.inputs).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.settings import api_settings

from indgang.common.inputs import EARLIEST, LATEST

ERROR = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "`detail`: what went wrong, in Danish; or, for refused input, each field's name with "
        "its messages (`non_field_errors` for the whole)."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {},
}
WRITES = frozenset({"post", "put", "patch", "delete"})
DESCRIPTIONS = {
    "400": "The input is refused; the answer says why, field by field.",
    "401": "No valid token or session.",
    "403": "Signed in, without a role that may do this.",
    "404": "Not found, or you may not see it (also a page past the last).",
    "409": "Refused by the state of what it changes (already completed, changed meanwhile).",
    "413": "The body is too large.",
    "415": "The body is not of a type the operation takes.",
    "429": "Too many requests; try again later.",
}


def _throttled() -> bool:
    return bool(api_settings.DEFAULT_THROTTLE_CLASSES) or "axes" in settings.INSTALLED_APPS


def document_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Add the error answers to every operation (see the module's docstring)."""
    reference = {"$ref": f"#/components/schemas/{ERROR}"}
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR] = ERROR_SCHEMA
    throttled = _throttled()
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            codes = ["401", "403", "404"]
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append("400")
            if method in WRITES:
                codes.append("409")
            if operation.get("requestBody"):
                codes += ["413", "415"]
            if throttled:
                codes.append("429")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, documenting blank choices and optional method fields as
    they are served."""

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        mapped: Any = super()._map_serializer_field  # untyped in drf-spectacular
        schema: dict[str, Any] = mapped(field, direction, bypass_extensions)
        stored = _model_field(field)
        text = isinstance(field, serializers.CharField | serializers.ChoiceField)
        if text and getattr(stored, "blank", False) and not field.allow_blank:
            # Stored blank, served as "": spectacular then admits "" (in the enum, or beside
            # the format of a link or an e-mail address).
            field.allow_blank = True
            schema = mapped(field, direction, bypass_extensions)
        if getattr(stored, "null", False) and field.read_only and "$ref" not in schema:
            schema = {**schema, "nullable": True}
        if isinstance(field, serializers.RelatedField) and field.allow_null:
            # DRF takes "" for null in a relation.
            schema = {key: value for key, value in schema.items() if key != "minLength"}
        if isinstance(field, serializers.SerializerMethodField) and _may_be_none(field):
            schema = {**schema, "nullable": True}
        if direction == "request" and isinstance(
            field, serializers.DateTimeField | serializers.DateField
        ):
            # A pattern for the years made Schemathesis' generator give up on date-times.
            said = schema.get("description", "")
            schema = {**schema, "description": f"{said} {YEARS}".strip()}
        return schema


YEARS = f"From {EARLIEST.year} to {LATEST.year - 1}."  # common.inputs' range


def _model_field(field: Any) -> Any:
    """The model field a ModelSerializer's field shows (its `source`), or None."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*" or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


def _may_be_none(field: serializers.SerializerMethodField) -> bool:
    method = getattr(field.parent, field.method_name or f"get_{field.field_name}", None)
    returns = str(getattr(method, "__annotations__", {}).get("return", ""))
    return "None" in returns
