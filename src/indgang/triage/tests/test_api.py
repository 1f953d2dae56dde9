from __future__ import annotations

from typing import Any

from django.test import override_settings
from django.utils import timezone

from indgang.catalogue.models import Task
from indgang.conftest import ApiFor, Org, RegisterContact, Staff
from indgang.triage.constants import Verdict
from indgang.triage.models import ModelVersion, QueueItem, RoutingDecision
from indgang.triage.services import triage_contact


def test_suggest_returns_the_top_three_with_topic_unit_confidence_and_words(
    api_for: ApiFor, staff: Staff, catalogue: dict[str, Task], org: Org
) -> None:
    response = api_for(staff.frontline).post(
        "/api/v1/triage/suggest/", {"text": "Der er rotter i haven"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["model_version"] is None
    assert body["threshold"] == 0.5
    assert body["confident"] is True
    assert len(body["suggestions"]) == 3
    first: dict[str, Any] = body["suggestions"][0]
    assert {key: first[key] for key in first if key != "confidence"} == {
        "task": catalogue["rats"].pk,
        "task_title": "Rotter",
        "kle_topic": "09.13.01",
        "kle_title": "Rottebekæmpelse",
        "unit": org.building_unit.pk,
        "unit_name": "Byggesager",
        "department": "BTF",
        "words": ["rotter"],
    }
    assert first["confidence"] > 0.9


def test_suggest_refuses_bad_input_in_danish_and_stores_nothing(
    api_for: ApiFor, staff: Staff, catalogue: dict[str, Task]
) -> None:
    client = api_for(staff.frontline)

    blank = client.post("/api/v1/triage/suggest/", {"text": "  "}, format="json")
    bad_channel = client.post(
        "/api/v1/triage/suggest/", {"text": "rotter", "channel": "fax"}, format="json"
    )

    assert blank.status_code == 400
    assert blank.json() == {"text": ["Skriv den tekst, der skal foreslås opgaver til."]}
    assert bad_channel.status_code == 400
    assert bad_channel.json() == {"channel": ["fax er ikke en kanal."]}
    assert ModelVersion.objects.count() == 0
    assert RoutingDecision.objects.count() == 0


def test_routing_feedback_routes_the_contact_and_records_a_label(
    api_for: ApiFor,
    staff: Staff,
    catalogue: dict[str, Task],
    org: Org,
    register: RegisterContact,
    django_capture_on_commit_callbacks: Any,
) -> None:
    contact = register(summary="rotter i haven")

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(staff.frontline).post(
            f"/api/v1/contacts/{contact.pk}/routing/",
            {"task": catalogue["building"].pk, "unit": org.benefits_unit.pk},
            format="json",
        )

    assert response.status_code == 201
    body = response.json()
    assert body["verdict"] == Verdict.CORRECTED
    assert body["task"] == catalogue["building"].pk
    assert body["kle_topic"] == "02.34.02"
    assert body["unit"] == org.benefits_unit.pk
    assert body["suggested_task"] == catalogue["rats"].pk
    contact.refresh_from_db()
    assert (contact.task, contact.unit, contact.department) == (
        catalogue["building"],
        org.benefits_unit,
        org.benefits_dept,
    )
    assert ModelVersion.objects.get().examples == 1  # retrained in the background


def test_routing_feedback_with_bad_input_is_refused_in_danish_and_stores_nothing(
    api_for: ApiFor,
    staff: Staff,
    catalogue: dict[str, Task],
    register: RegisterContact,
    org: Org,
) -> None:
    contact = register(summary="rotter i haven")
    client = api_for(staff.frontline)
    url = f"/api/v1/contacts/{contact.pk}/routing/"
    Task.objects.filter(pk=catalogue["heating"].pk).update(is_active=False)

    missing = client.post(url, {}, format="json")
    unknown = client.post(url, {"task": 99999, "kle_topic": "99.99.99"}, format="json")
    inactive = client.post(url, {"task": catalogue["heating"].pk}, format="json")

    assert missing.status_code == 400
    assert missing.json() == {"task": ["Vælg den opgave, henvendelsen handler om."]}
    assert unknown.status_code == 400
    assert unknown.json() == {
        "task": ["Opgave 99999 findes ikke i opgavekataloget."],
        "kle_topic": ["KLE-emnet 99.99.99 findes ikke."],
    }
    assert inactive.status_code == 400
    assert inactive.json() == {
        "task": ["Opgaven Tilslutning til fjernvarme er ikke længere i brug."]
    }
    contact.refresh_from_db()
    assert (contact.task, contact.unit) == (None, org.contact_centre)
    assert RoutingDecision.objects.count() == 0
    assert ModelVersion.objects.count() == 0


def test_a_caseworker_cannot_route_another_departments_contact(
    api_for: ApiFor, staff: Staff, catalogue: dict[str, Task], register: RegisterContact
) -> None:
    contact = register(summary="rotter i haven")

    response = api_for(staff.other_caseworker).post(
        f"/api/v1/contacts/{contact.pk}/routing/",
        {"task": catalogue["rats"].pk},
        format="json",
    )

    assert response.status_code == 404
    assert RoutingDecision.objects.count() == 0


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_routing_feedback_closes_the_queue_item(
    api_for: ApiFor, staff: Staff, catalogue: dict[str, Task], register: RegisterContact
) -> None:
    contact = register(summary="Jeg har et spørgsmål til et brev")
    triage_contact(contact=contact, now=timezone.now())

    response = api_for(staff.frontline).post(
        f"/api/v1/contacts/{contact.pk}/routing/", {"task": catalogue["rats"].pk}, format="json"
    )

    assert response.status_code == 201
    assert QueueItem.objects.get().routed_at is not None
    assert response.json()["suggested"] == QueueItem.objects.get().suggested


def test_the_openapi_schema_documents_both_endpoints(api_for: ApiFor, staff: Staff) -> None:
    schema = api_for(staff.frontline).get("/api/schema/?format=json").json()

    assert "/api/v1/triage/suggest/" in schema["paths"]
    assert "/api/v1/contacts/{contact_id}/routing/" in schema["paths"]
    routing = schema["paths"]["/api/v1/contacts/{contact_id}/routing/"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "413", "415"} <= set(routing["responses"])
