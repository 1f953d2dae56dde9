from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.search.selectors import search
from indgang.search.services import reindex_all


class Command(BaseCommand):
    help = "The search index: `reindex` rebuilds it; `query TEXT` prints the best hits."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("reindex", help="Rebuild the index of articles, tasks and KLE entries.")
        query = actions.add_parser("query", help="Print the best hits for a text.")
        query.add_argument("text")
        query.add_argument("--limit", type=int, default=10)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "reindex":
            report = reindex_all(now=timezone.now())
            self.stdout.write(
                self.style.SUCCESS(
                    _("Search index: %(documents)d documents, %(words)d words")
                    % {"documents": report.documents, "words": report.words}
                )
            )
            return
        for hit in search(text=options["text"], limit=options["limit"]):
            self.stdout.write(f"{hit.score:9.3f}  {hit.kind:<8} {hit.object_id:>6}  {hit.title}")
