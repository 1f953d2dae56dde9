"""`indgang send-deadline-digest`: the day's e-mail to owners and managers, once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.deadlines.services import send_digest


class Command(BaseCommand):
    help = "E-mail each owner and manager today's deadlines (does nothing if already sent today)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digest(now=timezone.now())
        self.stdout.write(_("Digest e-mails sent: %(count)d") % {"count": sent})
