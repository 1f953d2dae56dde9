"""The queue's API: the reception's and the desk's actions, and who may take them."""

from __future__ import annotations

import pytest

from indgang.bookings.constants import VisitStatus
from indgang.bookings.models import Visit
from indgang.bookings.tests.conftest import Centre
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, ApiFor, Staff
from indgang.contacts.models import Contact


@pytest.mark.django_db
def test_a_walk_in_is_drawn_triaged_called_and_finished_through_the_api(
    api_for: ApiFor, staff: Staff, centre: Centre, tasks: dict[str, Task]
) -> None:
    api = api_for(staff.frontline)
    assert api.get("/api/v1/queue/centres/").json() == [
        {
            "id": centre.unit.pk,
            "name": "Kontaktcenter",
            "desks": [
                {"id": centre.desk_1.pk, "name": "Skranke 1"},
                {"id": centre.desk_2.pk, "name": "Skranke 2"},
            ],
        }
    ]

    drawn = api.post(f"/api/v1/queue/centres/{centre.unit.pk}/draw/")
    assert drawn.status_code == 201
    visit = drawn.json()
    assert (visit["number"], visit["status"], visit["kind"]) == ("A001", "waiting", "walk_in")
    triaged = api.post(
        f"/api/v1/queue/visits/{visit['id']}/triage/",
        {"task": tasks["heating"].pk, "desk": centre.desk_2.pk, "cpr": CPR_A},
        format="json",
    )
    assert (triaged.json()["task"], triaged.json()["desk"]) == (
        tasks["heating"].pk,
        centre.desk_2.pk,
    )
    nobody = api.post(
        f"/api/v1/queue/centres/{centre.unit.pk}/call-next/",
        {"desk": centre.desk_1.pk},
        format="json",
    )
    assert (nobody.status_code, nobody.json()) == (
        409,
        {"non_field_errors": ["Ingen venter på Skranke 1."]},
    )
    called = api.post(
        f"/api/v1/queue/centres/{centre.unit.pk}/call-next/",
        {"desk": centre.desk_2.pk},
        format="json",
    )
    assert (called.status_code, called.json()["number"], called.json()["status"]) == (
        200,
        "A001",
        "called",
    )
    assert api.post(f"/api/v1/queue/visits/{visit['id']}/start/").json()["status"] == "serving"
    refused = api.post(
        f"/api/v1/queue/visits/{visit['id']}/finish/",
        {"summary": "Fjernvarme", "outcome": "forwarded"},
        format="json",
    )
    assert refused.status_code == 400
    finished = api.post(
        f"/api/v1/queue/visits/{visit['id']}/finish/",
        {"summary": "Fjernvarme", "outcome": "resolved_at_first_contact"},
        format="json",
    )

    assert finished.status_code == 200
    body = finished.json()
    stored = Visit.objects.get()
    contact = Contact.objects.get()
    assert (body["status"], body["contact"], body["handling_seconds"]) == (
        "done",
        contact.pk,
        stored.handling_seconds,
    )
    assert (
        contact.channel,
        contact.task_id,
        contact.duration_seconds,
        contact.waiting_seconds,
    ) == (
        Channel.PERSONAL,
        tasks["heating"].pk,
        stored.handling_seconds,
        stored.waiting_seconds,
    )
    assert contact.party is not None and contact.party.pk == stored.party_id
    again = api.post(f"/api/v1/queue/visits/{visit['id']}/no-show/")
    assert (again.status_code, again.json()) == (
        409,
        {"non_field_errors": ["Nummer A001 har status »Klaret«."]},
    )
    assert api.get(f"/api/v1/queue/centres/{centre.unit.pk}/today/").json() == [
        api.get(f"/api/v1/queue/visits/{visit['id']}/").json()
    ]


@pytest.mark.django_db
def test_staff_outside_the_centre_find_neither_it_nor_its_visits(
    api_for: ApiFor, staff: Staff, centre: Centre
) -> None:
    drawn = api_for(staff.frontline).post(f"/api/v1/queue/centres/{centre.unit.pk}/draw/").json()
    outsider = api_for(staff.caseworker)

    assert outsider.get("/api/v1/queue/centres/").json() == []
    assert outsider.post(f"/api/v1/queue/centres/{centre.unit.pk}/draw/").status_code == 404
    assert outsider.post(f"/api/v1/queue/visits/{drawn['id']}/start/").status_code == 404
    assert outsider.get(f"/api/v1/queue/visits/{drawn['id']}/").status_code == 404
    assert Visit.objects.get().status == VisitStatus.WAITING
