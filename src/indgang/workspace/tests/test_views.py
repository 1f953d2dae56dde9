"""The start page per role, through the real services: exact figures, the parties logged as read,
and the same number of SQL statements however many rows each panel counts."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.audit.constants import AccessAction, Purpose
from indgang.audit.models import AccessLogEntry
from indgang.cases.models import Case
from indgang.cases.services import take_case
from indgang.cases.tests.conftest import Act, Receive
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.models import ScheduledRun
from indgang.common.subjects import subject_of
from indgang.common.tasks import latest_slot, periodic_tasks
from indgang.conftest import CPR_A, CPR_B, PASSWORD, Org, RegisterContact, Staff, staff_client
from indgang.contacts.constants import DANISH_TIME, Outcome
from indgang.contacts.models import Contact
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.models import Deadline
from indgang.deadlines.services import start_deadline
from indgang.organisation.constants import Role
from indgang.organisation.selectors import get_scope
from indgang.organisation.services import ensure_staff_user
from indgang.triage.models import ModelVersion, QueueItem
from indgang.triage.services import triage_contact
from indgang.workspace.selectors import admin_panel

pytestmark = pytest.mark.django_db

# Statements per page with rows in every list, whatever their number: the session, the user, the
# header's identity (name, unit, token) and their roles, each panel's counts and lists, the
# subjects of the deadlines shown and the access log's one insert per kind of read
# (test_*_costs_the_same_statements_* add rows and compare).
FRONT_LINE_STATEMENTS = 11
CASEWORKER_STATEMENTS = 15
MANAGER_STATEMENTS = 19
ADMIN_STATEMENTS = 7


@pytest.fixture(autouse=True)
def _danish(settings: Any) -> None:
    settings.LANGUAGE_CODE = "da"


def page_of(user: User) -> str:
    response = staff_client(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def figure(html: str, name: str) -> str:
    """The big number of one of a panel's figures."""
    match = re.search(rf'data-figure="{name}">.*?<span class="figure">([^<]*)</span>', html, re.S)
    assert match, name
    return match.group(1).strip()


