"""The workflow's API: the detail with the suggestion and checklist, and the endpoints for
checklists, deficiency letters, hearings and parties; Danish 400s that store nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.cases.models import Case, CaseParty, DeficiencyItem, Hearing
from indgang.cases.services import change_service_need_type
from indgang.cases.tests.conftest import Act, Receive
from indgang.conftest import CPR_B, CVR_A, ApiFor, RegisterContact, Staff
from indgang.organisation.selectors import get_scope
from indgang.parties.services import get_or_create_citizen, get_or_create_company

pytestmark = pytest.mark.django_db


def url(case: Case, what: str = "") -> str:
    return f"/api/v1/cases/{case.pk}/{what}"


def in_days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def test_the_detail_shows_the_suggestion_and_the_checklist(
    api_for: ApiFor, staff: Staff, receive: Receive, act: Act
) -> None:
    case = act(receive(), "start_screening")
    change_service_need_type(
        case_id=case.pk,
        to_type="klar_parat",
        reason="Erfaren ansøger",
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )
    client = api_for(staff.caseworker)
    body = client.get(url(case)).json()
    assert body["suggested_service_need"] == {
        "type": "klar_parat",
        "reasons": ["Intet kendt peger på mere end klar-parat."],
    }
    assert [item["text"] for item in body["checklist"]][:1] == [
        "Screen sagen med henblik på straksafgørelse."
    ]
    item = body["checklist"][0]["id"]
    response = client.post(url(case, "checklist/"), {"item": item, "done": True}, format="json")
    assert response.status_code == 200
    ticked = response.json()["checklist"][0]
    assert (ticked["done_by"], ticked["done_at"] is not None) == ("byg", True)
    response = client.post(url(case, "checklist/"), {"item": item, "done": True}, format="json")
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": ["Punktet er allerede klaret."]}


def test_the_detail_reads_a_constant_number_of_statements(
    api_for: ApiFor, staff: Staff, receive: Receive, act: Act
) -> None:
    case = act(receive(), "start_screening")
    client = api_for(staff.caseworker)

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(case)).status_code == 200
        return len(queries)

    one = statements()
    adviser = get_or_create_company(cvr=CVR_A, name="Rådgiverne ApS")
    neighbour = get_or_create_citizen(cpr=CPR_B, name="Nabo")
    for party, role in ((adviser, "adviser"), (neighbour, "neighbour")):
        assert (
            client.post(url(case, "parties/"), {"party": party.pk, "role": role}).status_code == 200
        )
    client.post(
        url(case, "deficiency-letter/"),
        {"items": ["Snittegning", "Facade"], "reply_by": in_days(14)},
        format="json",
    )
    for _ in range(3):
        receive(cpr=CPR_B)
    assert statements() == one


def test_deficiency_letter_answer_and_waiver(
    api_for: ApiFor, staff: Staff, receive: Receive, act: Act
) -> None:
    case = act(receive(), "start_screening")
    client = api_for(staff.caseworker)
    response = client.post(
        url(case, "deficiency-letter/"),
        {"items": ["Snittegning", "Statik"], "reply_by": in_days(14)},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["deficiency_reply_by"]) == ("deficiency_letter_sent", in_days(14))
    drawing, statics = (item["id"] for item in body["deficiency_items"])
    response = client.post(
        url(case, "deficiency-answer/"),
        {"answered": [{"item": drawing, "note": "Modtaget"}]},
        format="json",
    )
    assert response.status_code == 200
    response = client.post(url(case, "actions/"), {"action": "mark_fully_informed"})
    assert response.status_code == 409
    assert response.json() == {
        "non_field_errors": [
            "Ansøgningen mangler stadig: Statik. Vent på svaret, eller frafald punktet."
        ]
    }
    response = client.post(
        url(case, "deficiency-waiver/"), {"item": statics, "reason": "Ikke nødvendig"}
    )
    assert [item["waived_reason"] for item in response.json()["deficiency_items"]] == [
        "",
        "Ikke nødvendig",
    ]
    response = client.post(url(case, "actions/"), {"action": "mark_fully_informed"})
    assert response.json()["state"] == "fully_informed"
    assert response.json()["suggested_service_need"]["type"] == "vejledning"


@pytest.mark.parametrize(
    ("what", "body", "errors"),
    [
        (
            "deficiency-letter/",
            {"items": [], "reply_by": "2026-13-01"},
            {"items", "reply_by"},
        ),
        ("deficiency-letter/", {"items": ["x"] * 51, "reply_by": "2030-01-01"}, {"items"}),
        (
            "hearings/",
            {"kind": "loud", "reply_by": "2030-01-01", "parties": [0]},
            {"kind", "parties"},
        ),
        (
            "hearing-replies/",
            {"hearing": 1, "party": 1, "objects": "maybe"},
            {"received_at", "objects", "summary"},
        ),
        ("parties/", {"party": "x", "role": "boss"}, {"party", "role"}),
        ("checklist/", {"item": -1}, {"item", "done"}),
    ],
)
def test_bad_input_is_a_danish_400_that_stores_nothing(
    api_for: ApiFor,
    staff: Staff,
    receive: Receive,
    act: Act,
    what: str,
    body: dict[str, Any],
    errors: set[str],
) -> None:
    case = act(receive(), "start_screening")
    events = case.events.count()
    response = api_for(staff.caseworker).post(url(case, what), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == errors
    assert case.events.count() == events
    assert (DeficiencyItem.objects.count(), Hearing.objects.count()) == (0, 0)
    assert not CaseParty.objects.exists()


def test_hearing_and_objection_through_the_api(
    api_for: ApiFor, staff: Staff, receive: Receive, act: Act
) -> None:
    case = act(act(receive(), "start_screening"), "mark_fully_informed")
    neighbour = get_or_create_citizen(cpr=CPR_B, name="Nabo")
    client = api_for(staff.caseworker)
    response = client.post(
        url(case, "hearings/"),
        {"kind": "neighbour", "reply_by": in_days(14), "parties": [neighbour.pk]},
        format="json",
    )
    assert response.status_code == 200
    hearing = response.json()["hearings"][0]
    assert (hearing["kind"], hearing["parties"], response.json()["state"]) == (
        "neighbour",
        [neighbour.pk],
        "hearing",
    )
    response = client.post(
        url(case, "hearing-replies/"),
        {
            "hearing": hearing["id"],
            "party": neighbour.pk,
            "received_at": timezone.now().isoformat(),
            "objects": True,
            "summary": "Skygge",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert [(reply["party"], reply["objects"]) for reply in body["hearings"][0]["replies"]] == [
        (neighbour.pk, True)
    ]
    assert body["suggested_service_need"] == {
        "type": "princip",
        "reasons": ["1 indsigelse i høringerne."],
    }


def test_another_departments_case_is_404_for_every_workflow_endpoint(
    api_for: ApiFor, staff: Staff, receive: Receive, act: Act
) -> None:
    case = act(receive(), "start_screening")
    client = api_for(staff.other_caseworker)
    response = client.post(
        url(case, "deficiency-letter/"),
        {"items": ["Snittegning"], "reply_by": in_days(14)},
        format="json",
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).state == "screening"


def test_contacts_link_to_a_case_and_intake_takes_one(
    api_for: ApiFor, staff: Staff, receive: Receive, register: RegisterContact
) -> None:
    case = receive()
    first = register(staff.caseworker, cpr=CPR_B)
    client = api_for(staff.caseworker)
    response = client.post(url(case, "contacts/"), {"contact": first.pk})
    assert (response.status_code, response.json()["contacts"]) == (200, [first.pk])
    response = client.post(url(case, "contacts/"), {"contact": first.pk})
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": ["Henvendelsen er allerede knyttet til sagen."]}
    body = {
        "area": "building",
        "category": "building-simple",
        "received_at": timezone.now().isoformat(),
        "property_address": "Byvej 2, 9999 Testby",
        "contact": first.pk,
    }
    response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["party"], response.json()["contacts"]) == (first.party_id, [first.pk])
