from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.contacts.importing import COLUMNS, parse_contacts_csv
from indgang.contacts.services import register_contacts_in_bulk
from indgang.organisation.selectors import get_scope


class Command(BaseCommand):
    help = f"Import contacts from CSV (columns: {', '.join(COLUMNS)}); all lines or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="The staff user the import is made by.")

    def handle(self, *args: Any, path: Path, user: str, **options: Any) -> None:
        staff = User.objects.filter(username=user).first()
        if staff is None:
            raise CommandError(_("The user %(username)r does not exist.") % {"username": user})
        try:
            with path.open(encoding="utf-8-sig", newline="") as file:
                contacts = parse_contacts_csv(file)
            count = register_contacts_in_bulk(
                contacts=contacts,
                registered_by=staff,
                registrar=get_scope(user=staff),
                now=timezone.now(),
            )
        except FileNotFoundError as error:
            raise CommandError(_("The file %(path)s does not exist.") % {"path": path}) from error
        except ValidationError as error:
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(error.messages[:50])
            ) from error
        self.stdout.write(self.style.SUCCESS(_("Imported %(count)d contacts.") % {"count": count}))
