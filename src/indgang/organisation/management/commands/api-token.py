"""`indgang api-token create|list|revoke`: issue, see and revoke API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.organisation.selectors import get_api_token, list_api_tokens
from indgang.organisation.services import issue_api_token, revoke_api_token


class Command(BaseCommand):
    help = (
        "Issue (create), list and revoke API tokens. Send a token as 'Authorization: Token <t>'; "
        "it is printed once, when it is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token and print its secret once.")
        create.add_argument("username")
        create.add_argument("--name", default="API", help="What the token is for.")
        create.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Days the token is valid (default INDGANG_API_TOKEN_DAYS).",
        )
        listing = actions.add_parser("list", help="List tokens (of one user, or all).")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id (see list).")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self.create(options["username"], options["name"], options["expires_in_days"])
        elif action == "list":
            self.list(options["username"])
        else:
            self.revoke(options["token_id"])

    def create(self, username: str, name: str, expires_in_days: int | None) -> None:
        try:
            issued = issue_api_token(
                user=self.user(username),
                name=name,
                expires_in_days=expires_in_days,
                now=timezone.now(),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(issued.secret)

    def list(self, username: str | None) -> None:
        owner = None if username is None else self.user(username)
        for token in list_api_tokens(owner=owner).reverse():
            state = (
                _("revoked %(when)s") % {"when": token.revoked_at.isoformat()}
                if token.revoked_at is not None
                else _("expires %(when)s") % {"when": token.expires_at.isoformat()}
            )
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.user.username}\t{token.name}\t{state}"
            )

    def revoke(self, token_id: int) -> None:
        token = get_api_token(token_id=token_id, owner=None)
        if token is None:
            raise CommandError(_("There is no token with id %(id)d.") % {"id": token_id})
        revoke_api_token(token=token, now=timezone.now())
        self.stdout.write(_("Token %(id)d is revoked.") % {"id": token_id})

    def user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("The user %(username)r does not exist.") % {"username": username})
        return user
