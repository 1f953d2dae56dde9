"""Answers the API asks for on nearly every request, remembered for a second.

An integration sends many requests a second with the same token, and many contacts name the
same few tasks: each request paid a database round trip for an answer that had not changed.
Django's cache (in-process unless CACHES says otherwise) keeps a found answer for
API_CACHE_SECONDS. What is not found is never remembered, so a new token or task works at once;
what changes (a deleted token, a changed role, a retired task) takes effect within that time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

Rows = list[tuple[Any, ...]]


def remembered_rows(kind: str, key: str, load: Callable[[], Rows]) -> Rows:
    """The rows `load` reads for `key`, from the cache if a process read them lately."""
    seconds: float = settings.API_CACHE_SECONDS
    if seconds <= 0:
        return load()
    # A digest: a shared cache (Redis) never holds a token itself.
    cache_key = f"indgang:{kind}:{hashlib.sha256(key.encode()).hexdigest()}"
    remembered: Rows | None = cache.get(cache_key)
    if remembered is not None:
        return remembered
    rows = load()
    if rows:
        cache.set(cache_key, rows, seconds)
    return rows
