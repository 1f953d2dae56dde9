"""Who keeps the search index: the registry that search fills in its AppConfig.ready().

Search sits above knowledge (it indexes articles, guides, tasks and KLE entries), yet every
write of an article or a guide must reach the index at once, whoever calls the service. The
services call the functions below, which delegate to what search registered, so knowledge never
imports search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from indgang.common.providers import Provider


class Indexing(Protocol):
    def index_article(self, *, article_id: int, now: dt.datetime) -> None:
        """Put the article, as saved, in the index."""
        ...

    def index_tasks(self, *, task_ids: Iterable[int], now: dt.datetime) -> None:
        """Index these tasks with their guides (inactive ones leave the index)."""
        ...


# Without it a saved article would never be found.
_indexing = Provider[Indexing](
    missing="No app indexes articles: add indgang.search to INSTALLED_APPS."
)


def register_indexing(indexing: Indexing) -> None:
    """Make `indexing` the one that knowledge's writes call (search's AppConfig.ready())."""
    _indexing.provide(indexing)


def index_article(*, article_id: int, now: dt.datetime) -> None:
    """Put the article, as saved, in the search index."""
    _indexing.get().index_article(article_id=article_id, now=now)


def index_tasks(*, task_ids: Iterable[int], now: dt.datetime) -> None:
    """Index these tasks with their guides."""
    _indexing.get().index_tasks(task_ids=task_ids, now=now)
