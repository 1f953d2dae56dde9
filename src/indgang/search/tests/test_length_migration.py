"""Migration 0007 fills each document's length from its stem texts and the index's size, and
leaves SQLite's FTS5 triggers in place."""

from __future__ import annotations

import pytest
from django.utils import timezone

from indgang.common.tests.migrating import migrate
from indgang.knowledge.tests.fixtures import MakeArticle
from indgang.search.models import SearchDocument, SearchIndexSize
from indgang.search.selectors import search
from indgang.search.services import reindex_all


@pytest.mark.django_db(transaction=True)
def test_the_lengths_are_filled_and_the_index_stays_current(
    make_article: MakeArticle, back_and_forth: None
) -> None:
    make_article(title="Udestue", answer="En udestue kræver byggetilladelse.")
    reindex_all(now=timezone.now())
    stored = dict(SearchDocument.objects.values_list("pk", "length"))

    apps = migrate([("search", "0006_search_terms")])
    assert "length" not in {f.name for f in apps.get_model("search", "SearchDocument")._meta.fields}
    migrate(None)

    assert dict(SearchDocument.objects.values_list("pk", "length")) == stored
    assert min(stored.values()) > 0
    assert SearchIndexSize.objects.values_list("documents", "length").get() == (
        len(stored),
        sum(stored.values()),
    )
    # A document written after the migration is matched: the FTS5 triggers survived it.
    make_article(title="Vinterhave", answer="Glas hele vejen rundt.")
    assert [hit.title for hit in search(text="vinterhave")] == ["Vinterhave"]
