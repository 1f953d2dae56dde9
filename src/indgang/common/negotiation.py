"""Content negotiation for the API, in a module of its own: DRF's APIView reads this setting
when rest_framework.views is first imported, so the class may not live beside code that
imports the views."""

from __future__ import annotations

from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, answering what nearly every client asks without parsing it.

    A client that accepts anything (`*/*`, or no Accept header) or exactly the first renderer's
    media type gets that renderer, as DRF's own negotiation would choose; every other request
    (a format suffix or parameter, several or weighted media types) goes through DRF's.
    """

    def select_renderer(
        self, request: Request, renderers: Any, format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first: BaseRenderer = renderers[0]
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        if accept in ("*/*", first.media_type) and not (
            format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        ):
            return first, first.media_type
        chosen: tuple[BaseRenderer, str] = super().select_renderer(
            request, renderers, format_suffix
        )
        return chosen
