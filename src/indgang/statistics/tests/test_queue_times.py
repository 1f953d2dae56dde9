"""Waiting and handling time per service centre and hour: the page, the API and who sees them."""

from __future__ import annotations

import datetime as dt

import pytest

from indgang.bookings.models import Desk
from indgang.bookings.queue import call_visit, draw_number, finish_visit
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import ApiFor, Org, Staff, staff_client
from indgang.contacts.constants import Outcome
from indgang.organisation.selectors import get_scope

DAY = dt.date(2030, 1, 7)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=COPENHAGEN)


@pytest.fixture
def served(org: Org, staff: Staff) -> None:
    """Two visits at the contact centre (Borgerservice) at 9 and one at 13, one at the building
    unit's desk (Teknik og Miljø) at 9."""
    for unit, drawn, called, finished in (
        (org.contact_centre, at(9, 0), at(9, 4), at(9, 10)),
        (org.contact_centre, at(9, 30), at(9, 40), at(9, 50)),
        (org.contact_centre, at(13, 0), at(13, 1), at(13, 3)),
        (org.building_unit, at(9, 0), at(9, 2), at(9, 3)),
    ):
        desk = Desk.objects.get_or_create(unit=unit, name="Skranke 1")[0]
        visit = draw_number(unit=unit, drawn_by=staff.admin, now=drawn)
        call_visit(visit=visit, desk=desk, called_by=staff.admin, now=called)
        finish_visit(
            visit=visit,
            summary="Besøg",
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
            finished_by=staff.admin,
            registrar=get_scope(user=staff.admin),
            now=finished,
        )


@pytest.mark.django_db
def test_managers_read_their_departments_centres_per_hour(
    api_for: ApiFor, staff: Staff, org: Org, served: None
) -> None:
    answer = api_for(staff.manager).get(
        "/api/v1/statistics/queue-times/", {"start": "2030-01-07", "end": "2030-01-07"}
    )

    assert answer.status_code == 200
    centre = org.contact_centre.pk
    assert answer.json() == [
        {
            "unit_id": centre,
            "unit_name": "Kontaktcenter",
            "hour": 9,
            "visits": 2,
            "mean_waiting_seconds": 420,
            "longest_waiting_seconds": 600,
            "mean_handling_seconds": 480,
        },
        {
            "unit_id": centre,
            "unit_name": "Kontaktcenter",
            "hour": 13,
            "visits": 1,
            "mean_waiting_seconds": 60,
            "longest_waiting_seconds": 60,
            "mean_handling_seconds": 120,
        },
    ]
    everything = api_for(staff.admin).get(
        "/api/v1/statistics/queue-times/", {"start": "2030-01-07", "end": "2030-01-07"}
    )
    assert [(row["unit_name"], row["hour"]) for row in everything.json()] == [
        ("Byggesager", 9),
        ("Kontaktcenter", 9),
        ("Kontaktcenter", 13),
    ]


@pytest.mark.django_db
def test_a_long_period_and_a_caseworker_are_refused(
    api_for: ApiFor, staff: Staff, served: None
) -> None:
    too_long = api_for(staff.manager).get(
        "/api/v1/statistics/queue-times/", {"start": "2030-01-01", "end": "2030-04-03"}
    )
    assert (too_long.status_code, too_long.json()) == (
        400,
        {"end": ["Spørg efter 1 til 92 dage ad gangen."]},
    )
    refused = api_for(staff.caseworker).get(
        "/api/v1/statistics/queue-times/", {"start": "2030-01-07", "end": "2030-01-07"}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_page_shows_the_hours_in_minutes(staff: Staff, served: None) -> None:
    page = staff_client(staff.manager).get("/statistik/koe/?start=2030-01-07&end=2030-01-07")

    assert page.status_code == 200
    html = page.content.decode()
    assert "<td>09–10</td>\n      <td>2</td><td>7</td>\n      <td>10</td><td>8</td>" in html
    assert "<td>13–14</td>\n      <td>1</td><td>1</td>\n      <td>1</td><td>2</td>" in html
    assert staff_client(staff.caseworker).get("/statistik/koe/").status_code == 403
