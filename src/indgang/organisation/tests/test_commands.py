from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from indgang.conftest import Staff


def test_api_token_prints_the_same_token_every_time(
    staff: Staff, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("api-token", "front")
    first = capsys.readouterr().out.strip()
    call_command("api-token", "front")

    assert first == Token.objects.get(user=staff.frontline).key
    assert capsys.readouterr().out.strip() == first


def test_api_token_for_an_unknown_user_is_refused(staff: Staff) -> None:
    with pytest.raises(CommandError) as error:
        call_command("api-token", "ukendt")

    assert str(error.value) == "Brugeren 'ukendt' findes ikke."
    assert Token.objects.count() == 0
