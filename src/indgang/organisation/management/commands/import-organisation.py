from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.organisation.orgfile import OrganisationFileError, read_organisation_file
from indgang.organisation.services import (
    CREATED,
    REMOVED,
    UNCHANGED,
    UPDATED,
    import_organisation,
)


class Command(BaseCommand):
    help = (
        "Load the municipality's departments, units, staff users and their roles from a YAML or "
        "CSV file (docs/organisation-import.md). All or nothing; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The organisation file (.yaml, .yml or .csv).")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        self.stdout.write(_("Reading %(path)s …") % {"path": path})
        try:
            records = read_organisation_file(path=path)
            report = import_organisation(
                records=records,
                now=timezone.now(),
                progress=lambda line: self.stdout.write(line),
                source=path.name,
            )
        except OSError as error:
            raise CommandError(
                _("The file cannot be read: %(error)s") % {"error": error.strerror}
            ) from error
        except OrganisationFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("The organisation was not imported; nothing changed (%(count)d errors).")
                % {"count": len(error.problems)}
            ) from error
        labels = {
            "municipality": _("Municipality"),
            "department": _("Departments"),
            "unit": _("Units"),
            "user": _("Users"),
            "role": _("Roles"),
        }
        for kind, label in labels.items():
            counts = report.counts.get(kind)
            if counts is None:
                continue
            self.stdout.write(
                _(
                    "%(kind)s: %(created)d created, %(updated)d updated, %(removed)d removed, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "kind": label,
                    "created": counts[CREATED],
                    "updated": counts[UPDATED],
                    "removed": counts[REMOVED],
                    "unchanged": counts[UNCHANGED],
                }
            )
        if not report.changed:
            self.stdout.write(
                self.style.SUCCESS(_("Nothing changed: the organisation already matches the file."))
            )
            return
        self.stdout.write(self.style.SUCCESS(_("The organisation is imported.")))
        if report.new_users:
            self.stdout.write(
                _(
                    "%(count)d new users have no password yet: they sign in with single sign-on "
                    "where it is set up, or are given one with `indgang changepassword USERNAME`."
                )
                % {"count": len(report.new_users)}
            )
