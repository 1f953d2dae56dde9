from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.common.subjects import subject_of
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import CPR_A, PASSWORD, Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.deadlines.constants import DeadlineStatus
from indgang.deadlines.models import Deadline, DeadlineChange
from indgang.deadlines.services import sweep

pytestmark = pytest.mark.django_db
WEDNESDAY = dt.datetime(2026, 11, 18, 15, 40, tzinfo=COPENHAGEN)


@pytest.fixture(autouse=True)
def _danish(settings: Any) -> None:
    settings.LANGUAGE_CODE = "da"


def client_for(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def overdue_callback(register: RegisterContact) -> Deadline:
    contact = register(
        received_at=WEDNESDAY, outcome=Outcome.CALLBACK_PROMISED, cpr=CPR_A, party_name="Anna"
    )
    return Deadline.objects.get(**subject_of(contact))


def test_my_deadlines_lists_mine_most_urgent_first_with_reminders(
    register: RegisterContact, staff: Staff, overdue_callback: Deadline
) -> None:
    later = register(
        received_at=WEDNESDAY + dt.timedelta(hours=1), outcome=Outcome.CALLBACK_PROMISED
    )
    sweep(now=WEDNESDAY + dt.timedelta(days=1, hours=-1))

    response = client_for(staff.frontline).get("/deadlines/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Mine frister</h1>" in html
    table = html[html.index('<table class="deadlines">') :]
    assert table.index(f"/deadlines/{overdue_callback.pk}/") < table.index(
        f"/deadlines/{Deadline.objects.get(**subject_of(later)).pk}/"
    )
    assert "Påmindelser" in html
    late = (timezone.localdate() - overdue_callback.due_at.astimezone(COPENHAGEN).date()).days
    assert f'<span class="urgency urgency-overdue">{late} dage over fristen</span>' in html
    assert overdue_callback.subject is not None
    party_id = overdue_callback.subject.party_id
    assert party_id is not None
    assert AccessLogEntry.objects.filter(user=staff.frontline, party_id=party_id).count() == 1


def test_unit_overdue_list_for_the_manager(staff: Staff, overdue_callback: Deadline) -> None:
    response = client_for(staff.manager).get("/deadlines/overdue/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 overskredet frist" in html
    assert f"/deadlines/{overdue_callback.pk}/" in html
    assert "Kontaktcenter (KBS) (1)" in html


def test_another_departments_deadline_is_not_found(
    staff: Staff, overdue_callback: Deadline
) -> None:
    client = client_for(staff.caseworker)

    assert client.get(f"/deadlines/{overdue_callback.pk}/").status_code == 404
    assert (
        client.post(
            f"/deadlines/{overdue_callback.pk}/complete/", {"complete-stopped_by": "called_back"}
        ).status_code
        == 404
    )
    assert Deadline.objects.get(pk=overdue_callback.pk).status == DeadlineStatus.OPEN


def test_suspend_without_a_reason_shows_a_danish_message_and_changes_nothing(
    staff: Staff, overdue_callback: Deadline
) -> None:
    client = client_for(staff.frontline)

    response = client.post(f"/deadlines/{overdue_callback.pk}/suspend/", {"suspend-reason": ""})

    html = response.content.decode()
    assert response.status_code == 400
    # The refused action comes back open, its message at its field.
    assert (
        '<details name="deadline-action" class="deadline-action" id="action-suspend" open>' in html
    )
    assert 'id="id_suspend-reason"' in html
    assert '<span class="field-error">Skriv, hvorfor fristen sættes på pause.</span>' in html
    assert Deadline.objects.get(pk=overdue_callback.pk).status == DeadlineStatus.OPEN
    assert DeadlineChange.objects.filter(deadline=overdue_callback).count() == 1


def test_suspend_resume_and_complete_from_the_deadline_page(
    staff: Staff, overdue_callback: Deadline
) -> None:
    client = client_for(staff.frontline)
    url = f"/deadlines/{overdue_callback.pk}"

    client.post(f"{url}/suspend/", {"suspend-reason": "Venter på borgeren"})
    assert Deadline.objects.get(pk=overdue_callback.pk).status == DeadlineStatus.SUSPENDED
    client.post(f"{url}/resume/", {"resume-reason": ""})
    response = client.post(f"{url}/complete/", {"complete-stopped_by": "called_back"}, follow=True)

    html = response.content.decode()
    assert "Fristen er opdateret." in html
    assert Deadline.objects.get(pk=overdue_callback.pk).status == DeadlineStatus.COMPLETED
    assert [c.action for c in DeadlineChange.objects.filter(deadline=overdue_callback)] == [
        "started",
        "suspended",
        "resumed",
        "completed",
    ]


def test_the_360_shows_a_contacts_open_deadline(staff: Staff, overdue_callback: Deadline) -> None:
    party_id = overdue_callback.subject.party_id  # type: ignore[union-attr]

    html = client_for(staff.frontline).get(f"/parties/{party_id}/").content.decode()

    assert f'href="/deadlines/{overdue_callback.pk}/"' in html
    assert "Opringning: " in html


def test_staff_start_an_aktindsigt_on_a_contact_from_its_360(
    register: RegisterContact, staff: Staff
) -> None:
    contact = register(cpr=CPR_A, received_at=WEDNESDAY, summary="Beder om aktindsigt i sagen")
    client = client_for(staff.frontline)
    assert (
        f'action="/contacts/{contact.pk}/deadlines/"'
        in client.get(f"/parties/{contact.party_id}/").content.decode()
    )

    response = client.post(f"/contacts/{contact.pk}/deadlines/", {"kind": "aktindsigt"})

    deadline = Deadline.objects.get(**subject_of(contact))
    assert response["Location"] == f"/deadlines/{deadline.pk}/"
    # Seven working days from Wednesday 18 November 15:40: Friday 27 November.
    assert deadline.due_at.astimezone(COPENHAGEN) == WEDNESDAY + dt.timedelta(days=9)
    assert deadline.changes.get().by == staff.frontline


def test_a_deadline_on_another_departments_contact_cannot_be_started(
    register: RegisterContact, staff: Staff, org: Org
) -> None:
    theirs = register(cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED)

    html = client_for(staff.frontline).get(f"/parties/{theirs.party_id}/").content.decode()
    response = client_for(staff.frontline).post(
        f"/contacts/{theirs.pk}/deadlines/", {"kind": "aktindsigt"}
    )

    assert "/deadlines/" not in html.split("Forløb", 1)[1]
    assert response.status_code == 404
    assert Deadline.objects.count() == 0


def test_a_bad_start_is_refused_in_danish_and_starts_nothing(
    register: RegisterContact, staff: Staff
) -> None:
    contact = register(cpr=CPR_A, summary="Klage over afgørelsen")

    response = client_for(staff.frontline).post(
        f"/contacts/{contact.pk}/deadlines/", {"kind": "complaint", "length": "0"}, follow=True
    )

    assert "Denne værdi skal være større end eller lig 1." in response.content.decode()
    assert Deadline.objects.count() == 0


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_the_deadline_page_offers_one_action_at_a_time_with_ids_of_its_own(
    staff: Staff, overdue_callback: Deadline
) -> None:
    html = client_for(staff.frontline).get(f"/deadlines/{overdue_callback.pk}/").content.decode()

    ids = _ids(html)
    assert len(ids) == len(set(ids))
    assert re.findall(r'<details name="deadline-action"[^>]*>', html) == [
        f'<details name="deadline-action" class="deadline-action" id="action-{verb}">'
        for verb in ("suspend", "extend", "notice", "complete")
    ]
    for field in ("suspend-reason", "extend-due_at", "extend-reason", "notice-reason"):
        assert f'id="id_{field}"' in html
    assert 'id="id_reason"' not in html


def test_the_deadline_page_says_when_it_started_as_its_history_does_and_whence_it_runs(
    register: RegisterContact, staff: Staff
) -> None:
    # Received on Wednesday, typed in (and the call-back promised) now: the clock runs from
    # the receipt, the history starts now.
    staff.frontline.first_name, staff.frontline.last_name = "Frida", "Holm"
    staff.frontline.save()
    contact = register(received_at=WEDNESDAY, outcome=Outcome.CALLBACK_PROMISED, cpr=CPR_A)
    deadline = Deadline.objects.get(**subject_of(contact))
    started = DeadlineChange.objects.get(deadline=deadline)

    html = client_for(staff.frontline).get(f"/deadlines/{deadline.pk}/").content.decode()

    at = f"{started.at.astimezone(COPENHAGEN):%d.%m.%Y kl. %H:%M}"
    assert f"<dt>Startet</dt><dd>{at} af Frida Holm</dd>" in html
    assert (
        "<dt>Fristen regnes fra</dt><dd>18.11.2026 kl. 15:40 (når henvendelsen er modtaget)</dd>"
        in html
    )
    history = html[html.index('id="history-heading"') :]
    assert f"<tr><td>{at}</td><td>Startet</td>" in history
    assert "<td>Frida Holm</td></tr>" in history
    assert ">front<" not in html


def test_overdue_deadlines_are_grouped_by_person_with_days_overdue(
    register: RegisterContact, staff: Staff, org: Org
) -> None:
    staff.frontline.first_name, staff.frontline.last_name = "Åse", "Berg"
    staff.frontline.save()
    staff.manager.first_name, staff.manager.last_name = "Bo", "Andersen"
    staff.manager.save()
    received = [WEDNESDAY, WEDNESDAY + dt.timedelta(days=1), WEDNESDAY + dt.timedelta(days=2)]
    mine = register(received_at=received[0], outcome=Outcome.CALLBACK_PROMISED)
    bos = register(by=staff.manager, received_at=received[1], outcome=Outcome.CALLBACK_PROMISED)
    also_mine = register(received_at=received[2], outcome=Outcome.CALLBACK_PROMISED)
    deadlines = [Deadline.objects.get(**subject_of(c)) for c in (mine, bos, also_mine)]

    html = client_for(staff.manager).get("/deadlines/overdue/?kind=callback").content.decode()

    headings = re.findall(r'<h2 id="owner-(\d+)">([^<]+)\s*<small>([^<]+)</small>', html)
    assert [(int(pk), name.strip(), count) for pk, name, count in headings] == [
        (staff.manager.pk, "Bo Andersen", "1 overskredet"),
        (staff.frontline.pk, "Åse Berg", "2 overskredne"),
    ]
    today = timezone.localdate()
    for deadline in deadlines:
        late = (today - deadline.due_at.astimezone(COPENHAGEN).date()).days
        row = html[html.index(f"/deadlines/{deadline.pk}/") :]
        assert row.index(f"{late} dage over fristen") < row.index("</tr>")
    # Within a person, the most overdue first.
    assert html.index(f"/deadlines/{deadlines[0].pk}/") < html.index(
        f"/deadlines/{deadlines[2].pk}/"
    )
