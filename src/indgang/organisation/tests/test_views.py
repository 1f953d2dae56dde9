"""The roles screens: administrators and superusers manage staff roles; every change is recorded."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from indgang.conftest import PASSWORD, Org, Staff
from indgang.organisation.constants import ChangeVia, Role
from indgang.organisation.models import RoleAssignment, RoleChange
from indgang.organisation.services import assign_role

Assignments = list[tuple[str, str, int, int | None]]


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def assignments() -> Assignments:
    return sorted(
        RoleAssignment.objects.values_list("user__username", "role", "department_id", "unit_id"),
        key=str,
    )


def errors(response: object) -> list[str]:
    """The reasons a refused change shows on the re-rendered page."""
    problems: list[str] = response.context["problems"]  # type: ignore[attr-defined]
    return problems


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("superbruger", "it@example.dk", PASSWORD)


@pytest.mark.django_db
def test_only_administrators_and_superusers_reach_the_roles_screens(
    staff: Staff, superuser: User, org: Org
) -> None:
    target = staff.caseworker
    urls = [
        reverse("staff-list"),
        reverse("staff-detail", args=[target.pk]),
    ]
    posts = {
        reverse("staff-add-role", args=[target.pk]): {
            "role": "manager",
            "department": org.building_dept.pk,
        },
        reverse("staff-set-active", args=[target.pk]): {},
    }
    before = assignments()
    for user in (staff.frontline, staff.caseworker, staff.manager):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user.username, url)
        for url, data in posts.items():
            assert client.post(url, data).status_code == 403, (user.username, url)
    anonymous = Client().get(reverse("staff-list"))
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        "/login/?next=/organisation/staff/",
    )
    assert assignments() == before
    assert User.objects.get(pk=target.pk).is_active
    assert RoleChange.objects.count() == 0

    for user in (staff.admin, superuser):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.username, url)


@pytest.mark.django_db
def test_a_superuser_manages_roles_but_still_reads_no_personal_data(
    staff: Staff, superuser: User
) -> None:
    client = client_for(superuser)

    page = client.get(reverse("staff-list"))
    api = client.get("/api/v1/contacts/")

    assert page.status_code == 200
    assert 'href="/organisation/staff/"' in page.content.decode()
    assert api.status_code == 403
    assert client.get("/contacts/").status_code == 403


@pytest.mark.django_db
def test_the_staff_list_shows_roles_and_filters_as_one_types(staff: Staff) -> None:
    client = client_for(staff.admin)

    page = client.get(reverse("staff-list")).content.decode()
    rows = client.get(reverse("staff-list"), {"q": "yde"}, HTTP_HX_REQUEST="true")

    assert "Sagsbehandler (BTF/Byggesager)" in page
    assert "Frontlinje (KBS/Kontaktcenter)" in page
    assert rows.templates[0].name == "organisation/_staff_rows.html"
    text = rows.content.decode()
    assert "ydelse" in text and "Sagsbehandler (FAF/Ydelser)" in text
    assert "Byggesager" not in text and "<html" not in text


@pytest.mark.django_db
def test_an_administrator_adds_a_role_and_the_change_is_recorded(staff: Staff, org: Org) -> None:
    client = client_for(staff.admin)
    user = staff.caseworker

    response = client.post(
        reverse("staff-add-role", args=[user.pk]),
        {"role": "manager", "department": org.building_dept.pk, "unit": org.building_unit.pk},
        follow=True,
    )

    assert response.redirect_chain == [(f"/organisation/staff/{user.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Rollen er tilføjet."]
    assert list(
        RoleAssignment.objects.filter(user=user).order_by("pk").values_list("role", "unit_id")
    ) == [("caseworker", org.building_unit.pk), ("manager", org.building_unit.pk)]
    change = RoleChange.objects.get()
    assert (
        change.by_id,
        change.via,
        change.user_id,
        change.action,
        change.role,
        change.department,
        change.unit,
    ) == (staff.admin.pk, "screen", user.pk, "assigned", "manager", "Teknik og Miljø", "Byggesager")
    assert "Rolle tildelt" in response.content.decode()


@pytest.mark.django_db
def test_a_unit_of_another_department_or_a_role_held_already_is_refused_in_danish(
    staff: Staff, org: Org
) -> None:
    client = client_for(staff.admin)
    user = staff.caseworker
    url = reverse("staff-add-role", args=[user.pk])
    before = assignments()

    other_unit = client.post(
        url, {"role": "manager", "department": org.building_dept.pk, "unit": org.benefits_unit.pk}
    )
    twice = client.post(url, {"role": "caseworker", "department": org.building_dept.pk})
    incomplete = client.post(url, {"role": "chef"})

    assert other_unit.status_code == 400
    assert errors(other_unit) == ["Enheden Ydelser hører ikke under Teknik og Miljø."]
    assert twice.status_code == 400
    assert errors(twice) == ["byg har allerede rollen Sagsbehandler i Teknik og Miljø."]
    assert incomplete.status_code == 400
    assert incomplete.context["form"].errors == {
        "role": [
            "Marker en gyldig valgmulighed. chef er ikke en af de tilgængelige valgmuligheder."
        ],
        "department": ["Dette felt er påkrævet."],
    }
    assert assignments() == before
    assert RoleChange.objects.count() == 0


@pytest.mark.django_db
def test_an_administrator_removes_a_role_but_not_their_own_administrator_role(
    staff: Staff,
) -> None:
    client = client_for(staff.admin)
    role = RoleAssignment.objects.get(user=staff.manager)
    own = RoleAssignment.objects.get(user=staff.admin)

    removed = client.post(reverse("staff-remove-role", args=[staff.manager.pk, role.pk]))
    refused = client.post(reverse("staff-remove-role", args=[staff.admin.pk, own.pk]))
    elsewhere = client.post(reverse("staff-remove-role", args=[staff.caseworker.pk, own.pk]))

    assert removed.status_code == 302
    assert not RoleAssignment.objects.filter(user=staff.manager).exists()
    assert refused.status_code == 400
    assert errors(refused) == [
        "Du kan ikke fjerne din egen administratorrolle; det kan en anden administrator."
    ]
    assert elsewhere.status_code == 404
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert list(RoleChange.objects.values_list("user_id", "action", "role", "by_id")) == [
        (staff.manager.pk, "removed", "manager", staff.admin.pk)
    ]


@pytest.mark.django_db
def test_a_deactivated_user_cannot_sign_in_until_reactivated(staff: Staff, superuser: User) -> None:
    client = client_for(staff.admin)
    url = reverse("staff-set-active", args=[staff.caseworker.pk])
    signed_in = client_for(staff.caseworker)

    deactivated = client.post(url)
    again = client.post(url)

    assert deactivated.status_code == 302
    assert again.status_code == 400
    assert errors(again) == ["byg er allerede deaktiveret."]
    assert not Client().login(username="byg", password=PASSWORD)
    assert signed_in.get("/contacts/").status_code == 302  # the session no longer counts

    reactivated = client.post(url, {"active": "on"})

    assert reactivated.status_code == 302
    assert Client().login(username="byg", password=PASSWORD)
    assert list(
        RoleChange.objects.order_by("pk").values_list("user_id", "action", "by_id", "via")
    ) == [
        (staff.caseworker.pk, "deactivated", staff.admin.pk, "screen"),
        (staff.caseworker.pk, "reactivated", staff.admin.pk, "screen"),
    ]


@pytest.mark.django_db
def test_nobody_deactivates_themselves_and_only_superusers_deactivate_superusers(
    staff: Staff, superuser: User
) -> None:
    client = client_for(staff.admin)

    own = client.post(reverse("staff-set-active", args=[staff.admin.pk]))
    superior = client.post(reverse("staff-set-active", args=[superuser.pk]))

    assert own.status_code == 400
    assert errors(own) == ["Du kan ikke deaktivere eller genaktivere dig selv."]
    assert superior.status_code == 400
    assert errors(superior) == [
        "Kun en superbruger kan deaktivere eller genaktivere en superbruger."
    ]
    assert list(User.objects.filter(is_active=False)) == []
    assert RoleChange.objects.count() == 0


@pytest.mark.django_db
def test_the_staff_list_costs_the_same_queries_however_many_staff_it_shows(
    staff: Staff, org: Org, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(staff.admin)
    url = reverse("staff-list")
    # session, user, the scope, the count, the page of users, their roles, the header's identity
    with django_assert_num_queries(7):
        client.get(url)
    for number in range(20):
        assign_role(
            user=User.objects.create_user(f"ekstra{number}"),
            role=Role.CASEWORKER,
            department=org.benefits_dept,
            unit=org.benefits_unit,
            by=None,
            via=ChangeVia.IMPORT,
            now=timezone.now(),
        )

    with django_assert_num_queries(7):
        page = client.get(url)

    assert page.content.decode().count("Sagsbehandler (FAF/Ydelser)") == 21
