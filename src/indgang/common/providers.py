"""One implementation that a higher app provides to a lower one, in its AppConfig.ready().

The dependency rule forbids the lower app to import the higher one, yet some of its writes must
reach it (contacts must have a contact without a task triaged; knowledge must have a saved article
indexed). The lower app declares a `Provider` of a Protocol and calls through it; the higher app
provides the implementation when Django starts. Nothing provided is a configuration error, raised
at the first call, never work silently skipped.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Provider(Generic[T]):
    def __init__(self, *, missing: str) -> None:
        self._missing = missing
        self._implementation: T | None = None

    def provide(self, implementation: T) -> None:
        """Make `implementation` the one the lower app calls (a later one replaces it)."""
        self._implementation = implementation

    def get(self) -> T:
        if self._implementation is None:
            raise ImproperlyConfigured(self._missing)
        return self._implementation
