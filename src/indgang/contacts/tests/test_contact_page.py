"""The contact page: read through the contact rule and logged, edited with a history, notes,
attachments through the upload rules, re-routing, deadlines, case links and the thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import Settings

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.cases.models import CaseContact
from indgang.cases.services import NewApplication, receive_application
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, CPR_B, ApiFor, Org, RegisterContact, Staff, staff_client
from indgang.contacts.constants import ContactField, Outcome
from indgang.contacts.models import Contact, ContactChange, ContactNote
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.models import Deadline
from indgang.journal.models import Document
from indgang.organisation.selectors import get_scope
from indgang.triage.models import RoutingDecision

SUMMARY = "Spørger om tilslutning til fjernvarme"


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    """Danish pages, and attachments in a folder of the test's own."""
    settings.LANGUAGE_CODE = "da"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def contact(register: RegisterContact, staff: Staff, tasks: dict[str, Task]) -> Contact:
    """A building contact about district heating, handled by the building caseworker."""
    return register(
        by=staff.caseworker,
        summary=SUMMARY,
        cpr=CPR_A,
        task=tasks["heating"],
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
        duration_seconds=95,
    )


def changes_of(contact: Contact) -> list[tuple[str, str, str, str]]:
    return [
        (change.field, change.old_value, change.new_value, change.changed_by.username)
        for change in ContactChange.objects.filter(contact=contact).order_by("field")
    ]


def edit_form(contact: Contact, **fields: str) -> dict[str, str]:
    """The edit form as the page fills it in, with `fields` typed over it."""
    return {
        "summary": contact.summary,
        "channel": contact.channel,
        "outcome": contact.outcome,
        "duration_minutes": "2",  # 95 seconds, shown rounded
    } | fields


# --- Reading ---------------------------------------------------------------------------------


def test_a_name_stated_without_a_number_is_on_the_page(
    register: RegisterContact, staff: Staff, tasks: dict[str, Task]
) -> None:
    contact = register(
        by=staff.caseworker, summary=SUMMARY, task=tasks["heating"], party_name="Ole Hansen"
    )

    html = staff_client(staff.caseworker).get(f"/contacts/{contact.pk}/").content.decode()

    assert "Ole Hansen <small>(oplyst)</small>" in html
    assert "Anonym" not in html


