from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.os2kle import KeywordFormatError
from indgang.search.services import import_keywords


class Command(BaseCommand):
    # Search's command, as `import-kle` is: the terms are searchable, so it refreshes the index.
    help = "Import or update OS2KLE's keyword lists (weighted terms per KLE topic) in place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="OS2KLE.txt from OS2KLE.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        self.stdout.write(_("Reading %(path)s …") % {"path": path})
        started = time.perf_counter()
        try:
            report = import_keywords(path=path, now=timezone.now())
        except KeywordFormatError as error:
            raise CommandError(
                _("The keyword file was not imported; nothing changed: %(error)s")
                % {"error": error}
            ) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported in %(seconds).1f s.") % {"seconds": time.perf_counter() - started}
            )
        )
