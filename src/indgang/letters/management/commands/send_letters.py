from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from indgang.letters.constants import MessageStatus
from indgang.letters.services import deliver_pending


class Command(BaseCommand):
    help = (
        "Try each queued letter once: those due for another attempt, or with --all every one "
        "(after a transport's fault is mended)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Also the letters still waiting out a failure."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        messages = deliver_pending(now=timezone.now(), waiting_too=options["all"])
        sent = sum(message.status == MessageStatus.SENT for message in messages)
        self.stdout.write(f"{sent} of {len(messages)} letters sent.")