def test_the_page_shows_the_contact_and_logs_the_read(contact: Contact, staff: Staff) -> None:
    response = staff_client(staff.caseworker).get(f"/contacts/{contact.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert SUMMARY in html
    assert f'action="/contacts/{contact.pk}/edit/"' in html
    assert list(
        AccessLogEntry.objects.values_list("user__username", "party_id", "action", "purpose", "via")
    ) == [
        (
            "byg",
            contact.party_id,
            AccessAction.VIEWED_CONTACT,
            Purpose.CONTACT,
            Via.UI,
        )
    ]


def test_another_units_caseworker_gets_404_on_every_surface(
    contact: Contact, staff: Staff, api_for: ApiFor
) -> None:
    client = staff_client(staff.other_caseworker)
    api = api_for(staff.other_caseworker)

    answers = [
        client.get(f"/contacts/{contact.pk}/").status_code,
        client.post(f"/contacts/{contact.pk}/edit/", edit_form(contact, summary="x")).status_code,
        client.post(f"/contacts/{contact.pk}/notes/", {"text": "x"}).status_code,
        client.post(f"/contacts/{contact.pk}/reroute/", {"task": contact.task_id}).status_code,
        client.post(f"/contacts/{contact.pk}/cases/", {"case": "1"}).status_code,
        api.get(f"/api/v1/contacts/{contact.pk}/changes/").status_code,
        api.get(f"/api/v1/contacts/{contact.pk}/notes/").status_code,
        api.patch(f"/api/v1/contacts/{contact.pk}/", {"summary": "x"}, format="json").status_code,
    ]

    assert answers == [404] * 8
    contact.refresh_from_db()
    assert contact.summary == SUMMARY
    assert not ContactChange.objects.exists()
    assert not ContactNote.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_the_front_line_sees_another_departments_contact_for_routing_only(
    contact: Contact, staff: Staff
) -> None:
    response = staff_client(staff.frontline).get(f"/contacts/{contact.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert SUMMARY not in html
    assert f"/contacts/{contact.pk}/edit/" not in html
    assert f"/contacts/{contact.pk}/notes/" not in html
    assert f"/contacts/{contact.pk}/reroute/" in html
    assert (
        staff_client(staff.frontline)
        .post(f"/contacts/{contact.pk}/edit/", edit_form(contact, summary="Ændret"))
        .status_code
        == 404
    )


def test_the_thread_around_the_contact_is_linked_in_order(
    contact: Contact, register: RegisterContact, staff: Staff
) -> None:
    later = register(
        by=staff.caseworker,
        cpr=CPR_A,
        thread=contact.thread,
        summary="Ringer igen om fjernvarmen",
        received_at=contact.received_at + dt.timedelta(minutes=2),
    )
    elsewhere = register(by=staff.caseworker, cpr=CPR_B, summary="Noget helt andet")

    html = staff_client(staff.caseworker).get(f"/contacts/{contact.pk}/").content.decode()

    assert html.index(f'href="/contacts/{contact.pk}/"') < html.index(
        f'href="/contacts/{later.pk}/"'
    )
    assert "Ringer igen om fjernvarmen" in html
    assert f'href="/contacts/{elsewhere.pk}/"' not in html


def test_the_page_costs_the_same_statements_however_long_the_thread(
    contact: Contact, register: RegisterContact, staff: Staff
) -> None:
    client = staff_client(staff.caseworker)
    client.get(f"/contacts/{contact.pk}/")  # the session and scope are warm from here on

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/contacts/{contact.pk}/").status_code == 200
        return len(captured)

    alone = statements()
    for minutes in range(1, 8):
        register(
            by=staff.caseworker,
            cpr=CPR_A,
            thread=contact.thread,
            summary=f"Opfølgning {minutes}",
            received_at=contact.received_at + dt.timedelta(minutes=minutes),
        )
        client.post(f"/contacts/{contact.pk}/notes/", {"text": f"Note {minutes}"})
    client.post(f"/contacts/{contact.pk}/edit/", edit_form(contact, channel=Channel.EMAIL))

    assert statements() == alone <= 17


# --- Editing ---------------------------------------------------------------------------------


def test_an_edit_writes_one_history_row_per_changed_field(contact: Contact, staff: Staff) -> None:
    client = staff_client(staff.caseworker)

    response = client.post(
        f"/contacts/{contact.pk}/edit/",
        edit_form(
            contact,
            summary="Spørger om fjernvarme og varmepumpe",
            channel=Channel.EMAIL,
            outcome=Outcome.FORWARDED,
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert changes_of(contact) == [
        (ContactField.CHANNEL, "phone", "email", "byg"),
        (ContactField.OUTCOME, "resolved_at_first_contact", "forwarded", "byg"),
        (ContactField.SUMMARY, SUMMARY, "Spørger om fjernvarme og varmepumpe", "byg"),
    ]
    contact.refresh_from_db()
    assert (contact.channel, contact.outcome, contact.duration_seconds) == (
        "email",
        "forwarded",
        95,
    )
    html = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert '<td class="old">Telefon</td><td class="new">E-mail</td>' in html


def test_a_changed_duration_is_kept_in_seconds(contact: Contact, staff: Staff) -> None:
    staff_client(staff.caseworker).post(
        f"/contacts/{contact.pk}/edit/", edit_form(contact, duration_minutes="4")
    )

    assert changes_of(contact) == [(ContactField.DURATION, "95", "240", "byg")]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summary": "   "}, "summary"),
        ({"summary": "x" * 10_001}, "summary"),
        ({"channel": "pigeon"}, "channel"),
        ({"duration_minutes": "1441"}, "duration_minutes"),
        ({"duration_minutes": "-1"}, "duration_minutes"),
    ],
)
def test_a_refused_edit_says_why_and_changes_nothing(
    contact: Contact, staff: Staff, fields: dict[str, str], field: str
) -> None:
    response = staff_client(staff.caseworker).post(
        f"/contacts/{contact.pk}/edit/", edit_form(contact, **fields)
    )

    assert response.status_code == 400
    assert field in response.context["edit_form"].errors
    contact.refresh_from_db()
    assert (contact.summary, contact.channel, contact.duration_seconds) == (SUMMARY, "phone", 95)
    assert not ContactChange.objects.exists()


def test_an_unchanged_edit_writes_no_history(contact: Contact, staff: Staff) -> None:
    staff_client(staff.caseworker).post(f"/contacts/{contact.pk}/edit/", edit_form(contact))

    assert not ContactChange.objects.exists()


def test_a_promised_call_back_starts_its_clock(contact: Contact, staff: Staff) -> None:
    staff_client(staff.caseworker).post(
        f"/contacts/{contact.pk}/edit/", edit_form(contact, outcome=Outcome.CALLBACK_PROMISED)
    )

    assert list(Deadline.objects.filter(subject_id=contact.pk).values_list("kind", flat=True)) == [
        DeadlineKind.CALLBACK
    ]


# --- Notes, attachments, deadlines, cases ----------------------------------------------------


def test_an_internal_note_is_kept_with_its_writer(contact: Contact, staff: Staff) -> None:
    client = staff_client(staff.caseworker)

    refused = client.post(f"/contacts/{contact.pk}/notes/", {"text": "   "})
    added = client.post(f"/contacts/{contact.pk}/notes/", {"text": "Borgeren ringer fra arbejde"})

    assert refused.status_code == 400
    assert added.status_code == 302
    assert list(ContactNote.objects.values_list("contact_id", "text", "written_by__username")) == [
        (contact.pk, "Borgeren ringer fra arbejde", "byg")
    ]
    assert "Borgeren ringer fra arbejde" in client.get(f"/contacts/{contact.pk}/").content.decode()


def test_an_attachment_follows_the_upload_rules(contact: Contact, staff: Staff) -> None:
    client = staff_client(staff.caseworker)
    form = {"direction": "received", "title": "Foto af måler", "dated": "2026-01-05"}

    refused = client.post(
        f"/contacts/{contact.pk}/attach/",
        form
        | {"file": SimpleUploadedFile("maaler.pdf", b"<html><script>alert(1)</script></html>")},
    )
    accepted = client.post(
        f"/contacts/{contact.pk}/attach/",
        form | {"file": SimpleUploadedFile("maaler.pdf", b"%PDF-1.4\n%%EOF\n")},
    )

    assert refused.status_code == 400
    assert "file" in refused.context["document_form"].errors
    assert accepted.status_code == 302
    assert list(Document.objects.values_list("subject_id", "title", "content_type")) == [
        (contact.pk, "Foto af måler", "application/pdf")
    ]
    document = Document.objects.get()
    assert (
        f"/documents/{document.pk}/content/"
        in client.get(f"/contacts/{contact.pk}/").content.decode()
    )
    assert client.get(f"/documents/{document.pk}/content/").status_code == 200
    assert (
        staff_client(staff.other_caseworker).get(f"/documents/{document.pk}/content/").status_code
        == 404
    )


def test_a_deadline_started_on_the_page_returns_there_when_refused(
    contact: Contact, staff: Staff
) -> None:
    client = staff_client(staff.caseworker)
    page = f"/contacts/{contact.pk}/"

    refused = client.post(f"/contacts/{contact.pk}/deadlines/", {"kind": "complaint", "next": page})
    started = client.post(f"/contacts/{contact.pk}/deadlines/", {"kind": "callback", "next": page})

    assert refused["Location"] == page
    assert started.status_code == 302
    assert list(Deadline.objects.values_list("kind", "subject_id")) == [
        (DeadlineKind.CALLBACK, contact.pk)
    ]
    assert "/deadlines/" in client.get(page).content.decode()


def test_a_contact_is_linked_to_a_case_the_user_may_see(
    contact: Contact, staff: Staff, org: Org
) -> None:
    case = receive_application(
        new=NewApplication(
            area="building",
            category_code="building-single-family",
            received_at=timezone.now() - dt.timedelta(days=3),
            cpr=CPR_A,
            property_address="Byvej 1, 9999 Testby",
            unit=org.building_unit,
        ),
        received_by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )
    client = staff_client(staff.caseworker)

    missing = client.post(f"/contacts/{contact.pk}/cases/", {"case": str(case.pk + 1000)})
    linked = client.post(f"/contacts/{contact.pk}/cases/", {"case": str(case.pk)})
    again = client.post(f"/contacts/{contact.pk}/cases/", {"case": str(case.pk)})

    assert (missing.status_code, linked.status_code, again.status_code) == (400, 302, 400)
    assert list(CaseContact.objects.values_list("case_id", "contact_id")) == [(case.pk, contact.pk)]
    assert f'href="/cases/{case.pk}/"' in client.get(f"/contacts/{contact.pk}/").content.decode()


# --- Re-routing ------------------------------------------------------------------------------


def test_a_reroute_moves_the_contact_and_writes_its_history(
    contact: Contact, staff: Staff, tasks: dict[str, Task], org: Org
) -> None:
    # Triage's rule: a contact resolved at first contact stays where it was handled, unless a
    # unit is named; a forwarded one moves to the task's unit.
    Contact.objects.filter(pk=contact.pk).update(outcome=Outcome.FORWARDED)

    response = staff_client(staff.caseworker).post(
        f"/contacts/{contact.pk}/reroute/", {"task": tasks["groundwater"].pk}
    )

    # The building caseworker no longer sees it: back to the list.
    assert response["Location"] == "/contacts/"
    contact.refresh_from_db()
    assert (contact.task_id, contact.unit_id, contact.department_id) == (
        tasks["groundwater"].pk,
        org.benefits_unit.pk,
        org.benefits_dept.pk,
    )
    assert changes_of(contact) == [
        (ContactField.KLE_TOPIC, "13.03.00", "13.02.17", "byg"),
        (ContactField.TASK, "Tilslutning til fjernvarme", "Bortledning af grundvand", "byg"),
        (ContactField.UNIT, str(org.building_unit), str(org.benefits_unit), "byg"),
    ]
    assert RoutingDecision.objects.filter(contact=contact, decided_by=staff.caseworker).exists()
    assert staff_client(staff.other_caseworker).get(f"/contacts/{contact.pk}/").status_code == 200


# --- API -------------------------------------------------------------------------------------


def test_the_api_patches_through_the_same_service_and_reads_the_history(
    contact: Contact, staff: Staff, api_for: ApiFor
) -> None:
    api = api_for(staff.caseworker)

    patched = api.patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"channel": "email", "duration_seconds": 300},
        format="json",
    )
    refused = api.patch(f"/api/v1/contacts/{contact.pk}/", {"summary": " "}, format="json")
    history = api.get(f"/api/v1/contacts/{contact.pk}/changes/")

    assert patched.status_code == 200
    assert (patched.json()["channel"], patched.json()["duration_seconds"]) == ("email", 300)
    assert refused.status_code == 400
    assert "summary" in refused.json()
    assert [
        (row["field"], row["old_value"], row["new_value"], row["changed_by"])
        for row in history.json()
    ] == [("channel", "phone", "email", "byg"), ("duration_seconds", "95", "300", "byg")]
    assert (
        AccessLogEntry.objects.filter(
            party=contact.party, action=AccessAction.VIEWED_CONTACT, via=Via.API
        ).count()
        == 1
    )