def statements(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def make_overdue(contact: Contact, *, days: int) -> Deadline:
    """Move the contact's call-back `days` days into the past, as if promised long ago."""
    deadline = Deadline.objects.get(**subject_of(contact))
    due = timezone.now() - dt.timedelta(days=days)
    Deadline.objects.filter(pk=deadline.pk).update(due_at=due, remind_at=due)
    return Deadline.objects.get(pk=deadline.pk)


def test_login_lands_on_the_start_page_and_the_front_desk_has_moved(staff: Staff) -> None:
    client = Client()
    response = client.post("/login/", {"username": "front", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    html = client.get("/").content.decode()
    assert "<h1>Start</h1>" in html
    desk = client.get("/front-desk/")
    assert desk.status_code == 200
    assert 'id="id_identifier"' in desk.content.decode()


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


# Front line -------------------------------------------------------------------------------------


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_the_front_line_sees_call_backs_due_the_queue_and_today_s_registrations(
    staff: Staff, register: RegisterContact, tasks: dict[str, Task]
) -> None:
    now = timezone.now()
    overdue = register(
        received_at=now,
        outcome=Outcome.CALLBACK_PROMISED,
        cpr=CPR_A,
        party_name="Anna Andersen",
        summary="Vil ringes op om fjernvarme",
    )
    deadline = make_overdue(overdue, days=2)
    register(received_at=now, outcome=Outcome.CALLBACK_PROMISED)  # due on a later day
    register(received_at=now, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    unsure = register(received_at=now, summary="Spørgsmål til et brev")
    assert isinstance(triage_contact(contact=unsure, now=now), QueueItem)
    # A colleague of the unit resolves one more; yesterday's contact is not today's.
    register(by=staff.manager, received_at=now, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(received_at=now - dt.timedelta(days=1), outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)

    html = page_of(staff.frontline)

    assert 'id="start-front-line"' in html
    assert 'id="start-caseworker"' not in html and 'id="start-manager"' not in html
    assert figure(html, "callbacks") == "1"
    assert figure(html, "queue") == "1"
    assert figure(html, "registered") == "4"
    # Five inbound contacts of the contact centre today, two resolved at first contact.
    assert figure(html, "resolved") == "40,0 %"
    assert "i Kontaktcenter i dag (2 af 5 indgående)" in html
    assert f'data-deadline="{deadline.pk}"' in html
    assert "2 dage overskredet" in html
    assert "Anna Andersen" in html
    entry = AccessLogEntry.objects.get(user=staff.frontline)
    assert (entry.party_id, entry.action, entry.purpose) == (
        overdue.party_id,
        AccessAction.LISTED_CONTACTS,
        Purpose.CONTACT,
    )


def test_the_front_line_page_costs_the_same_statements_for_one_call_back_or_five(
    staff: Staff, register: RegisterContact, django_assert_max_num_queries: Any
) -> None:
    client = staff_client(staff.frontline)
    make_overdue(register(outcome=Outcome.CALLBACK_PROMISED, cpr=CPR_A), days=1)
    one = statements(client)
    for _ in range(4):
        make_overdue(register(outcome=Outcome.CALLBACK_PROMISED, cpr=CPR_B), days=1)
    assert statements(client) == one
    with django_assert_max_num_queries(FRONT_LINE_STATEMENTS):
        client.get("/")


# Caseworker -------------------------------------------------------------------------------------


@pytest.fixture
def building_work(
    seed_data: None, staff: Staff, org: Org, receive: Receive, act: Act, register: RegisterContact
) -> dict[str, Any]:
    """Three building cases: one of the caseworker's long past its servicemål, one of theirs
    not started, one new and nobody's; two deadlines of theirs, one overdue; today's contacts."""
    now = timezone.now()
    scope = get_scope(user=staff.caseworker)
    late = receive(received_at=now - dt.timedelta(days=60))
    act(late, "start_screening", now=now - dt.timedelta(days=59))
    act(late, "mark_fully_informed", now=now - dt.timedelta(days=50))  # 40 days: 10 over
    fresh = receive(received_at=now - dt.timedelta(days=1), cpr=CPR_B)
    new = receive(received_at=now - dt.timedelta(days=3))
    for case in (late, fresh):
        take_case(case_id=case.pk, by=staff.caseworker, scope=scope, now=now)
    hearing = start_deadline(
        subject=late, kind=DeadlineKind.HEARING_REPLY, by=staff.caseworker, now=now
    )
    overdue = start_deadline(
        subject=late,
        kind=DeadlineKind.INSPECTION_REPORT,
        by=staff.caseworker,
        now=now - dt.timedelta(days=20),
    )
    register(received_at=now, unit=org.building_unit, outcome=Outcome.FORWARDED)
    register(received_at=now, unit=org.benefits_unit, outcome=Outcome.FORWARDED)
    return {"late": late, "fresh": fresh, "new": new, "hearing": hearing, "overdue": overdue}


def test_the_caseworker_sees_their_deadlines_and_cases_by_urgency_and_what_is_new(
    staff: Staff, building_work: dict[str, Any]
) -> None:
    late: Case = Case.objects.get(pk=building_work["late"].pk)
    assert late.clock_due_on is not None
    days_over = (timezone.now().astimezone(DANISH_TIME).date() - late.clock_due_on).days

    html = page_of(staff.caseworker)

    assert 'id="start-caseworker"' in html and 'id="start-front-line"' not in html
    assert figure(html, "deadlines") == "2"
    assert "1 overskredet" in html
    assert figure(html, "cases") == "2"
    assert figure(html, "new-contacts") == "1"
    assert figure(html, "new-cases") == "2"
    # Most urgent first: the overdue report before the hearing; the late case before the fresh.
    assert html.index(f'data-deadline="{building_work["overdue"].pk}"') < html.index(
        f'data-deadline="{building_work["hearing"].pk}"'
    )
    cases = html[html.index('data-case="') :]
    assert cases.index(f'data-case="{late.pk}"') < cases.index(
        f'data-case="{building_work["fresh"].pk}"'
    )
    assert f'data-case="{building_work["new"].pk}"' not in html
    assert f"{days_over} dage overskredet" in html
    assert "ikke startet" in html
    logged = set(
        AccessLogEntry.objects.filter(user=staff.caseworker).values_list(
            "party_id", "action", "purpose"
        )
    )
    assert logged == {
        (late.party_id, AccessAction.LISTED_CONTACTS, Purpose.CASEWORK),
        (late.party_id, AccessAction.LISTED_CASES, Purpose.CASEWORK),
        (building_work["fresh"].party_id, AccessAction.LISTED_CASES, Purpose.CASEWORK),
    }


def test_the_caseworker_page_costs_the_same_statements_however_much_work(
    staff: Staff,
    building_work: dict[str, Any],
    receive: Receive,
    django_assert_max_num_queries: Any,
) -> None:
    client = staff_client(staff.caseworker)
    before = statements(client)
    now = timezone.now()
    for days in (2, 4, 6):
        case = receive(received_at=now - dt.timedelta(days=days), cpr=CPR_B)
        take_case(
            case_id=case.pk, by=staff.caseworker, scope=get_scope(user=staff.caseworker), now=now
        )
        start_deadline(subject=case, kind=DeadlineKind.HEARING_REPLY, by=staff.caseworker, now=now)
    assert statements(client) == before
    with django_assert_max_num_queries(CASEWORKER_STATEMENTS):
        client.get("/")


# Manager ----------------------------------------------------------------------------------------


@pytest.fixture
def building_manager(org: Org) -> User:
    return ensure_staff_user(
        username="bygleder",
        password=PASSWORD,
        full_name="Bygge Leder",
        roles=[(Role.MANAGER, org.building_dept, None)],
    )


def test_the_manager_sees_overdue_and_at_risk_work_the_trends_and_who_is_overloaded(
    staff: Staff,
    org: Org,
    building_work: dict[str, Any],
    building_manager: User,
    receive: Receive,
    act: Act,
    register: RegisterContact,
) -> None:
    now = timezone.now()
    # A case with three days left on its clock is at risk; a colleague holds one case.
    risky = receive(received_at=now - dt.timedelta(days=40))
    act(risky, "start_screening", now=now - dt.timedelta(days=39))
    act(risky, "mark_fully_informed", now=now - dt.timedelta(days=37))
    colleague = ensure_staff_user(
        username="byg2",
        password=PASSWORD,
        full_name="Byg To",
        roles=[(Role.CASEWORKER, org.building_dept, org.building_unit)],
    )
    take_case(
        case_id=building_work["new"].pk, by=colleague, scope=get_scope(user=colleague), now=now
    )
    # The hearing reply falls due within its reminder time: at risk.
    hearing = building_work["hearing"]
    Deadline.objects.filter(pk=hearing.pk).update(
        due_at=now + dt.timedelta(hours=3), remind_at=now - dt.timedelta(hours=1)
    )
    # This month in the building department: three inbound contacts, two resolved at first
    # contact, one by e-mail (digital). The forwarded one of the fixture makes four.
    register(by=staff.caseworker, received_at=now, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(
        by=staff.caseworker,
        received_at=now,
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
        channel=Channel.EMAIL,
    )

    html = page_of(building_manager)

    assert 'id="start-manager"' in html and 'id="start-caseworker"' not in html
    assert figure(html, "overdue") == "1"
    assert figure(html, "at-risk") == "1"
    assert figure(html, "cases-over") == "1"
    assert figure(html, "cases-at-risk") == "1"
    units = html[html.index('id="start-units"') :]
    assert re.search(
        r'<th scope="row">Byggesager</th><td class="number">1</td><td class="number">1</td>',
        units,
    )
    # Byg owns two deadlines and holds two cases, Byg To one case (receiving assigns nobody):
    # 4 and 1, average 2,5; above 1,5 × 2,5 = 3,75 is too much.
    people = html[html.index('id="start-people"') :]
    assert "(gennemsnit 2,5)" in people
    assert (
        f'<tr class="overloaded" data-user="{staff.caseworker.pk}"><th scope="row">Byg '
        '<strong class="urgency overdue">overbelastet</strong></th><td class="number">2</td>'
        '<td class="number">2</td><td class="number">4</td>'
    ) in people
    assert (
        f'<tr data-user="{colleague.pk}"><th scope="row">Byg To</th><td class="number">0</td>'
        '<td class="number">1</td><td class="number">1</td>'
    ) in people
    # The trends: this month's column of each plot's table.
    month = html[html.index('id="first-contact-table"') :]
    assert 'data-chart="first-contact"' in html and 'data-chart="digital-share"' in html
    assert "66,7 %" in month[: month.index("</table>")]
    share = html[html.index('id="digital-share-table"') :]
    assert "33,3 %" in share[: share.index("</table>")]


# Administrator ----------------------------------------------------------------------------------

EXAMPLE_YAML = Path(__file__).resolve().parents[4] / "docs" / "organisation-example.yaml"


def test_the_administrator_sees_the_task_engine_the_triage_model_and_the_last_imports(
    staff: Staff, tasks: dict[str, Task]
) -> None:
    now = timezone.now()
    for periodic in periodic_tasks():
        assert periodic.schedule is not None
        ScheduledRun.objects.create(
            task=periodic.name, slot=latest_slot(periodic.schedule, now=now), claimed_at=now
        )
    version = ModelVersion.objects.create(
        trained_at=now - dt.timedelta(hours=2), kind="full", examples=1234, state=b""
    )
    call_command("import-organisation", str(EXAMPLE_YAML), stdout=StringIO())

    html = page_of(staff.admin)

    assert 'id="start-admin"' in html and 'id="start-front-line"' not in html
    assert figure(html, "tasks-late") == "0"
    for periodic in periodic_tasks():
        row = html[html.index(f'data-task="{periodic.name}"') :]
        assert "til tiden" in row[: row.index("</tr>")]
    assert f"Visitationsmodel v{version.pk}, trænet" in html
    assert "på 1234 visiteringer" in html
    imports = html[html.index('id="start-imports"') :]
    kle = imports[imports.index('data-import="kle"') :]
    assert "os2opgavefordeler_KLE-valid-data.xml" in kle[: kle.index("</tr>")]
    organisation = imports[imports.index('data-import="organisation"') :]
    organisation = organisation[: organisation.index("</tr>")]
    # The example: a municipality, two departments, four units and four staff users; all new.
    assert "organisation-example.yaml" in organisation
    assert re.search(r'<td class="number">11</td><td class="number">16</td>', organisation)
    catalogue = imports[imports.index('data-import="task_catalogue"') :]
    assert "aldrig indlæst" in catalogue[: catalogue.index("</tr>")]


def test_a_periodic_task_is_behind_once_its_slot_waited_two_scheduler_ticks(
    staff: Staff, settings: Any
) -> None:
    settings.SCHEDULER_TICK_SECONDS = 30
    now = dt.datetime(2026, 12, 7, 9, 2, 30, tzinfo=dt.UTC)  # 10:02:30 in Copenhagen
    claims = {
        "deadlines.sweep": dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC),  # every 5 min: latest
        "triage.route_waiting": dt.datetime(2026, 12, 7, 9, 2, tzinfo=dt.UTC),  # every minute
        "letters.retry": dt.datetime(2026, 12, 7, 8, 55, tzinfo=dt.UTC),  # 9:00 waited 150 s
        "knowledge.flag_stale": dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC),  # 06:30 local
    }
    for name, slot in claims.items():
        ScheduledRun.objects.create(task=name, slot=slot, claimed_at=slot)

    panel = admin_panel(now=now)

    # The product's periodic tasks; other tests' modules (collected in the same run) register
    # tasks named test.* in the same registry.
    late = {
        health.status.task.name: health.late
        for health in panel.tasks
        if not health.status.task.name.startswith("test.")
    }
    assert late == {
        "bookings.send_reminders": True,  # never ran; every five minutes
        "deadlines.sweep": False,
        "triage.route_waiting": False,
        "statistics.fold": False,  # never ran, but its latest slot (10:02) waited one tick
        "letters.retry": True,
        "deadlines.send_digest": True,  # never ran; today's 07:00 is hours ago
        "knowledge.flag_stale": False,
    }
    assert panel.tasks_late == len([h for h in panel.tasks if h.late]) >= 2
    # Thirty seconds into a new minute the route task's slot has waited one tick: not behind.
    later = admin_panel(now=now + dt.timedelta(seconds=60))
    assert [h.late for h in later.tasks if h.status.task.name == "triage.route_waiting"] == [False]


# Several roles ----------------------------------------------------------------------------------


def test_a_user_with_several_roles_sees_each_role_s_panels(
    org: Org, seed_data: None, django_assert_max_num_queries: Any
) -> None:
    everyone = ensure_staff_user(
        username="alle",
        password=PASSWORD,
        full_name="Alle Roller",
        roles=[
            (Role.FRONTLINE, org.frontline_dept, org.contact_centre),
            (Role.CASEWORKER, org.building_dept, org.building_unit),
            (Role.MANAGER, org.building_dept, None),
            (Role.ADMIN, org.frontline_dept, None),
        ],
    )
    client = staff_client(everyone)
    with django_assert_max_num_queries(
        FRONT_LINE_STATEMENTS + CASEWORKER_STATEMENTS + MANAGER_STATEMENTS + ADMIN_STATEMENTS
    ):
        html = client.get("/").content.decode()
    for panel in ("front-line", "caseworker", "manager", "admin"):
        assert f'id="start-{panel}"' in html
    assert "<h1>Start</h1>" in html


def test_the_manager_and_administrator_pages_cost_the_same_statements_however_much_work(
    staff: Staff,
    org: Org,
    building_work: dict[str, Any],
    building_manager: User,
    receive: Receive,
    register: RegisterContact,
    django_assert_max_num_queries: Any,
) -> None:
    manager, admin = staff_client(building_manager), staff_client(staff.admin)
    before = statements(manager), statements(admin)
    now = timezone.now()
    for number in range(3):
        colleague = ensure_staff_user(
            username=f"kollega{number}",
            password=PASSWORD,
            full_name=f"Kollega {number}",
            roles=[(Role.CASEWORKER, org.building_dept, org.building_unit)],
        )
        case = receive(received_at=now - dt.timedelta(days=number + 2), cpr=CPR_B)
        take_case(case_id=case.pk, by=colleague, scope=get_scope(user=colleague), now=now)
        start_deadline(subject=case, kind=DeadlineKind.HEARING_REPLY, by=colleague, now=now)
        register(by=colleague, received_at=now, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    ModelVersion.objects.create(trained_at=now, kind="full", examples=1, state=b"")
    call_command("import-organisation", str(EXAMPLE_YAML), stdout=StringIO())

    assert (statements(manager), statements(admin)) == before
    with django_assert_max_num_queries(MANAGER_STATEMENTS):
        manager.get("/")
    with django_assert_max_num_queries(ADMIN_STATEMENTS):
        admin.get("/")
