from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.kle import KleFormatError
from indgang.catalogue.services import import_kle
from indgang.search.services import reindex_all


class Command(BaseCommand):
    help = "Import or update KL's KLE emneplan (XML, version 2.0) in place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The KLE-Emneplan XML file.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"  {done:>5}/{total} ({done * 100 // total} %)")

        self.stdout.write(_("Reading %(path)s …") % {"path": path})
        try:
            report = import_kle(path=path, progress=progress)
        except KleFormatError as error:
            raise CommandError(
                _("The KLE file was not imported; nothing changed: %(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "KLE %(published_on)s: %(main_groups)d main groups, %(groups)d groups, "
                    "%(topics)d topics, %(active_topics)d active. Created %(created)d, "
                    "updated %(updated)d, unchanged %(unchanged)d."
                )
                % vars(report)
            )
        )
        # KLE entries are searchable: rebuild the index so it holds the new plan.
        reindex_all(now=timezone.now())
