from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.common.danish import stem as snowball_stem
from indgang.search.analysis import stem
from indgang.search.selectors import search
from indgang.search.services import reindex_all
from indgang.search.word_forms import COMMON_WORD_FORMS, forms_apart


class Command(BaseCommand):
    help = (
        "The search index: `reindex` rebuilds it; `query TEXT` prints the best hits; `forms` "
        "measures how many common words' singular, plural and definite forms meet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("reindex", help="Rebuild the index of articles, tasks and KLE entries.")
        query = actions.add_parser("query", help="Print the best hits for a text.")
        query.add_argument("text")
        query.add_argument("--limit", type=int, default=10)
        actions.add_parser(
            "forms", help="Count the common words whose forms have one stem, before and after."
        )

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
        if action == "forms":
            self._forms()
            return
        for hit in search(text=options["text"], limit=options["limit"]):
            self.stdout.write(f"{hit.score:9.3f}  {hit.kind:<8} {hit.object_id:>6}  {hit.title}")

    def _forms(self) -> None:
        total = len(COMMON_WORD_FORMS)
        for label, stemmer in [(_("Snowball"), snowball_stem), (_("Search stem"), stem)]:
            apart = forms_apart(stemmer)
            self.stdout.write(
                _("%(label)s: the forms meet for %(met)d of %(total)d words")
                % {"label": label, "met": total - len(apart), "total": total}
            )
            for forms in apart:
                stems = ", ".join(f"{form} → {stemmer(form)}" for form in forms)
                self.stdout.write(f"  {stems}")
