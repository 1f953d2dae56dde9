from __future__ import annotations

import pytest
from django.db import connection

from indgang.conftest import CPR_A, CPR_B, CVR_A
from indgang.parties.constants import PartyKind
from indgang.parties.models import Party
from indgang.parties.selectors import find_citizen
from indgang.parties.services import (
    get_or_create_citizen,
    get_or_create_citizens,
    get_or_create_company,
)

pytestmark = pytest.mark.django_db


def test_citizen_is_created_once_and_found_by_exact_cpr() -> None:
    first = get_or_create_citizen(cpr=CPR_A, name="Karen Jensen")
    again = get_or_create_citizen(cpr=CPR_A)

    assert again.pk == first.pk
    assert Party.objects.count() == 1
    assert find_citizen(cpr=CPR_A) == first
    assert find_citizen(cpr=CPR_B) is None
    assert (first.kind, first.name, first.identifier_display) == (
        PartyKind.CITIZEN,
        "Karen Jensen",
        "010190-xxxx",
    )


def test_no_column_holds_the_cpr_in_plain_text() -> None:
    get_or_create_citizen(cpr=CPR_A, name="Karen Jensen")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM parties_party")
        row = cursor.fetchone()

    assert row is not None
    assert not any(CPR_A in str(value) for value in row)


def test_bulk_creation_reuses_existing_citizens() -> None:
    existing = get_or_create_citizen(cpr=CPR_A)

    citizens = get_or_create_citizens(cprs={CPR_A, CPR_B})

    assert citizens[CPR_A].pk == existing.pk
    assert Party.objects.count() == 2
    assert find_citizen(cpr=CPR_B) == citizens[CPR_B]


def test_company_is_found_by_cvr() -> None:
    company = get_or_create_company(cvr=CVR_A, name="Nørrebro Tømrer ApS")

    assert get_or_create_company(cvr=CVR_A).pk == company.pk
    assert company.identifier_display == f"CVR {CVR_A}"
