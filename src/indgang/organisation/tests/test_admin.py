from __future__ import annotations

from django.test import Client

from indgang.conftest import Staff
from indgang.organisation.models import RoleAssignment, RoleChange, Unit


def test_a_department_shows_its_units_to_edit(administrator: Client) -> None:
    unit = Unit.objects.select_related("department").get(name="Byggesager")

    page = administrator.get(f"/admin/organisation/department/{unit.department_id}/change/")

    assert page.status_code == 200
    assert 'value="Byggesager"' in page.content.decode()


def test_role_assignments_are_shown_but_not_changed_in_the_admin(
    administrator: Client, staff: Staff
) -> None:
    assignment = RoleAssignment.objects.get(user=staff.admin)
    url = f"/admin/organisation/roleassignment/{assignment.pk}"

    listed = administrator.get("/admin/organisation/roleassignment/")
    added = administrator.post(
        "/admin/organisation/roleassignment/add/",
        {"user": staff.caseworker.pk, "role": "admin", "department": assignment.department_id},
    )
    deleted = administrator.post(f"{url}/delete/", {"post": "yes"})

    assert listed.status_code == 200
    assert (added.status_code, deleted.status_code) == (403, 403)
    assert list(RoleAssignment.objects.filter(role="admin").values_list("user_id")) == [
        (staff.admin.pk,)
    ]
    assert RoleChange.objects.count() == 0
