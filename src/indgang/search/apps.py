from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "indgang.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from indgang.knowledge.indexing import register_indexing
        from indgang.search.indexing import SearchIndexing

        register_indexing(SearchIndexing())
