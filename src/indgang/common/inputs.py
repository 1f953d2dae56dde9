"""The rules every input meets, in one place: text, whole numbers, ids and times.

The API's parsers (`common.parsers`), the forms' fields (`common.forms`), the serializers'
fields (`common.api`) and `InputMiddleware` (query strings, form posts, body size) all apply
these, so no field has to remember them:

- Text may not hold NUL or other control characters (tab, line feed and carriage return
  excepted): PostgreSQL refuses NUL, and the others are never typed. Invisible characters at
  either end (white space, zero-width spaces, the byte-order mark, direction marks) are removed,
  so that a text of nothing but them is blank, and a required field refuses it.
- A whole number stored in an `integer` column fits its 32 bits; an id fits 63.
- A time is between 1900 and 2100: none of the register's dates lies outside, and before
  1890 zoneinfo gives Copenhagen its local mean time (+00:50:20), which no client reads.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.http.request import QueryDict
from django.utils.translation import gettext_lazy as _

from indgang.common.views import body_too_large, is_api, refusal

INT32_MAX = 2**31 - 1  # PostgreSQL's integer
ID_MAX = 2**63 - 1  # PostgreSQL's bigint, the ids' type
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# White space and every format character (Unicode category Cf: zero-width space and joiners,
# the byte-order mark, soft hyphen, direction marks), plus the fillers that render as nothing.
INVISIBLE = (
    "".join(
        chr(code)
        for code in (*range(0x10000), *range(0xE0000, 0xE0080), *range(0x1D173, 0x1D17B))
        if chr(code).isspace() or unicodedata.category(chr(code)) == "Cf"
    )
    + "\u115f\u1160\u3164\uffa0\u2800"
)

CONTROL_MESSAGE = _("The text holds a control character (such as NUL), which is not allowed.")
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


def clean_text(value: str) -> str:
    """The text without invisible characters at either end; ValidationError if it holds a
    control character."""
    return _checked(value).strip(INVISIBLE)


def clean_data(data: Any) -> Any:
    """Parsed JSON with every string (key or value) cleaned by clean_text."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {clean_text(key): clean_data(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean_data(item) for item in data]
    return data


def clean_query_dict(data: QueryDict) -> Any:
    """An immutable copy of a query string or form post with every name and value cleaned; a
    password is only checked, as its spaces are part of it."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        if "password" in key:
            cleaned.setlist(key, [_checked(value) for value in values])
        else:
            cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


def _checked(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")
    return value


def parse_id(text: str | None) -> int | None:
    """An id typed in a URL's query (`?party=12`): ASCII digits only (`²` is a digit to
    str.isdigit, but not to int), at most 18 of them; else None."""
    if text is None or not ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)


def check_time_range(value: dt.datetime | dt.date) -> None:
    """ValidationError unless the time or date lies between EARLIEST and LATEST."""
    if isinstance(value, dt.datetime):
        inside = value.tzinfo is None or EARLIEST <= value < LATEST
    else:
        inside = EARLIEST.date() <= value < LATEST.date()
    if not inside:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.year, "latest": LATEST.year - 1},
            code="out_of_range",
        )


# Request bodies -------------------------------------------------------------------------------


class InputMiddleware:
    """Refuse a body larger than settings.MAX_REQUEST_BYTES (413) and control characters in
    the query string or a posted form (400); strip invisible characters at the ends of their
    values. JSON and the API's form bodies are cleaned by the API's parsers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.limit: int = settings.MAX_REQUEST_BYTES

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit and not _is_multipart(request):
            return body_too_large(request)
        if request.META.get("QUERY_STRING") or _is_urlencoded(request):
            try:
                if request.META.get("QUERY_STRING"):
                    request.GET = clean_query_dict(request.GET)
                if _is_urlencoded(request) and not is_api(request):
                    request.POST = clean_query_dict(request.POST)
            except ValidationError:
                return refusal(request, status=400, message=str(CONTROL_MESSAGE))
        return self.get_response(request)


def _is_multipart(request: HttpRequest) -> bool:
    content_type: str = request.META.get("CONTENT_TYPE", "")
    return content_type.startswith("multipart/")


def _is_urlencoded(request: HttpRequest) -> bool:
    content_type: str = request.META.get("CONTENT_TYPE", "")
    return request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded")


class IdConverter:
    """`<id:name>` in a URL: an id as parse_id reads it (Django's `<int:>` takes any number of
    digits, and a number past the bigint range made some look-ups fail with a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
