from __future__ import annotations

from django.test import Client

from indgang.organisation.models import Unit


def test_a_department_shows_its_units_to_edit(administrator: Client) -> None:
    unit = Unit.objects.select_related("department").get(name="Byggesager")

    page = administrator.get(f"/admin/organisation/department/{unit.department_id}/change/")

    assert page.status_code == 200
    assert 'value="Byggesager"' in page.content.decode()