def test_the_api_reroutes_with_a_task_and_refuses_a_unit_alone(
    contact: Contact, staff: Staff, api_for: ApiFor, tasks: dict[str, Task], org: Org
) -> None:
    api = api_for(staff.admin)

    alone = api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"unit": org.benefits_unit.pk}, format="json"
    )
    routed = api.patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"task": tasks["groundwater"].pk, "unit": org.benefits_unit.pk},
        format="json",
    )

    assert alone.status_code == 400
    assert routed.status_code == 200
    assert (routed.json()["task"], routed.json()["unit"]) == (
        tasks["groundwater"].pk,
        org.benefits_unit.pk,
    )
    assert [field for field, *_ in changes_of(contact)] == ["kle_topic", "task", "unit"]


def test_the_api_adds_and_lists_notes(contact: Contact, staff: Staff, api_for: ApiFor) -> None:
    api = api_for(staff.caseworker)

    added = api.post(
        f"/api/v1/contacts/{contact.pk}/notes/", {"text": "Aftalt opkald kl. 10"}, format="json"
    )
    blank = api.post(f"/api/v1/contacts/{contact.pk}/notes/", {"text": ""}, format="json")
    listed = api.get(f"/api/v1/contacts/{contact.pk}/notes/")

    assert (added.status_code, blank.status_code, listed.status_code) == (201, 400, 200)
    assert [(row["text"], row["written_by"]) for row in listed.json()] == [
        ("Aftalt opkald kl. 10", "byg")
    ]
