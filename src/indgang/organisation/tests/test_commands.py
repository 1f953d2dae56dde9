from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from indgang.conftest import Staff
from indgang.organisation.models import ApiToken, digest_of


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    call_command("api-token", *args)
    return capsys.readouterr().out.strip()


def test_api_token_create_prints_a_new_secret_that_the_api_accepts(
    staff: Staff, capsys: pytest.CaptureFixture[str]
) -> None:
    before = timezone.now()
    first = run(capsys, "create", "front", "--name", "ESDH", "--expires-in-days", "10")
    second = run(capsys, "create", "front")

    assert first != second
    token = ApiToken.objects.get(digest=digest_of(first))
    assert (token.user, token.name, token.prefix) == (staff.frontline, "ESDH", first[:8])
    assert before + dt.timedelta(days=10) <= token.expires_at
    assert token.expires_at <= timezone.now() + dt.timedelta(days=10)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get("/api/v1/contacts/").status_code == 200


def test_api_token_list_and_revoke(staff: Staff, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "create", "front", "--name", "ESDH")
    run(capsys, "create", "byg", "--name", "Byggesag")
    token = ApiToken.objects.get(name="ESDH")

    listed = run(capsys, "list", "front").split("\t")
    revoked = run(capsys, "revoke", str(token.pk))

    assert listed[:4] == [str(token.pk), f"{token.prefix}…", "front", "ESDH"]
    assert listed[4].startswith("udløber ")
    assert revoked == f"Token {token.pk} er tilbagekaldt."
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert run(capsys, "list").count("\n") == 1
    assert run(capsys, "list", "front").split("\t")[4].startswith("tilbagekaldt ")


def test_api_token_for_an_unknown_user_is_refused(staff: Staff) -> None:
    with pytest.raises(CommandError) as error:
        call_command("api-token", "create", "ukendt")

    assert str(error.value) == "Brugeren 'ukendt' findes ikke."
    assert ApiToken.objects.count() == 0


def test_api_token_beyond_the_longest_validity_is_refused(staff: Staff) -> None:
    with pytest.raises(CommandError) as error:
        call_command("api-token", "create", "front", "--expires-in-days", "1000")

    assert str(error.value) == "Et token gælder i 1 til 730 dage."
    assert ApiToken.objects.count() == 0


def test_revoking_an_unknown_token_is_refused(staff: Staff) -> None:
    with pytest.raises(CommandError) as error:
        call_command("api-token", "revoke", "999")

    assert str(error.value) == "Der er intet token med id 999."
