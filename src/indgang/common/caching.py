"""Answers the API asks for on nearly every request, remembered for a second.

An integration sends many requests a second with the same token, and many contacts name the
same few tasks: each request paid a database round trip for an answer that had not changed.
Each web process keeps a found answer in its own memory for API_CACHE_SECONDS. What is not
found is never remembered, so a new token or task works at once; what changes (a deleted
token, a changed role, a retired task) takes effect within that time.

A plain dict, not Django's cache: the in-process cache validated, pickled and unpickled every
answer, which cost a registration 2 % of its instructions (callgrind), and a cache shared
between processes saves nothing for answers that live a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

Rows = list[tuple[Any, ...]]
# The memory's bound: past it, answers that have expired are dropped (and all, if none has).
MAX_REMEMBERED = 10_000

# (kind, key) -> (monotonic expiry, rows). Reads and writes of one entry are atomic under the
# GIL, so the request threads of a process share it without a lock.
_remembered: dict[tuple[str, str], tuple[float, Rows]] = {}


def remembered_rows(kind: str, key: str, load: Callable[[], Rows]) -> Rows:
    """The rows `load` reads for `key`, from memory if this process read them lately.

    The rows are shared with every later caller: read them, never change them.
    """
    seconds: float = settings.API_CACHE_SECONDS
    if seconds <= 0:
        return load()
    now = time.monotonic()
    found = _remembered.get((kind, key))
    if found is not None and found[0] > now:
        return found[1]
    rows = load()
    if rows:
        if len(_remembered) >= MAX_REMEMBERED:
            _forget_expired(now)
        _remembered[(kind, key)] = (now + seconds, rows)
    return rows


def _forget_expired(now: float) -> None:
    for entry, (expiry, _rows) in list(_remembered.items()):
        if expiry <= now:
            _remembered.pop(entry, None)
    if len(_remembered) >= MAX_REMEMBERED:  # all still fresh: a burst of distinct keys
        _remembered.clear()


def forget_remembered() -> None:
    """Forget every answer (tests: one test's token or task ids are not the next one's)."""
    _remembered.clear()
