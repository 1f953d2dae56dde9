"""Responsible caseworkers: named through the API, staff of the case's department only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from indgang.cases.models import CaseEvent
from indgang.cases.tests.conftest import Receive
from indgang.conftest import ApiFor, Staff

pytestmark = pytest.mark.django_db


def test_caseworkers_are_named_and_the_change_is_on_the_timeline(
    api_for: ApiFor, staff: Staff, receive: Receive, second_caseworker: User
) -> None:
    case = receive()
    client = api_for(staff.caseworker)
    wanted = sorted([staff.caseworker.pk, second_caseworker.pk])

    response = client.post(
        f"/api/v1/cases/{case.pk}/caseworkers/", {"caseworkers": wanted}, format="json"
    )

    assert response.status_code == 200
    assert sorted(response.json()["caseworkers"]) == wanted
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert (event.kind, event.data, event.by) == (
        "caseworkers_assigned",
        {"caseworkers": wanted},
        staff.caseworker,
    )
    again = client.post(
        f"/api/v1/cases/{case.pk}/caseworkers/", {"caseworkers": wanted}, format="json"
    )
    assert again.status_code == 409
    assert again.json() == {"non_field_errors": ["Det er allerede sagens sagsbehandlere."]}


def test_staff_of_another_department_are_refused_and_nothing_changes(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive()
    events = CaseEvent.objects.filter(case=case).count()

    response = api_for(staff.caseworker).post(
        f"/api/v1/cases/{case.pk}/caseworkers/",
        {"caseworkers": [staff.caseworker.pk, staff.frontline.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "caseworkers": [
            "Kun medarbejdere i sagens forvaltning kan være dens sagsbehandlere; "
            f"det er disse ikke: {staff.frontline.pk}."
        ]
    }
    assert list(case.caseworkers.all()) == []
    assert CaseEvent.objects.filter(case=case).count() == events
