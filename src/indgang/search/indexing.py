"""Search's answer to knowledge's indexing registry (`knowledge.indexing`), registered in
SearchConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from indgang.search.services import index_article, index_tasks


class SearchIndexing:
    def index_article(self, *, article_id: int, now: dt.datetime) -> None:
        index_article(article_id=article_id, now=now)

    def index_tasks(self, *, task_ids: Iterable[int], now: dt.datetime) -> None:
        index_tasks(task_ids=task_ids, now=now)
