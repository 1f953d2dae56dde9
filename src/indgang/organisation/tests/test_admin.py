from __future__ import annotations

import pytest
from django.test import Client

from indgang.organisation.models import Unit

PAGES = [
    "/admin/organisation/municipality/",
    "/admin/organisation/department/",
    "/admin/organisation/unit/",
    "/admin/organisation/roleassignment/",
    "/admin/organisation/roleassignment/add/",
]


@pytest.mark.parametrize("page", PAGES)
def test_the_admin_lists_and_adds_the_organisation(administrator: Client, page: str) -> None:
    assert administrator.get(page).status_code == 200


def test_a_department_shows_its_units_to_edit(administrator: Client) -> None:
    unit = Unit.objects.select_related("department").get(name="Byggesager")

    page = administrator.get(f"/admin/organisation/department/{unit.department_id}/change/")

    assert page.status_code == 200
    assert 'value="Byggesager"' in page.content.decode()
