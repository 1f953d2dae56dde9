"""The API of inspections, indskærpelser, complaints and enforcement cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.cases.models import Case, CaseEvent, Indskaerpelse
from indgang.cases.services import (
    InspectionStep,
    NewCaseSubject,
    give_indskaerpelse,
    plan_inspection,
    take_action,
)
from indgang.conftest import CPR_A, CVR_A, ApiFor, Org, Staff
from indgang.organisation.selectors import get_scope
from indgang.parties.models import Party

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def subject(org: Org, **fields: Any) -> dict[str, Any]:
    body = {
        "area": "livestock",
        "cvr": CVR_A,
        "name": "Svineproduktion ApS",
        "property_address": "Markvej 3, 9999 Testby",
        "cadastral_number": "4b Testby By",
        "unit": org.building_unit.pk,
    }
    body.update(fields)
    return body


def visited_with_overdue_indskaerpelse(staff: Staff, org: Org) -> tuple[Case, Indskaerpelse]:
    """An inspection visited 30 days ago whose indskærpelse was due 10 days ago."""
    by = staff.caseworker
    scope = get_scope(user=by)
    start = timezone.now() - dt.timedelta(days=30)
    case = plan_inspection(
        subject=NewCaseSubject(area="building", cpr=CPR_A, unit=org.building_unit),
        planned_for=timezone.localdate(start),
        by=by,
        scope=scope,
        now=start,
    )
    for action, facts in (
        ("give_notice", InspectionStep(notice_method="phone")),
        ("record_visit", InspectionStep(staff_ids=(by.pk,))),
    ):
        take_action(case_id=case.pk, action=action, by=by, scope=scope, now=start, inspection=facts)
    given = give_indskaerpelse(
        case_id=case.pk,
        cause="Byggeri opført uden tilladelse (byggeloven § 16).",
        requirement="Søg om lovliggørende tilladelse.",
        deadline=timezone.localdate(start) + dt.timedelta(days=20),
        by=by,
        scope=scope,
        now=start,
    )
    return case, given


def test_an_inspection_through_the_api(api_for: ApiFor, staff: Staff, org: Org) -> None:
    client = api_for(staff.caseworker)
    today = timezone.localdate()
    response = client.post(
        f"{URL}inspections/", subject(org, planned_for=today.isoformat()), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["state"], body["area"], body["clock"]) == (
        "inspection",
        "planned",
        "livestock",
        None,
    )
    assert body["allowed_actions"] == ["give_notice"]
    assert body["inspection"] == {
        "planned_for": today.isoformat(),
        "notice_method": "",
        "agenda": "",
        "staff_present": [],
        "visited_at": None,
        "report_due": None,
        "report_sent_at": None,
    }
    assert (body["indskaerpelser"], body["origin"]) == ([], None)
    case = f"{URL}{body['id']}/"
    response = client.post(
        f"{case}actions/",
        {"action": "give_notice", "notice_method": "letter", "agenda": "Gyllebeholdere"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = client.post(
        f"{case}actions/",
        {"action": "record_visit", "staff_present": [staff.caseworker.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    inspection = response.json()["inspection"]
    assert (inspection["notice_method"], inspection["agenda"], inspection["staff_present"]) == (
        "letter",
        "Gyllebeholdere",
        ["byg"],
    )
    assert inspection["report_due"] is not None
    response = client.post(
        f"{case}indskaerpelser/",
        {
            "cause": "Gyllebeholderen er ikke overdækket.",
            "requirement": "Læg fast overdækning på.",
            "deadline": (today + dt.timedelta(days=14)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    [given] = response.json()["indskaerpelser"]
    assert (given["cause"], given["remedied_at"], given["enforcement_case"]) == (
        "Gyllebeholderen er ikke overdækket.",
        None,
        None,
    )
    item = f"{case}indskaerpelser/{given['id']}/"
    response = client.post(f"{item}follow-up/", {"note": "Overdækning bestilt."}, format="json")
    assert response.json()["indskaerpelser"][0]["follow_up_note"] == "Overdækning bestilt."
    response = client.post(f"{item}enforcement/")
    assert response.status_code == 409
    assert Case.objects.count() == 1
    assert client.post(f"{item}remedied/").status_code == 200
    response = client.post(f"{item}remedied/")
    assert response.status_code == 409
    assert response.json()["non_field_errors"][0].startswith("Indskærpelsen blev efterkommet ")
    client.post(
        f"{case}actions/",
        {"action": "send_report", "next_steps": "Vi følger op på indskærpelsen."},
        format="json",
    )
    response = client.post(f"{case}actions/", {"action": "close"}, format="json")
    assert (response.status_code, response.json()["state"]) == (200, "closed")
    assert api_for(staff.other_caseworker).post(f"{item}remedied/").status_code == 404


def test_bad_inspection_is_refused_and_stores_nothing(
    api_for: ApiFor, staff: Staff, org: Org
) -> None:
    parties = Party.objects.count()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    body = subject(org, planned_for=yesterday.isoformat())
    del body["cvr"]
    response = api_for(staff.caseworker).post(f"{URL}inspections/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "planned_for": ["Et tilsyn kan ikke planlægges til en dag, der er gået."],
        "cpr": ["Angiv ansøgerens CPR-nummer eller CVR-nummer (ét af dem)."],
    }
    assert (Case.objects.count(), CaseEvent.objects.count(), Party.objects.count()) == (
        0,
        0,
        parties,
    )


def test_enforcement_case_from_an_overdue_indskaerpelse(
    api_for: ApiFor, staff: Staff, org: Org
) -> None:
    inspection, given = visited_with_overdue_indskaerpelse(staff, org)
    client = api_for(staff.caseworker)
    url = f"{URL}{inspection.pk}/indskaerpelser/{given.pk}/enforcement/"
    assert api_for(staff.other_caseworker).post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["state"], body["party"], body["clock"]) == (
        "enforcement",
        "received",
        inspection.party_id,
        None,
    )
    assert body["origin"] == {"inspection": inspection.pk, "indskaerpelse": given.pk}
    assert body["allowed_actions"] == ["start_assessment"]
    detail = client.get(f"{URL}{inspection.pk}/").json()
    assert detail["indskaerpelser"][0]["enforcement_case"] == body["id"]
    assert client.post(url).status_code == 409
    assert Case.objects.filter(kind="enforcement").count() == 1
    actions = f"{URL}{body['id']}/actions/"
    client.post(actions, {"action": "start_assessment"}, format="json")
    client.post(actions, {"action": "start_hearing"}, format="json")
    response = client.post(
        actions, {"action": "decide", "decision": "refusal", "note": "Begrundelse."}, format="json"
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=body["id"]).state == "hearing"
    response = client.post(
        actions,
        {"action": "decide", "decision": "police_report", "note": "Begrundelse."},
        format="json",
    )
    assert (response.json()["state"], response.json()["decision"]) == ("decided", "police_report")


def test_a_complaint_received_through_the_api(api_for: ApiFor, staff: Staff, org: Org) -> None:
    client = api_for(staff.caseworker)
    received = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    response = client.post(
        f"{URL}complaints/",
        subject(org, received_at=received, complaint="Lugtgener om natten."),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["state"], body["clock"], body["origin"]) == (
        "enforcement",
        "received",
        None,
        None,
    )
    assert body["events"][0]["note"] == "Lugtgener om natten."
    response = client.post(
        f"{URL}complaints/", subject(org, received_at=received, complaint=" "), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"complaint": ["Dette felt må ikke være tomt."]}
    assert Case.objects.count() == 1


def test_the_list_of_inspections_reads_a_constant_number_of_statements(
    api_for: ApiFor, staff: Staff, org: Org
) -> None:
    client = api_for(staff.caseworker)
    visited_with_overdue_indskaerpelse(staff, org)

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    one = statements()
    for _ in range(3):
        inspection, given = visited_with_overdue_indskaerpelse(staff, org)
        client.post(f"{URL}{inspection.pk}/indskaerpelser/{given.pk}/enforcement/")
    assert statements() == one
