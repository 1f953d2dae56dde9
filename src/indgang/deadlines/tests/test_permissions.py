"""Who owns, sees and changes a deadline: the leaks issue 18 found, closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.catalogue.models import Task
from indgang.common.subjects import subject_of
from indgang.conftest import CPR_A, PASSWORD, ApiFor, Org, RegisterContact, Staff, staff_client
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus
from indgang.deadlines.models import Deadline, DeadlineChange
from indgang.deadlines.services import start_deadline
from indgang.organisation.constants import Role
from indgang.organisation.models import Unit
from indgang.organisation.services import ensure_staff_user, ensure_unit
from indgang.triage.services import record_routing

pytestmark = pytest.mark.django_db
NOT_YOURS = "Kun fristens ejer, medarbejdere i fristens enhed og dens ledere må ændre denne frist."


@pytest.fixture
def building_contact(register: RegisterContact, staff: Staff) -> Contact:
    """A contact of the building department's unit, registered by its caseworker."""
    return register(by=staff.caseworker, cpr=CPR_A, party_name="Karen Jensen", summary="Carport")


def test_a_deadline_owner_from_another_department_is_refused_and_nothing_is_stored(
    api_for: ApiFor, staff: Staff, building_contact: Contact
) -> None:
    response = api_for(staff.caseworker).post(
        "/api/v1/deadlines/",
        {"contact": building_contact.pk, "kind": "callback", "owner": staff.other_caseworker.pk},
        format="json",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"owner": ["Ejeren skal arbejde i den forvaltning, fristen hører under."]},
    )
    assert (Deadline.objects.count(), DeadlineChange.objects.count()) == (0, 0)


def test_a_deadline_owner_from_the_department_is_accepted(
    api_for: ApiFor, staff: Staff, org: Org, building_contact: Contact
) -> None:
    colleague = ensure_staff_user(
        username="byg2",
        password=PASSWORD,
        full_name="Byg To",
        roles=[(Role.CASEWORKER, org.building_dept, org.building_unit)],
    )

    response = api_for(staff.caseworker).post(
        "/api/v1/deadlines/",
        {"contact": building_contact.pk, "kind": "callback", "owner": colleague.pk},
        format="json",
    )

    assert (response.status_code, response.json()["owner"]) == (201, "byg2")


def test_the_default_owner_is_whoever_works_in_the_department(
    staff: Staff, org: Org, register: RegisterContact
) -> None:
    # The front line forwards the contact to benefits: its handler and registrar work elsewhere.
    forwarded = register(
        cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED, summary="Boligstøtte"
    )
    now = timezone.now()

    by_frontline = start_deadline(
        kind=DeadlineKind.CALLBACK, subject=forwarded, by=staff.frontline, now=now
    )
    by_benefits = start_deadline(
        kind=DeadlineKind.CALLBACK, subject=forwarded, by=staff.other_caseworker, now=now
    )

    assert (by_frontline.owner, by_benefits.owner) == (None, staff.other_caseworker)


