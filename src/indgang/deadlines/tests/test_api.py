from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from indgang.common.subjects import subject_of
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import ApiFor, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.deadlines.constants import DeadlineStatus
from indgang.deadlines.models import Deadline, DeadlineChange, DeadlineNotice
from indgang.deadlines.services import sweep

pytestmark = pytest.mark.django_db
FRIDAY_AFTERNOON = dt.datetime(2026, 11, 20, 15, 40, tzinfo=COPENHAGEN)
WEDNESDAY_AFTERNOON = dt.datetime(2026, 11, 18, 15, 40, tzinfo=COPENHAGEN)


@pytest.fixture(autouse=True)
def _danish(settings: Any) -> None:
    settings.LANGUAGE_CODE = "da"


@pytest.fixture
def callback(register: RegisterContact) -> Deadline:
    contact = register(received_at=WEDNESDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    return Deadline.objects.get(**subject_of(contact))


def test_list_shows_deadlines_in_your_departments_most_urgent_first(
    api_for: ApiFor, staff: Staff, register: RegisterContact, callback: Deadline
) -> None:
    later = register(
        received_at=FRIDAY_AFTERNOON + dt.timedelta(minutes=5), outcome=Outcome.CALLBACK_PROMISED
    )

    body = api_for(staff.manager).get("/api/v1/deadlines/").json()

    assert [row["id"] for row in body["results"]] == [
        callback.pk,
        Deadline.objects.get(**subject_of(later)).pk,
    ]
    assert body["results"][0] | {"id": 0} == {
        "id": 0,
        "kind": "callback",
        "status": "open",
        "contact": callback.subject_id,
        "thread": None,
        "case": None,
        "department": callback.department_id,
        "unit": callback.unit_id,
        "owner": "front",
        "started_at": "2026-11-18T15:40:00+01:00",
        "due_at": "2026-11-19T15:40:00+01:00",
        "remind_at": "2026-11-19T13:40:00+01:00",
        "suspended_at": None,
        "completed_at": None,
        "stopped_by": "",
    }


def test_list_and_detail_refuse_another_departments_deadline_alike(
    api_for: ApiFor, staff: Staff, callback: Deadline
) -> None:
    client = api_for(staff.caseworker)

    assert client.get("/api/v1/deadlines/").json()["count"] == 0
    response = client.get(f"/api/v1/deadlines/{callback.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Findes ikke, eller du må ikke se den."}
    response = client.post(f"/api/v1/deadlines/{callback.pk}/complete/", {}, format="json")
    assert response.status_code == 404
    assert Deadline.objects.get(pk=callback.pk).status == DeadlineStatus.OPEN


def test_list_spends_the_same_queries_whatever_the_number_of_deadlines(
    api_for: ApiFor,
    staff: Staff,
    register: RegisterContact,
    django_assert_num_queries: Any,
) -> None:
    client = api_for(staff.manager)
    register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    with django_assert_num_queries(3) as few:
        client.get("/api/v1/deadlines/")
    for _ in range(5):
        register(received_at=FRIDAY_AFTERNOON, outcome=Outcome.CALLBACK_PROMISED)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/deadlines/").json()["count"] == 6


def test_start_suspend_resume_extend_notice_and_complete_through_the_api(
    api_for: ApiFor, staff: Staff, register: RegisterContact
) -> None:
    contact: Contact = register(by=staff.caseworker, received_at=FRIDAY_AFTERNOON)
    client = api_for(staff.caseworker)

    created = client.post(
        "/api/v1/deadlines/", {"contact": contact.pk, "kind": "aktindsigt"}, format="json"
    )
    assert created.status_code == 201
    deadline_id = created.json()["id"]
    assert created.json()["due_at"] == "2026-12-01T15:40:00+01:00"
    url = f"/api/v1/deadlines/{deadline_id}"

    suspended = client.post(f"{url}/suspend/", {"reason": "Venter på borger"}, format="json")
    assert suspended.json()["status"] == "suspended"
    resumed = client.post(f"{url}/resume/", {}, format="json")
    assert resumed.json()["status"] == "open"
    extended = client.post(
        f"{url}/extend/",
        {"due_at": "2026-12-10T12:00:00+01:00", "reason": "Mange dokumenter"},
        format="json",
    )
    assert extended.json()["due_at"] == "2026-12-10T12:00:00+01:00"
    later = (timezone.now() + dt.timedelta(days=40)).astimezone(COPENHAGEN).replace(microsecond=0)
    notice = client.post(
        f"{url}/notices/",
        {"reason": "Dokumenter hos anden myndighed", "expected_at": later.isoformat()},
        format="json",
    )
    assert notice.status_code == 201
    assert notice.json()["reason"] == "Dokumenter hos anden myndighed"
    done = client.post(f"{url}/complete/", {"stopped_by": "decision_sent"}, format="json")

    assert done.json()["status"] == "completed"
    assert done.json()["stopped_by"] == "decision_sent"
    assert [c["action"] for c in done.json()["changes"]] == [
        "started",
        "suspended",
        "resumed",
        "extended",
        "notice",
        "completed",
    ]
    assert [n["reason"] for n in done.json()["notices"]] == ["Dokumenter hos anden myndighed"]


def test_bad_input_gets_danish_messages_and_changes_nothing(
    api_for: ApiFor, staff: Staff, register: RegisterContact, callback: Deadline
) -> None:
    contact = register(by=staff.caseworker, received_at=FRIDAY_AFTERNOON)
    client = api_for(staff.manager)

    no_length = api_for(staff.caseworker).post(
        "/api/v1/deadlines/", {"contact": contact.pk, "kind": "partshoering"}, format="json"
    )
    assert no_length.status_code == 400
    assert no_length.json() == {
        "due_at": ["Partshøring har ingen fast længde: angiv en frist eller en længde i dage."]
    }
    hidden = client.post(
        "/api/v1/deadlines/", {"contact": contact.pk, "kind": "aktindsigt"}, format="json"
    )
    assert hidden.json() == {"contact": [f"Henvendelse {contact.pk} findes ikke."]}
    earlier = client.post(
        f"/api/v1/deadlines/{callback.pk}/extend/",
        {"due_at": "2026-11-19T10:00:00+01:00", "reason": "x"},
        format="json",
    )
    assert earlier.status_code == 400
    assert earlier.json() == {"due_at": ["Den nye frist skal ligge efter den nuværende."]}
    assert Deadline.objects.count() == 1
    assert DeadlineChange.objects.count() == 1
    assert DeadlineNotice.objects.count() == 0


def test_overdue_list_and_summary_per_unit_owner_and_kind(
    api_for: ApiFor, staff: Staff, callback: Deadline
) -> None:
    client = api_for(staff.manager)

    overdue = client.get("/api/v1/deadlines/overdue/").json()
    summary = client.get("/api/v1/deadlines/overdue-summary/").json()

    assert [row["id"] for row in overdue["results"]] == [callback.pk]
    assert summary == {
        "unit": [{"key": str(callback.unit_id), "name": "Kontaktcenter (KBS)", "count": 1}],
        "owner": [{"key": str(staff.frontline.pk), "name": "Front", "count": 1}],
        "kind": [{"key": "callback", "name": "Opringning", "count": 1}],
    }
    assert client.get("/api/v1/deadlines/overdue/?kind=aktindsigt").json()["count"] == 0


def test_notifications_list_and_mark_read(
    api_for: ApiFor, staff: Staff, callback: Deadline
) -> None:
    sweep(now=timezone.now())
    client = api_for(staff.manager)

    body = client.get("/api/v1/notifications/").json()
    assert [(n["kind"], n["deadline"], n["read_at"]) for n in body] == [
        ("breached", callback.pk, None)
    ]
    assert client.post("/api/v1/notifications/").status_code == 204
    assert client.get("/api/v1/notifications/").json()[0]["read_at"] is not None
