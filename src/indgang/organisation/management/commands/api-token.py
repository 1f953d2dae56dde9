from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print a user's API token (made on first use); send it as 'Authorization: Token <t>'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("The user %(username)r does not exist.") % {"username": username})
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