def test_owning_a_deadline_on_another_departments_contact_shows_nothing_of_it(
    staff: Staff, org: Org, register: RegisterContact
) -> None:
    """A deadline made owned across departments before the rule (or by a later move) does not
    open the contact: the pages show what the contact-visibility rule shows."""
    contact = register(
        by=staff.other_caseworker, cpr=CPR_A, party_name="Karen Jensen", summary="Boligstøtte"
    )
    deadline = start_deadline(
        kind=DeadlineKind.CALLBACK,
        subject=contact,
        by=staff.other_caseworker,
        now=timezone.now(),
        started_at=timezone.now() - dt.timedelta(days=2),
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    Deadline.objects.filter(pk=deadline.pk).update(owner=staff.caseworker)
    client = staff_client(staff.caseworker)

    mine = client.get("/deadlines/").content.decode()
    overdue = client.get("/deadlines/overdue/").content.decode()
    detail = client.get(f"/deadlines/{deadline.pk}/")

    for html in (mine, overdue):
        assert "Boligstøtte" not in html and "Karen Jensen" not in html
    assert detail.status_code == 404
    assert "Boligstøtte" not in detail.content.decode()


@pytest.fixture
def callback_in_building(staff: Staff, building_contact: Contact) -> Deadline:
    return start_deadline(
        kind=DeadlineKind.CALLBACK,
        subject=building_contact,
        by=staff.caseworker,
        now=timezone.now(),
    )


def _colleague_in(unit: Unit, role: Role = Role.CASEWORKER, *, whole: bool = False) -> User:
    return ensure_staff_user(
        username=f"{role}-{unit.pk}-{'dept' if whole else 'unit'}",
        password=PASSWORD,
        full_name="Kollega",
        roles=[(role, unit.department, None if whole else unit)],
    )


def test_a_caseworker_in_another_unit_may_see_but_not_change_a_colleagues_deadline(
    api_for: ApiFor, org: Org, callback_in_building: Deadline
) -> None:
    permits = ensure_unit(department=org.building_dept, name="Byggetilladelser")
    elsewhere = _colleague_in(permits)
    due = callback_in_building.due_at

    seen = api_for(elsewhere).get(f"/api/v1/deadlines/{callback_in_building.pk}/")
    extend = api_for(elsewhere).post(
        f"/api/v1/deadlines/{callback_in_building.pk}/extend/",
        {"due_at": (due + dt.timedelta(days=3)).isoformat(), "reason": "Venter"},
        format="json",
    )
    complete = staff_client(elsewhere).post(
        f"/deadlines/{callback_in_building.pk}/complete/", {"complete-stopped_by": "answered"}
    )
    page = staff_client(elsewhere).get(f"/deadlines/{callback_in_building.pk}/")

    assert seen.status_code == 200
    assert (extend.status_code, extend.json()) == (403, {"detail": NOT_YOURS})
    assert complete.status_code == 403
    assert NOT_YOURS in complete.content.decode()
    assert "deadline-actions" not in page.content.decode()
    refreshed = Deadline.objects.get(pk=callback_in_building.pk)
    assert (refreshed.status, refreshed.due_at) == (DeadlineStatus.OPEN, due)
    assert list(refreshed.changes.values_list("action", flat=True)) == ["started"]


@pytest.mark.parametrize("who", ["owner", "unit colleague", "unit manager", "department manager"])
def test_the_owner_the_units_staff_and_its_managers_may_change_a_deadline(
    api_for: ApiFor, staff: Staff, org: Org, callback_in_building: Deadline, who: str
) -> None:
    user = {
        "owner": lambda: staff.caseworker,
        "unit colleague": lambda: _colleague_in(org.building_unit),
        "unit manager": lambda: _colleague_in(org.building_unit, Role.MANAGER),
        "department manager": lambda: _colleague_in(org.building_unit, Role.MANAGER, whole=True),
    }[who]()

    response = api_for(user).post(
        f"/api/v1/deadlines/{callback_in_building.pk}/complete/", {}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "completed")


def test_a_manager_of_another_unit_may_not_change_the_deadline(
    api_for: ApiFor, org: Org, callback_in_building: Deadline
) -> None:
    permits = ensure_unit(department=org.building_dept, name="Byggetilladelser")

    response = api_for(_colleague_in(permits, Role.MANAGER)).post(
        f"/api/v1/deadlines/{callback_in_building.pk}/complete/", {}, format="json"
    )

    assert (response.status_code, response.json()) == (403, {"detail": NOT_YOURS})
    assert Deadline.objects.get(pk=callback_in_building.pk).status == DeadlineStatus.OPEN


def test_a_call_back_routed_to_another_department_stays_with_the_front_line_without_content(
    staff: Staff, org: Org, register: RegisterContact, tasks: dict[str, Task]
) -> None:
    """A promise stays with who made it; what it shows follows the contact, which moved."""
    contact = register(
        cpr=CPR_A,
        party_name="Karen Jensen",
        summary="Boligstøtte til ny lejlighed",
        outcome=Outcome.CALLBACK_PROMISED,
    )
    deadline = Deadline.objects.get(**subject_of(contact))
    assert deadline.owner == staff.frontline
    record_routing(
        contact=contact, task=tasks["groundwater"], decided_by=staff.frontline, now=timezone.now()
    )
    assert Contact.objects.get(pk=contact.pk).department == org.benefits_dept
    client = staff_client(staff.frontline)

    mine = client.get("/deadlines/").content.decode()
    detail = client.get(f"/deadlines/{deadline.pk}/")
    completed = client.post(
        f"/deadlines/{deadline.pk}/complete/", {"complete-stopped_by": "answered"}
    )

    assert f'href="/deadlines/{deadline.pk}/"' in mine
    assert detail.status_code == 200
    for html in (mine, detail.content.decode()):
        assert "Tilbageholdt" in html
        assert "Boligstøtte" not in html and "Karen Jensen" not in html
    assert completed.status_code == 302
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.COMPLETED
    assert not AccessLogEntry.objects.filter(party=contact.party).exists()
