from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import ngettext

from indgang.knowledge.services import flag_stale_articles


class Command(BaseCommand):
    help = "The knowledge base: `flag-stale` flags articles past their review date to their owners."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "flag-stale",
            help="Flag every article past its review date to its owner unit (idempotent).",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        flagged = flag_stale_articles(today=timezone.localdate(), now=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)d article newly flagged as due for review.",
                    "%(count)d articles newly flagged as due for review.",
                    flagged,
                )
                % {"count": flagged}
            )
        )
