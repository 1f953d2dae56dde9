"""The API's parsers: DRF's, refusing a control character in any string of the body
(`common.inputs.checked_text`).

JSON is read by orjson, which refuses nesting deeper than 1,024 levels with an error where
Python's json recursed until the process ran out of stack (a 500). In a module of its own, as
DRF reads DEFAULT_PARSER_CLASSES when rest_framework.views is first imported.
"""

from __future__ import annotations

from typing import IO, Any

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from indgang.common.inputs import check_data, check_query_dict

NOT_JSON = _("The body is not valid JSON (in UTF-8, nested at most 1,024 levels deep).")


def _checked(check: Any) -> Any:
    try:
        return check()
    except DjangoValidationError as error:
        raise exceptions.ParseError(error.messages[0]) from error


class JSONParser(parsers.JSONParser):
    def parse(self, stream: IO[Any], *args: Any, **kwargs: Any) -> Any:
        try:
            data = orjson.loads(stream.read())
        except orjson.JSONDecodeError as error:
            raise exceptions.ParseError(NOT_JSON) from error
        return _checked(lambda: check_data(data))


class FormParser(parsers.FormParser):
    def parse(self, *args: Any, **kwargs: Any) -> Any:
        data = super().parse(*args, **kwargs)
        return _checked(lambda: check_query_dict(data))


NOT_MULTIPART = _("The body is not a valid multipart form.")


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, *args: Any, **kwargs: Any) -> parsers.DataAndFiles[Any, Any]:
        try:
            parsed = super().parse(*args, **kwargs)
        except exceptions.ParseError as error:  # DRF's message is English, with Django's reason
            raise exceptions.ParseError(NOT_MULTIPART) from error
        _checked(lambda: check_query_dict(parsed.data))
        return parsed
