"""The API's JSON renderer, in a module of its own: DRF's APIView reads the renderer setting
when rest_framework.views is first imported, so the class may not live beside code that
imports the views."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework import renderers

# What orjson leaves to DRF's encoder: its datetimes, dates and times (DRF writes an offset's
# seconds, orjson rounds them), and what orjson does not know (lazy text, Decimal, QuerySet …).
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
# Escaped by DRF, so that the JSON may be embedded in JavaScript.
LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer, writing the same bytes with orjson.

    Writing the JSON with the standard library's encoder was a twentieth of a busy citizen's
    360. Anything orjson refuses (an integer beyond 64 bits, say) and an indented answer go
    through DRF's own renderer. The one difference: a float that is NaN or infinite, which no
    answer here has and DRF refuses with a server error, is written as null.
    """

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        drf = super().render
        if (
            data is None
            or self.get_indent(accepted_media_type or "", renderer_context or {}) is not None
            or self.ensure_ascii
            or not self.compact
        ):
            return bytes(drf(data, accepted_media_type, renderer_context))
        try:
            text = orjson.dumps(data, default=self.encoder_class().default, option=OPTIONS)
        except orjson.JSONEncodeError:
            return bytes(drf(data, accepted_media_type, renderer_context))
        for separator, escaped in LINE_SEPARATORS:
            if separator in text:
                text = text.replace(separator, escaped)
        return text
