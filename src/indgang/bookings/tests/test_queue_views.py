"""The queue's screens: reception, visitation, a desk's day and the display behind its secret."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from indgang.bookings.constants import VisitStatus
from indgang.bookings.models import Visit
from indgang.bookings.queue import draw_number, issue_display_token
from indgang.bookings.tests.conftest import Centre
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import Staff, staff_client
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact


def message(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_reception_draws_and_triages_and_a_desk_serves_the_visitor(
    staff: Staff, centre: Centre, tasks: dict[str, Task]
) -> None:
    client = staff_client(staff.frontline)
    unit = centre.unit
    assert client.get("/koe/").status_code == 200

    drawn = client.post(f"/koe/{unit.pk}/traek/", follow=True)
    assert message(drawn) == ["Nummer A001 er trukket."]
    visit = Visit.objects.get()
    assert f'data-visit="{visit.pk}" data-status="waiting"' in drawn.content.decode()

    triaged = client.post(
        f"/koe/besoeg/{visit.pk}/",
        {"task": tasks["heating"].pk, "desk": centre.desk_1.pk, "cpr": ""},
        follow=True,
    )
    assert message(triaged) == ["Nummer A001 er visiteret."]
    desk = f"/koe/{unit.pk}/skranke/{centre.desk_1.pk}/"
    assert "A001" in client.get(f"{desk}venter/").content.decode()
    other_desk = client.get(f"/koe/{unit.pk}/skranke/{centre.desk_2.pk}/venter/")
    assert "A001" not in other_desk.content.decode()

    called = client.post(f"{desk}handling/", {"action": "call-next"}, follow=True)
    assert message(called) == ["Nummer A001 er kaldt."]
    started = client.post(f"{desk}handling/", {"action": "start", "visit": visit.pk}, follow=True)
    assert message(started) == ["Nummer A001 bliver betjent."]
    refused = client.post(desk, {"summary": "", "outcome": Outcome.RESOLVED_AT_FIRST_CONTACT})
    assert refused.status_code == 200
    assert not Contact.objects.exists()
    finished = client.post(
        desk,
        {"summary": "Fjernvarme", "outcome": Outcome.CASE_CREATED, "task": tasks["heating"].pk},
        follow=True,
    )

    assert message(finished) == ["Nummer A001 er afsluttet og registreret som henvendelse."]
    visit.refresh_from_db()
    contact = Contact.objects.get()
    assert (visit.status, visit.contact_id) == (VisitStatus.DONE, contact.pk)
    assert (contact.channel, contact.outcome, contact.waiting_seconds) == (
        Channel.PERSONAL,
        Outcome.CASE_CREATED,
        visit.waiting_seconds,
    )


@pytest.mark.django_db
def test_other_staff_find_no_centre_and_only_managers_issue_the_display(
    staff: Staff, centre: Centre
) -> None:
    visit = draw_number(unit=centre.unit, drawn_by=staff.frontline, now=timezone.now())
    outsider = staff_client(staff.caseworker)
    for path in (f"/koe/{centre.unit.pk}/", f"/koe/besoeg/{visit.pk}/"):
        assert outsider.get(path).status_code == 404
    assert outsider.post(f"/koe/{centre.unit.pk}/traek/").status_code == 404
    assert staff_client(staff.frontline).post(f"/koe/{centre.unit.pk}/skaerm/").status_code == 404

    issued = staff_client(staff.manager).post(f"/koe/{centre.unit.pk}/skaerm/")
    assert issued.status_code == 200
    assert issued.context["url"].startswith("http://testserver/koe/skaerm/")


@pytest.mark.django_db
def test_the_display_opens_by_its_secret_without_login_and_answers_204_when_unchanged(
    staff: Staff, centre: Centre
) -> None:
    token = issue_display_token(unit=centre.unit, issued_by=staff.manager, now=timezone.now())
    anonymous = Client()
    assert anonymous.get("/koe/skaerm/not-the-secret/").status_code == 404

    page = anonymous.get(f"/koe/skaerm/{token}/")
    assert page.status_code == 200
    version = page.context["version"]
    assert anonymous.get(f"/koe/skaerm/{token}/tavle/?version={version}").status_code == 204

    draw_number(unit=centre.unit, drawn_by=staff.frontline, now=timezone.now())
    changed = anonymous.get(f"/koe/skaerm/{token}/tavle/?version={version}")
    assert changed.status_code == 200
    assert changed.context["board"].waiting == 1
    assert changed.context["version"] != version
