"""The API token screen: a user sees and revokes their own tokens; an administrator, anyone's."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from indgang.conftest import PASSWORD, Staff
from indgang.organisation.models import ApiToken
from indgang.organisation.services import IssuedToken, issue_api_token


def logged_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=username, password=PASSWORD)
    return client


def issue(user: User, name: str) -> IssuedToken:
    return issue_api_token(user=user, name=name, expires_in_days=None, now=timezone.now())


def test_a_user_sees_only_their_own_tokens_and_never_a_secret(staff: Staff) -> None:
    own = issue(staff.frontline, "Telefoni")
    other = issue(staff.caseworker, "Byggesag")

    page = logged_in("front").get("/api-tokens/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Telefoni" in html
    assert f"{own.token.prefix}…" in html
    assert "Aktiv" in html
    assert own.secret not in html
    assert "Byggesag" not in html
    assert other.token.prefix not in html


def test_a_user_revokes_their_own_token(staff: Staff) -> None:
    own = issue(staff.frontline, "Telefoni")

    answer = logged_in("front").post(f"/api-tokens/{own.token.pk}/revoke/", follow=True)

    own.token.refresh_from_db()
    assert own.token.revoked_at is not None
    assert f"Tokenet {own.token.prefix}… er tilbagekaldt." in answer.content.decode()


def test_a_user_cannot_revoke_a_colleagues_token(staff: Staff) -> None:
    other = issue(staff.caseworker, "Byggesag")

    answer = logged_in("front").post(f"/api-tokens/{other.token.pk}/revoke/")

    assert answer.status_code == 404
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None


def test_an_administrator_sees_and_revokes_any_token(staff: Staff) -> None:
    other = issue(staff.caseworker, "Byggesag")
    admin = logged_in("admin")

    listed = admin.get("/api-tokens/").content.decode()
    admin.post(f"/api-tokens/{other.token.pk}/revoke/")

    assert "Byggesag" in listed
    assert "byg" in listed
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is not None


def test_revoking_takes_a_post(staff: Staff) -> None:
    own = issue(staff.frontline, "Telefoni")

    assert logged_in("front").get(f"/api-tokens/{own.token.pk}/revoke/").status_code == 405
    assert ApiToken.objects.get(pk=own.token.pk).revoked_at is None
