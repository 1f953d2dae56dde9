"""The cases API: intake, list and detail with the clock, actions; one permission path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.cases.models import Case, CaseEvent
from indgang.cases.tests.conftest import Act, Receive, noon
from indgang.conftest import CPR_A, CVR_A, ApiFor, Org, Staff
from indgang.parties.models import Party

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def application(org: Org, **fields: Any) -> dict[str, Any]:
    body = {
        "area": "building",
        "category": "building-housing",
        "received_at": (timezone.now() - dt.timedelta(days=3)).isoformat(),
        "cvr": CVR_A,
        "name": "Byg & Bo ApS",
        "property_address": "Havnegade 4, 9999 Testby",
        "cadastral_number": "12a Testby Bygrunde",
        "property_number": "999-123456",
        "unit": org.building_unit.pk,
        "attachments": ["Situationsplan", "Facadetegning"],
    }
    body.update(fields)
    return body


def test_intake_answers_with_the_case(api_for: ApiFor, staff: Staff, org: Org) -> None:
    response = api_for(staff.caseworker).post(URL, application(org), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert (case.state, case.department_id, case.unit_id) == (
        "received",
        org.building_dept.pk,
        org.building_unit.pk,
    )
    assert case.party.cvr == CVR_A
    assert body["category"] == "building-housing"
    assert body["attachments"] == ["Situationsplan", "Facadetegning"]
    assert body["allowed_actions"] == ["start_screening"]
    assert body["clock"] == {
        "started": False,
        "days_used": 0,
        "days_left": 60,
        "due_date": None,
        "on_target": True,
        "days_waiting": 0,
        "days_paused": 0,
    }
    assert [event["kind"] for event in body["events"]] == ["received"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"category": "nope"}, "category", "Der er ingen servicemålskategori nope i brug."),
        (
            {"category": "livestock-16a"},
            "category",
            "Kategorien livestock-16a hører ikke til det område.",
        ),
        ({"cvr": "13585491"}, "cvr", "CVR-nummerets kontrolciffer passer ikke; tjek nummeret."),
        (
            {"cvr": None, "cpr": None},
            "cpr",
            "Angiv ansøgerens CPR-nummer eller CVR-nummer (ét af dem).",
        ),
        (
            {"received_at": (timezone.now() + dt.timedelta(days=1)).isoformat()},
            "received_at",
            "Modtagelsestidspunktet kan ikke ligge i fremtiden.",
        ),
        ({"attachments": ["Plan", " "]}, "attachments", None),
    ],
)
def test_refused_intake_stores_nothing(
    api_for: ApiFor,
    staff: Staff,
    org: Org,
    fields: dict[str, Any],
    field: str,
    message: str | None,
) -> None:
    body = {key: value for key, value in application(org, **fields).items() if value is not None}
    parties = Party.objects.count()
    response = api_for(staff.caseworker).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    if message is not None:
        assert errors[field] == [message]
    assert (Case.objects.count(), CaseEvent.objects.count(), Party.objects.count()) == (
        0,
        0,
        parties,
    )


def test_intake_in_another_department_is_refused(api_for: ApiFor, staff: Staff, org: Org) -> None:
    response = api_for(staff.other_caseworker).post(URL, application(org), format="json")
    assert response.status_code == 400
    assert response.json() == {"unit": ["Vælg en enhed i en forvaltning, du arbejder i."]}
    assert Case.objects.count() == 0


def test_who_sees_a_case(api_for: ApiFor, staff: Staff, receive: Receive) -> None:
    case = receive(cpr=CPR_A)
    detail = f"{URL}{case.pk}/"
    assert api_for(staff.caseworker).get(detail).status_code == 200
    assert api_for(staff.admin).get(detail).status_code == 200
    for outsider in (staff.other_caseworker, staff.frontline, staff.manager):
        assert api_for(outsider).get(detail).status_code == 404
        assert api_for(outsider).get(URL).json()["results"] == []
    assert [row["id"] for row in api_for(staff.admin).get(URL).json()["results"]] == [case.pk]
    logged = AccessLogEntry.objects.filter(party_id=case.party_id).order_by("pk")
    # A detail names the case read; a list names only the parties on the page.
    assert list(logged.values_list("user__username", "action", "subject_id")) == [
        ("byg", "viewed_case", case.pk),
        ("admin", "viewed_case", case.pk),
        ("admin", "listed_cases", None),
    ]


def test_actions_through_the_api(api_for: ApiFor, staff: Staff, receive: Receive) -> None:
    case = receive()
    client = api_for(staff.caseworker)
    url = f"{URL}{case.pk}/actions/"
    response = client.post(url, {"action": "start_screening"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "screening"
    response = client.post(url, {"action": "close"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "non_field_errors": [
            'Sagen har status "Screening"; herfra kan du: Send mangelskrivelse, '
            "Markér som fyldestgørende oplyst, Træf straksafgørelse."
        ]
    }
    assert Case.objects.get(pk=case.pk).state == "screening"
    response = client.post(
        url, {"action": "mark_fully_informed", "at": timezone.now().isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"at": ["Kun administratorer må tilbagedatere en handling."]}
    response = client.post(url, {"action": "mark_fully_informed"}, format="json")
    body = response.json()
    assert (body["state"], body["clock"]["started"], body["clock"]["days_used"]) == (
        "fully_informed",
        True,
        0,
    )
    assert body["allowed_actions"] == ["start_hearing", "start_assessment"]
    assert api_for(staff.other_caseworker).post(url, {"action": "start_hearing"}).status_code == 404


def test_deciding_needs_the_decision(
    api_for: ApiFor, staff: Staff, receive: Receive, act: Act
) -> None:
    case = receive()
    act(case, "start_screening")
    url = f"{URL}{case.pk}/actions/"
    client = api_for(staff.caseworker)
    response = client.post(url, {"action": "decide_immediately"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"decision": ["Vælg afgørelsens udfald."]}
    assert Case.objects.get(pk=case.pk).state == "screening"
    response = client.post(
        url, {"action": "decide_immediately", "decision": "permit"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"note": ["Begrund afgørelsen."]}
    assert Case.objects.get(pk=case.pk).state == "screening"
    response = client.post(
        url,
        {"action": "decide_immediately", "decision": "permit", "note": "Begrundelse."},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["decision"], body["allowed_actions"]) == (
        "decided",
        "permit",
        ["close", "reopen"],
    )
    assert body["clock"]["days_used"] == 0
    assert body["events"][-1]["data"] == {"outcome": "permit", "conditions": ""}
    # The area's complaint guidance as it read on the day of the decision.
    assert body["complaint_guidance"].startswith(
        "Du kan klage over afgørelsens retlige forhold til Byggeklageenheden."
    )


def test_service_need_type_changes_with_a_reason(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive()
    url = f"{URL}{case.pk}/service-need/"
    client = api_for(staff.caseworker)
    response = client.post(url, {"service_need_type": "princip", "reason": " "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert Case.objects.get(pk=case.pk).service_need_type == ""
    response = client.post(
        url, {"service_need_type": "princip", "reason": "Naboer gør indsigelse"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["service_need_type"] == "princip"
    assert body["events"][-1]["kind"] == "service_need_changed"
    assert body["events"][-1]["data"] == {"from": "", "to": "princip"}
    response = client.post(url, {"service_need_type": "princip", "reason": "Igen"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"service_need_type": ["Sagen har allerede den sagstype."]}
    other = api_for(staff.other_caseworker).post(
        url, {"service_need_type": "obs", "reason": "Ulovligt byggeri"}, format="json"
    )
    assert other.status_code == 404
    assert Case.objects.get(pk=case.pk).service_need_changes.count() == 1


def test_a_case_is_a_reason_to_open_the_partys_360(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive(cpr=CPR_A)
    overview = f"/api/v1/parties/{case.party_id}/overview/"
    assert api_for(staff.caseworker).get(overview).status_code == 200
    assert api_for(staff.other_caseworker).get(overview).status_code == 403


def test_administrator_migrates_history_with_at(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive(received_at=noon(30))
    url = f"{URL}{case.pk}/actions/"
    client = api_for(staff.admin)
    for action, days in (("start_screening", 29), ("mark_fully_informed", 20)):
        at = noon(days).isoformat()
        assert client.post(url, {"action": action, "at": at}, format="json").status_code == 200
    response = client.post(url, {"action": "start_assessment", "at": noon(25).isoformat()})
    assert response.status_code == 400
    assert list(response.json()) == ["at"]
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    response = client.post(url, {"action": "start_assessment", "at": future}, format="json")
    assert response.json() == {"at": ["En handling kan ikke dateres i fremtiden."]}
    body = client.get(f"{URL}{case.pk}/").json()
    assert body["state"] == "fully_informed"
    assert body["fully_informed_at"] == noon(20).isoformat()
    assert (body["clock"]["days_used"], body["clock"]["days_left"]) == (20, 20)
    assert body["clock"]["due_date"] == (timezone.localdate() + dt.timedelta(days=20)).isoformat()


def test_the_list_reads_a_constant_number_of_statements(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    client = api_for(staff.caseworker)
    receive()

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    one = statements()
    for _ in range(4):
        receive()
    assert statements() == one
