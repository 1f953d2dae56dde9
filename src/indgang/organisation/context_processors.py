"""The staff header for every page that extends base.html."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from indgang.organisation.navigation import frame_for


def frame(request: HttpRequest) -> dict[str, object]:
    """`frame`: the header's name, roles, unit and links. Lazy: an htmx fragment, which does not
    extend base.html, never reads it and so costs no query for it."""
    return {"frame": SimpleLazyObject(lambda: frame_for(request, now=timezone.now()))}
