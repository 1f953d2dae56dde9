"""Page numbers for HTML lists over registers that grow by millions of rows."""

from __future__ import annotations

from functools import cached_property
from typing import TypeVar

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet

# Rows a list counts at most: page numbers reach this far, filters narrow the rest.
COUNT_CAP = 10_000
M = TypeVar("M", bound=Model)


class CappedPaginator(Paginator[M]):
    """Django's paginator, counting at most `cap` rows.

    Counting a whole register for every page would cost more than the page itself; counting up
    to the cap costs at most as much as reading that many index entries. Beyond the cap, the
    list's filters find older rows.
    """

    def __init__(self, rows: QuerySet[M], per_page: int, *, cap: int = COUNT_CAP) -> None:
        super().__init__(rows, per_page)
        self.rows, self.cap = rows, cap

    @cached_property
    def _counted(self) -> int:
        return self.rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.cap, self._counted)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than the pages reach."""
        return self._counted > self.cap
