"""A real OpenID Connect provider process for the single sign-on tests (oidc_provider/)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from indgang.common.oidc import forget_discovery
from indgang.common.tests.test_serve import free_port

PROVIDER_PASSWORD = "provider-password-1"
CLIENT_ID = "indgang-test-client"
CLIENT_SECRET = "indgang-test-client-secret-0123456789"
# At the provider: `byg` is the caseworker of the shared `staff` fixture; `ukendt` is not known
# to Indgang.
PROVIDER_USERS = {"byg": "byg@kommune.example", "ukendt": "ukendt@kommune.example"}
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class OidcProvider:
    issuer: str
    log: Path


@pytest.fixture(scope="session")
def oidc_provider(
    live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OidcProvider]:
    """django-oauth-toolkit serving OpenID Connect on a free 127.0.0.1 port, in a process of its
    own with its own SQLite database, Indgang (the live server) registered as a confidential
    client and PROVIDER_USERS as its users. Stopped at the end of the session."""
    directory = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = directory / "signing-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    port = free_port()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    environment.update(
        OIDC_PROVIDER_PORT=str(port),
        OIDC_PROVIDER_DATABASE=str(directory / "provider.sqlite3"),
        OIDC_PROVIDER_KEY=str(key_file),
        OIDC_PROVIDER_CLIENT_ID=CLIENT_ID,
        OIDC_PROVIDER_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_PROVIDER_REDIRECT_URI=f"{live_server.url}/login/sso/callback/",
        OIDC_PROVIDER_USERS=" ".join(
            f"{username}:{email}:{PROVIDER_PASSWORD}" for username, email in PROVIDER_USERS.items()
        ),
    )
    log = directory / "provider.log"
    issuer = f"http://127.0.0.1:{port}/o"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own module, by the running interpreter
            [sys.executable, "-m", "indgang.organisation.tests.oidc_provider"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(process, f"{issuer}/.well-known/openid-configuration", log)
        yield OidcProvider(issuer=issuer, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The OpenID Connect provider stopped:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"The OpenID Connect provider did not start:\n{log.read_text()}")


def staff_sign_on(issuer: str, **overrides: Any) -> dict[str, Any]:
    """STAFF_OIDC for the test provider."""
    return {
        "name": "Testkommunens IdP",
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": "openid profile email",
        "claim": "preferred_username",
        "user_field": "username",
        "create_users": False,
        "required_acr": [],
        "required_amr": [],
        "sign_algorithm": "RS256",
        "callback_url_name": "staff-oidc-callback",
        **overrides,
    }


@pytest.fixture
def sign_on(oidc_provider: OidcProvider, settings: Settings) -> Iterator[OidcProvider]:
    """Staff single sign-on turned on, with the test provider."""
    settings.STAFF_OIDC = staff_sign_on(oidc_provider.issuer)
    forget_discovery()
    yield oidc_provider
    forget_discovery()
