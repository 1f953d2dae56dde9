from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indgang.catalogue.kle import KleFormatError
from indgang.catalogue.os2kle import KeywordFormatError
from indgang.demo.services import PASSWORD, STAFF, load_demo


class Command(BaseCommand):
    help = "Load the demo: Copenhagen's organisation and task list, KLE, staff and contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kle", type=Path, required=True, help="KL's KLE-Emneplan XML file.")
        parser.add_argument(
            "--keywords", type=Path, help="OS2KLE's keyword lists (OS2KLE.txt), optional."
        )

    def handle(self, *args: Any, kle: Path, keywords: Path | None, **options: Any) -> None:
        try:
            load_demo(
                kle_path=kle,
                keywords_path=keywords,
                progress=lambda line: self.stdout.write(f"  {line}"),
            )
        except (KleFormatError, KeywordFormatError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(_("The demo is ready. Log in as:")))
        for username, full_name, roles in STAFF:
            role_names = ", ".join(
                f"{role.label} ({department})" for role, department, _unit in roles
            )
            self.stdout.write(f"  {username:<8} / {PASSWORD}   {full_name}: {role_names}")
