"""Triage's explanations are the contact's own words: read through the redaction rule."""

from __future__ import annotations

import re

from django.test import override_settings
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, ApiFor, Org, RegisterContact, Staff, staff_client
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.triage.models import QueueItem
from indgang.triage.services import triage_contact

SUMMARY = "Der er rotter i haven bag carporten"


def _queued(register: RegisterContact, staff: Staff, org: Org) -> QueueItem:
    """A benefits contact waiting in the queue, with words that explain its suggestions."""
    contact = register(
        by=staff.other_caseworker, cpr=CPR_A, summary=SUMMARY, outcome=Outcome.CALLBACK_PROMISED
    )
    with override_settings(TRIAGE_THRESHOLD=1.01):
        item = triage_contact(contact=contact, now=timezone.now())
    assert isinstance(item, QueueItem)
    assert item.suggested[0]["words"] == ["rotter"]
    return item


def _row(html: str, item: QueueItem) -> str:
    rows: list[str] = re.findall(r"<tr>.*?</tr>", html, flags=re.DOTALL)
    (row,) = [row for row in rows if f"/triage/{item.pk}/route/" in row]
    return row


def test_the_front_line_routes_another_departments_contact_without_its_words(
    staff: Staff, org: Org, register: RegisterContact, catalogue: dict[str, Task]
) -> None:
    item = _queued(register, staff, org)
    html = staff_client(staff.frontline).get("/triage/").content.decode()

    row = _row(html, item)
    assert "En anden forvaltnings henvendelse" in row
    assert "<strong>Rotter</strong>" in row  # the suggestion itself, to route by
    assert SUMMARY not in row and "På grund af" not in row
    assert AccessLogEntry.objects.filter(action="listed_contacts").count() == 1


def test_the_department_sees_the_words_that_explain_the_suggestions(
    staff: Staff, org: Org, register: RegisterContact, catalogue: dict[str, Task]
) -> None:
    item = _queued(register, staff, org)
    row = _row(staff_client(staff.other_caseworker).get("/triage/").content.decode(), item)

    assert SUMMARY in row and "På grund af: rotter" in row


def test_the_routing_answer_leaves_out_the_words_the_router_may_not_read(
    api_for: ApiFor, staff: Staff, org: Org, register: RegisterContact, catalogue: dict[str, Task]
) -> None:
    item = _queued(register, staff, org)

    response = api_for(staff.frontline).post(
        f"/api/v1/contacts/{item.contact_id}/routing/",
        {"task": catalogue["rats"].pk},
        format="json",
    )

    assert response.status_code == 201
    assert [row["words"] for row in response.json()["suggested"]] == [[]] * len(item.suggested)
    assert Contact.objects.get(pk=item.contact_id).task == catalogue["rats"]
