"""The rules every input meets, in one place: text, whole numbers, ids and times.

The API's parsers (`common.parsers`), the forms' fields (`common.forms`), the serializers'
fields (`common.api`) and `InputMiddleware` (query strings, form posts, body size) all apply
these, so no field has to remember them:

- Text holds no NUL or other control characters (tab, line feed and carriage return excepted):
  PostgreSQL refuses NUL, and the others are never typed. The API refuses them (400) wherever
  they are, so that a field's pattern or choices see what was sent; a browser's form post and
  query string lose them, as a user who pasted a word processor's vertical tab should not lose
  the form for it. Invisible characters at either end of a text (white space, zero-width spaces,
  the byte-order mark, direction marks) are removed, so that a text of nothing but them is
  blank, and a required field refuses it: by the API's text field (`common.api.Text`), and by
  InputMiddleware for the browser.
- A whole number stored in an `integer` column fits its 32 bits; an id fits 63.
- A time lies from 1900 to 2099: none of the register's dates lies outside, and before
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
# A receive time may run a little ahead of the server clock on the sender's machine.
CLOCK_SKEW_SECONDS = 300

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

ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


CONTROL_MESSAGE = _("The text holds a control character (such as NUL), which is not allowed.")


def checked_text(value: str) -> str:
    """The text as it is; a ValidationError if it holds a control character."""
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")
    return value


def strip_invisible(value: str) -> str:
    return value.strip(INVISIBLE)


def clean_text(value: str) -> str:
    """The text without control characters, and without invisible characters at either end."""
    return strip_invisible(CONTROL_CHARACTERS.sub("", value))


def check_data(data: Any) -> Any:
    """Parsed JSON as it is, once no string in it (key or value) holds a control character."""
    if isinstance(data, str):
        checked_text(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            checked_text(key)
            check_data(value)
    elif isinstance(data, list):
        for item in data:
            check_data(item)
    return data


def check_query_dict(data: QueryDict) -> QueryDict:
    for key, values in data.lists():
        checked_text(key)
        for value in values:
            checked_text(value)
    return data


def clean_query_dict(data: QueryDict) -> Any:
    """An immutable copy of a browser's query string or form post, every name and value cleaned;
    a password is left as it is typed (its spaces are part of it)."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        texts = values if "password" in key else [clean_text(value) for value in values]
        cleaned.setlist(clean_text(key), texts)
    cleaned._mutable = False
    return cleaned


def parse_id(text: str | None) -> int | None:
    """An id typed in a URL's query (`?party=12`): ASCII digits only (`²` is a digit to
    str.isdigit, but not to int), at most 18 of them; else None."""
    if text is None or not ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)


def received_time_refusal(received_at: dt.datetime, *, now: dt.datetime) -> str | None:
    """Why a contact or an application cannot have been received then; None if it can."""
    if received_at > now + dt.timedelta(seconds=CLOCK_SKEW_SECONDS):
        return str(_("The time received cannot be in the future."))
    if received_at < EARLIEST:
        return str(_("The time received cannot be before %(year)s.") % {"year": EARLIEST.year})
    return None


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
    """Refuse a body larger than settings.MAX_REQUEST_BYTES (413). Under /api/, refuse a
    control character in the query string (400; the parsers check the body); elsewhere, clean
    the query string and a form post (clean_text)."""

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
        if is_api(request):
            try:
                if request.META.get("QUERY_STRING"):
                    check_query_dict(request.GET)
            except ValidationError:
                return refusal(request, status=400, message=str(CONTROL_MESSAGE))
        else:
            if request.META.get("QUERY_STRING"):
                request.GET = clean_query_dict(request.GET)
            if _is_urlencoded(request):
                request.POST = clean_query_dict(request.POST)
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
