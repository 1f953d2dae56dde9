"""Prepare and serve the test provider: migrate its database, register Indgang as a client and
the provider's users, then serve on 127.0.0.1 until stopped.

The environment names the port, the database, the signing key, the client's id, secret and
redirect URI, and the users (`OIDC_PROVIDER_USERS`: `username:email:password` separated by
spaces).
"""

from __future__ import annotations

import os

import django
from django.core.management import call_command


def main() -> None:
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "indgang.organisation.tests.oidc_provider.settings"
    )
    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for entry in os.environ["OIDC_PROVIDER_USERS"].split():
        username, email, password = entry.split(":")
        User.objects.create_user(username, email=email, password=password)
    Application.objects.create(
        name="Indgang",
        client_id=os.environ["OIDC_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["OIDC_PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_PROVIDER_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    call_command(
        "runserver",
        f"127.0.0.1:{os.environ['OIDC_PROVIDER_PORT']}",
        use_reloader=False,
        use_threading=True,
        verbosity=0,
    )


if __name__ == "__main__":
    main()
