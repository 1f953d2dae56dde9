"""The manager's dashboard /statistik/: panels from the rollups, in scope, with their tables."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from defusedxml.ElementTree import fromstring
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.catalogue.constants import Channel, Depth
from indgang.catalogue.models import Task
from indgang.conftest import Org, RegisterContact, Staff, staff_client
from indgang.contacts.constants import Outcome
from indgang.statistics.constants import FunnelEventKind, SolutionKind
from indgang.statistics.dashboard.forms import last_twelve_months
from indgang.statistics.dashboard.panels import period_label, period_starts
from indgang.statistics.funnels import ensure_solution, record_funnel_event

# The seeded goals and unit-cost tables: a transactional test that ran before may have flushed them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_data")]
DK = ZoneInfo("Europe/Copenhagen")
FIRST_QUARTER = "/statistik/?start=2026-01-01&end=2026-03-31&period=month"


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 10, tzinfo=DK)


def chart_table(html: str, key: str) -> list[list[str]]:
    """The chart's table, header row first, as the cells' text."""
    match = re.search(rf'<table class="chart-table" id="{key}-table">.*?</table>', html, re.S)
    assert match is not None, f"no table for {key}"
    table = fromstring(match[0].encode())
    return [[(cell.text or "").strip() for cell in row] for row in table.iter("tr")]


def reading(html: str, key: str) -> str:
    match = re.search(rf'id="panel-{key}".*?<p class="reading">(.*?)</p>', html, re.S)
    assert match is not None, f"no panel {key}"
    return match[1]


@pytest.fixture
def first_quarter(register: RegisterContact, org: Org) -> None:
    """January: two calls (one resolved, one with a call-back promised); February: three
    self-service contacts, an e-mail and a resolved call; March: nothing. And a contact of the
    building department, outside the manager's statistics."""
    register(received_at=at(1, 10), outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(received_at=at(1, 12), outcome=Outcome.CALLBACK_PROMISED)
    for day in (2, 3, 4):
        register(received_at=at(2, day), channel=Channel.SELFSERVICE)
    register(received_at=at(2, 5), channel=Channel.EMAIL)
    register(received_at=at(2, 6), outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(received_at=at(2, 7), outcome=Outcome.FORWARDED, unit=org.building_unit)


def test_the_manager_sees_the_panels_with_their_figures(first_quarter: None, staff: Staff) -> None:
    response = staff_client(staff.manager).get(FIRST_QUARTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert chart_table(html, "channel-mix") == [
        ["Periode", "Telefon", "E-mail", "Selvbetjening"],
        ["jan 2026", "2", "0", "0"],
        ["feb 2026", "1", "1", "3"],
        ["mar 2026", "0", "0", "0"],
    ]
    assert reading(html, "channel-mix") == (
        "7 henvendelser i perioden; den største kanal var telefon med 42,9 %."
    )
    # The goals' KPIs count inbound contacts; the migration's goals and unit costs apply.
    assert chart_table(html, "digital-share") == [
        ["Periode", "Digital andel af henvendelser", "Mål"],
        ["jan 2026", "0,0 %", "50,0 %"],
        ["feb 2026", "80,0 %", "50,0 %"],
        ["mar 2026", "–", "50,0 %"],
    ]
    assert reading(html, "digital-share") == ("4 af 7: 57,1 % i perioden. Målet på 50,0 % er nået.")
    assert chart_table(html, "cost-per-channel") == [
        ["Kanal", "Omkostning"],
        ["Telefon", "120 kr."],
        ["E-mail", "55 kr."],
        ["Selvbetjening", "15 kr."],
    ]
    assert reading(html, "cost-per-channel") == (
        "Periodens henvendelser kostede 190 kr. med enhedspriserne fra kl-2011."
    )
    # January's call-back was promised and never made.
    assert chart_table(html, "deadlines") == [
        ["Nøgletal", "Resultat", "Mål"],
        ["Tilbagekald inden for en arbejdsdag", "0,0 %", "100,0 %"],
        ["Frister overholdt", "0,0 %", "–"],
        ["Servicemål overholdt", "–", "–"],
    ]
    assert chart_table(html, "first-contact") == [
        ["Periode", "Løst ved første kontakt"],
        ["jan 2026", "50,0 %"],
        ["feb 2026", "20,0 %"],
        ["mar 2026", "–"],
    ]
    assert reading(html, "funnels") == "Ingen selvbetjeningsløsninger er registreret."
    # Each chart is an inline SVG named by its table's caption.
    # Its table scrolls inside the panel: a focusable region named as a table of that caption,
    # apart from the panel (often headed by the same words).
    for key in ("channel-mix", "digital-share", "cost-per-channel", "deadlines", "first-contact"):
        assert f'aria-labelledby="{key}-caption"' in html
        caption = re.search(f'<caption id="{key}-caption">([^<]+)</caption>', html)
        assert caption is not None, key
        assert (
            f'<div class="table-scroll" tabindex="0" role="region" '
            f'aria-label="Tabel: {caption[1]}">\n  <table class="chart-table" id="{key}-table">'
        ) in html


def test_the_administrator_sees_every_department_or_one(
    first_quarter: None, staff: Staff, org: Org
) -> None:
    client = staff_client(staff.admin)
    everything = client.get(FIRST_QUARTER).content.decode()
    assert chart_table(everything, "channel-mix")[2] == ["feb 2026", "2", "1", "3"]
    building = client.get(f"{FIRST_QUARTER}&department={org.building_dept.pk}").content.decode()
    assert chart_table(building, "channel-mix") == [
        ["Periode", "Telefon"],
        ["jan 2026", "0"],
        ["feb 2026", "1"],
        ["mar 2026", "0"],
    ]


def test_an_htmx_request_gets_the_panels_alone(first_quarter: None, staff: Staff) -> None:
    response = staff_client(staff.manager).get(FIRST_QUARTER, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="panel-channel-mix"' in html


def test_by_default_the_last_twelve_months_by_month(
    staff: Staff, register: RegisterContact
) -> None:
    register()
    html = staff_client(staff.manager).get("/statistik/").content.decode()
    start, end = last_twelve_months(timezone.localdate())
    rows = chart_table(html, "channel-mix")
    assert [row[0] for row in rows[1:]] == [
        period_label(month, "month") for month in period_starts(start, end, "month")
    ]
    assert len(rows) == 13
    assert rows[-1][1] == "1"


@pytest.mark.parametrize("who", ["frontline", "caseworker"])
def test_front_line_and_caseworkers_are_refused_in_danish(staff: Staff, who: str) -> None:
    response = staff_client(getattr(staff, who)).get("/statistik/")
    assert response.status_code == 403
    assert "Kun ledere og administratorer kan se statistik." in response.content.decode()


def test_the_header_links_to_the_dashboard_for_managers_only(staff: Staff) -> None:
    link = 'href="/statistik/"'
    assert link in staff_client(staff.manager).get("/").content.decode()
    assert link in staff_client(staff.admin).get("/").content.decode()
    assert link not in staff_client(staff.caseworker).get("/").content.decode()


def test_a_period_ending_before_it_starts_is_refused(staff: Staff) -> None:
    response = staff_client(staff.manager).get(
        "/statistik/?start=2026-03-01&end=2026-02-01&period=month"
    )
    assert response.status_code == 400
    assert "Perioden skal slutte på eller efter sin første dag." in response.content.decode()
    assert 'id="panel-' not in response.content.decode()


def test_a_manager_may_not_choose_another_department(staff: Staff, org: Org) -> None:
    response = staff_client(staff.manager).get(f"{FIRST_QUARTER}&department={org.building_dept.pk}")
    assert response.status_code == 400
    assert 'id="panel-' not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().get("/statistik/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_funnels_panel_shows_each_solutions_steps_and_the_advice(
    staff: Staff, org: Org
) -> None:
    solution = ensure_solution(
        name="Boligstøtte",
        kind=SolutionKind.EXTERNAL_FORM,
        department=org.frontline_dept,
        external_system="os2forms",
        external_id="boligstotte",
        steps=["indkomst"],
    )
    # Four attempts in February: three reach the income step, one is completed.
    for attempt in range(4):
        kinds = [FunnelEventKind.STARTED]
        if attempt < 3:
            kinds.append(FunnelEventKind.STEP_REACHED)
        kinds.append(FunnelEventKind.COMPLETED if attempt == 0 else FunnelEventKind.ABANDONED)
        for number, kind in enumerate(kinds):
            record_funnel_event(
                solution=solution,
                event_id=f"{attempt}-{number}",
                attempt_id=str(attempt),
                kind=kind,
                step="indkomst" if kind == FunnelEventKind.STEP_REACHED else "",
                occurred_at=at(2, 10),
                now=at(2, 11),
            )
    html = staff_client(staff.manager).get(FIRST_QUARTER).content.decode()
    assert chart_table(html, f"funnel-{solution.pk}") == [
        ["Trin", "Forsøg"],
        ["Startet", "4"],
        ["indkomst", "3"],
        ["Afsluttet", "1"],
    ]
    assert reading(html, "funnels") == "1 selvbetjeningsløsning; 1 bør nedlægges og 0 bør rettes."
    assert "<li>Boligstøtte: Nedlæg." in html


def test_a_period_without_contacts_draws_empty_panels(staff: Staff) -> None:
    response = staff_client(staff.admin).get(FIRST_QUARTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert reading(html, "channel-mix") == "Ingen henvendelser i perioden."
    assert chart_table(html, "channel-mix") == [
        ["Periode"],
        ["jan 2026"],
        ["feb 2026"],
        ["mar 2026"],
    ]
    assert reading(html, "first-contact") == "Intet at tælle i perioden."
    assert chart_table(html, "cost-per-channel") == [["Kanal", "Omkostning"]]


def test_the_page_reads_as_many_statements_whatever_the_number_of_tasks(
    first_quarter: None, staff: Staff, org: Org
) -> None:
    def add_tasks(numbers: range) -> None:
        for number in numbers:
            Task.objects.create(
                title=f"Opgave {number}",
                department=org.building_dept if number % 2 else org.benefits_dept,
                unit=org.building_unit if number % 2 else org.benefits_unit,
                depth=Depth.RULE_BASED,
                self_service_url=f"https://example.dk/selvbetjening/{number}",
            )

    client = staff_client(staff.admin)
    add_tasks(range(1))
    client.get(FIRST_QUARTER)  # the session's first reads
    with CaptureQueriesContext(connection) as few:
        assert client.get(FIRST_QUARTER).status_code == 200
    add_tasks(range(1, 6))
    with CaptureQueriesContext(connection) as many:
        page = client.get(FIRST_QUARTER).content.decode()
    assert "Opgave 5 (" in page  # the form offers the new tasks, labelled with their department
    assert len(many.captured_queries) == len(few.captured_queries)
