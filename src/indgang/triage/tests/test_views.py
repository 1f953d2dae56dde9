from __future__ import annotations

import re

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, PASSWORD, Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.triage.constants import Verdict
from indgang.triage.models import QueueItem, RoutingDecision
from indgang.triage.services import triage_contact


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=username, password=PASSWORD)
    return client


def test_front_desk_includes_the_live_suggestion_panel(staff: Staff) -> None:
    html = client_for("front").get("/front-desk/").content.decode()

    assert 'id="triage-suggestions"' in html
    assert 'hx-post="/triage/suggestions/"' in html
    assert "from:#id_summary" in html


def test_panel_offers_the_suggestions_as_task_radios_with_their_words(
    staff: Staff, catalogue: dict[str, Task]
) -> None:
    response = client_for("front").post(
        "/triage/suggestions/",
        {"summary": "Der er rotter i haven", "task": str(catalogue["rats"].pk)},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<input type="radio" name="task" value="{catalogue["rats"].pk}" checked>' in html
    # Two tasks, and a topic no task owns that cannot be chosen, with its main group's owner.
    assert html.count('type="radio" name="task"') == 2
    assert re.search(
        r"13\.01\.00 [^<]+</strong>\s*<small>Ingen opgave i kataloget</small>\s*· BTF", html
    )
    assert "09.13.01 Rottebekæmpelse" in html
    assert "På grund af: rotter" in html
    assert "visiteres den automatisk til “Rotter”" in html


def test_panel_is_empty_for_an_empty_summary(staff: Staff, catalogue: dict[str, Task]) -> None:
    response = client_for("front").post("/triage/suggestions/", {"summary": " "})

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_front_desk_registration_with_a_task_records_the_routing(
    staff: Staff, catalogue: dict[str, Task]
) -> None:
    response = client_for("front").post(
        "/front-desk/",
        {
            "channel": "phone",
            "summary": "Der er rotter i haven",
            "task": catalogue["heating"].pk,
            "outcome": "resolved_at_first_contact",
        },
    )

    assert response.status_code == 302
    decision = RoutingDecision.objects.get()
    assert decision.verdict == Verdict.CORRECTED
    assert decision.suggested_task == catalogue["rats"]
    assert decision.task == catalogue["heating"]
    assert decision.decided_by == staff.frontline


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_front_desk_registration_without_a_task_queues_an_unsure_contact(
    staff: Staff, catalogue: dict[str, Task], org: Org
) -> None:
    client_for("front").post(
        "/front-desk/",
        {"channel": "email", "summary": "Spørgsmål til et brev", "outcome": "callback_promised"},
    )

    item = QueueItem.objects.get()
    assert item.contact.task is None
    assert item.contact.unit == org.contact_centre
    assert RoutingDecision.objects.count() == 0


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_an_unsure_contact_resolved_at_the_front_desk_is_queued_to_be_classified_only(
    staff: Staff, catalogue: dict[str, Task], org: Org
) -> None:
    client = client_for("front")
    client.post(
        reverse("front-desk"),
        {
            "channel": "phone",
            "summary": "Spørgsmål til et brev",
            "outcome": "resolved_at_first_contact",
        },
    )
    item = QueueItem.objects.get()
    assert (item.contact.task, item.contact.outcome) == (None, Outcome.RESOLVED_AT_FIRST_CONTACT)

    html = client.get(reverse("triage-queue")).content.decode()
    # The queue marks it and offers no other unit: it is resolved where it was handled.
    assert "Løst: vælg kun opgaven" in html
    assert f'id="unit-{item.pk}"' not in html
    refused = client.post(
        reverse("triage-route", args=[item.pk]),
        {"task": catalogue["rats"].pk, "unit": org.building_unit.pk},
        follow=True,
    )
    assert "Henvendelsen blev løst ved første kontakt: vælg kun dens opgave." in (
        refused.content.decode()
    )
    assert RoutingDecision.objects.count() == 0
    client.post(reverse("triage-route", args=[item.pk]), {"task": catalogue["rats"].pk})

    contact = Contact.objects.get(pk=item.contact_id)
    assert (contact.task, contact.unit, contact.handled_by) == (
        catalogue["rats"],
        org.contact_centre,
        staff.frontline,
    )


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_queue_lists_waiting_contacts_logs_the_read_and_routes_one(
    staff: Staff, catalogue: dict[str, Task], register: RegisterContact, org: Org
) -> None:
    contact = register(cpr=CPR_A, party_name="Karen Jensen", summary="Spørgsmål til et brev")
    item = triage_contact(contact=contact, now=timezone.now())
    assert isinstance(item, QueueItem)
    client = client_for("front")

    page = client.get("/triage/")
    routed = client.post(
        f"/triage/{item.pk}/route/",
        {"task": catalogue["groundwater"].pk, "other_task": catalogue["rats"].pk},
        follow=True,
    )

    html = page.content.decode()
    assert "Spørgsmål til et brev" in html
    assert "1 henvendelse venter på visitering." in html
    assert (
        AccessLogEntry.objects.filter(
            party=contact.party, action="listed_contacts", purpose="routing", via="ui"
        ).count()
        == 1
    )
    assert "Visiteret til Rotter (Byggesager (BTF))." in routed.content.decode()
    assert "Køen er tom." in routed.content.decode()
    contact = Contact.objects.get(pk=contact.pk)
    assert (contact.task, contact.unit) == (catalogue["rats"], org.building_unit)
    assert RoutingDecision.objects.get().verdict == Verdict.CORRECTED


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_queue_refuses_a_missing_task_in_danish_and_changes_nothing(
    staff: Staff, catalogue: dict[str, Task], register: RegisterContact
) -> None:
    item = triage_contact(contact=register(summary="Spørgsmål til et brev"), now=timezone.now())
    assert isinstance(item, QueueItem)

    response = client_for("front").post(f"/triage/{item.pk}/route/", {}, follow=True)

    assert "Vælg den opgave, henvendelsen handler om." in response.content.decode()
    item.refresh_from_db()
    assert item.routed_at is None
    assert RoutingDecision.objects.count() == 0


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_a_caseworker_does_not_see_other_departments_queued_contacts(
    staff: Staff, catalogue: dict[str, Task], register: RegisterContact
) -> None:
    triage_contact(contact=register(summary="Spørgsmål til et brev"), now=timezone.now())

    html = client_for("ydelse").get("/triage/").content.decode()

    assert "Spørgsmål til et brev" not in html
    assert "Køen er tom." in html
