"""The API of the case screen's own writes: notes, documents (upload, list, download through
the case), "Tag sagen", and the work list's search; Danish 400s that store nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.cases.models import Case, CaseEvent, CaseParty
from indgang.cases.tests.conftest import Receive
from indgang.conftest import CPR_B, CVR_A, ApiFor, Staff
from indgang.journal.models import Document
from indgang.journal.tests.test_documents import tiny_pdf
from indgang.parties.models import Party

pytestmark = pytest.mark.django_db


def url(case: Case, what: str = "") -> str:
    return f"/api/v1/cases/{case.pk}/{what}"


def test_a_note_is_posted_and_a_blank_one_refused(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive()
    client = api_for(staff.caseworker)
    response = client.post(url(case, "notes/"), {"text": "Ringede"}, format="json")
    assert response.status_code == 200
    assert list(CaseEvent.objects.filter(case=case, kind="note").values_list("note")) == [
        ("Ringede",)
    ]
    response = client.post(url(case, "notes/"), {"text": " "}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"text": ["Dette felt må ikke være tomt."]},
    )
    response = api_for(staff.other_caseworker).post(
        url(case, "notes/"), {"text": "Hej"}, format="json"
    )
    assert response.status_code == 404
    assert CaseEvent.objects.filter(case=case, kind="note").count() == 1


def test_a_document_is_uploaded_listed_and_downloaded_through_the_case(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive()
    client = api_for(staff.caseworker)
    upload = SimpleUploadedFile("tegning.pdf", tiny_pdf(), content_type="application/pdf")
    response = client.post(
        url(case, "documents/"),
        {"title": "Tegning", "dated": timezone.localdate().isoformat(), "file": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    document = Document.objects.get(direction="received")
    download = f"http://testserver/api/v1/cases/{case.pk}/documents/{document.pk}/"
    assert response.json() == {
        "id": document.pk,
        "title": "Tegning",
        "dated": timezone.localdate().isoformat(),
        "direction": "received",
        "file": download,
    }
    # Beside the receipt letter the intake filed.
    assert [each["title"] for each in client.get(url(case)).json()["documents"]] == [
        "Vi har modtaget din ansøgning",
        "Tegning",
    ]
    assert client.get(url(case)).json()["documents"][1] == response.json()

    AccessLogEntry.objects.all().delete()
    assert api_for(staff.other_caseworker).get(download).status_code == 404
    assert not AccessLogEntry.objects.exists()
    fetched = client.get(download)
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content) == tiny_pdf()  # type: ignore[attr-defined]
    assert list(AccessLogEntry.objects.values_list("party_id", "action", "via", "subject_id")) == [
        (case.party_id, "opened_document", "api", case.pk)
    ]
    other = receive()
    assert client.get(url(other, f"documents/{document.pk}/")).status_code == 404


def test_a_document_without_a_file_or_title_is_refused(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive()
    response = api_for(staff.caseworker).post(
        url(case, "documents/"), {"title": "", "dated": "1800-01-01"}, format="multipart"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "dated", "file"}
    assert not Document.objects.filter(direction="received").exists()


def test_take_makes_the_user_caseworker_once(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive()
    client = api_for(staff.caseworker)
    response = client.post(url(case, "take/"))
    assert (response.status_code, response.json()["caseworkers"]) == (200, [staff.caseworker.pk])
    response = client.post(url(case, "take/"))
    assert (response.status_code, response.json()) == (
        409,
        {"non_field_errors": ["Sagen har allerede en sagsbehandler."]},
    )


def test_the_api_work_list_searches_and_logs_the_applicants_shown(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    receive()
    second = receive(cpr=CPR_B, property_address="Skovvej 2, 9999 Testby")
    AccessLogEntry.objects.all().delete()
    response = api_for(staff.caseworker).get("/api/v1/cases/work-list/", {"q": "skovvej"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["id"], row["party"], row["has_caseworker"]) for row in rows] == [
        (second.pk, second.party_id, False)
    ]
    assert list(AccessLogEntry.objects.values_list("party_id", "action", "via")) == [
        (second.party_id, "listed_cases", "api")
    ]
    response = api_for(staff.caseworker).get("/api/v1/cases/work-list/", {"q": "x" * 201})
    assert response.status_code == 400


def test_a_party_is_added_by_number_and_a_bad_number_refused(
    api_for: ApiFor, staff: Staff, receive: Receive
) -> None:
    case = receive()
    client = api_for(staff.caseworker)
    response = client.post(
        url(case, "parties/by-number/"),
        {"role": "adviser", "cvr": CVR_A, "name": "Rådgiv A/S"},
        format="json",
    )
    assert response.status_code == 200
    adviser = Party.objects.get(cvr=CVR_A)
    assert (adviser.name, response.json()["other_parties"][0]["party"]) == (
        "Rådgiv A/S",
        adviser.pk,
    )
    parties = Party.objects.count()
    response = client.post(
        url(case, "parties/by-number/"), {"role": "owner", "cpr": "0101"}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["cpr"])
    assert (Party.objects.count(), CaseParty.objects.count()) == (parties, 1)
