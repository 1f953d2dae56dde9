"""The statistics pages and API: goals and KPIs, costs with the htmx what-if and the tables'
editing, KomHen with its downloads; managers and administrators only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import ApiFor, Org, RegisterContact, Staff, staff_client
from indgang.statistics.models import Goal, UnitCost, UnitCostTable

# The seeded goals and unit-cost tables: a transactional test that ran before may have flushed them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_data")]
DK = ZoneInfo("Europe/Copenhagen")
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
API_MARCH = {"from": "2026-03-01", "to": "2026-03-31"}  # as the contact counts' API takes it


@pytest.fixture
def march(register: RegisterContact, tasks: dict[str, Task]) -> None:
    """2 self-service applications, an e-mail and a call: digital share 75 %."""
    for channel in (Channel.SELFSERVICE, Channel.SELFSERVICE, Channel.EMAIL, Channel.PHONE):
        register(received_at=dt.datetime(2026, 3, 2, 10, tzinfo=DK), channel=channel)


@pytest.mark.usefixtures("march")
def test_the_goals_page_shows_the_kpis_against_the_goals(staff: Staff) -> None:
    page = staff_client(staff.manager).get("/statistik/maal/", {**MARCH, "period": "week"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<th scope="row">Digital andel af henvendelser</th>' in html
    assert "<td>75,0 %</td>" in html
    assert "<td>≥ 50,0 %</td>" in html
    assert (
        staff_client(staff.manager)
        .get("/statistik/maal/", {**MARCH, "end": "2026-02-01"})
        .status_code
        == 400
    )


@pytest.mark.parametrize(
    "path", ["/statistik/maal/", "/statistik/omkostninger/", "/statistik/komhen/"]
)
def test_the_front_line_and_caseworkers_are_refused(staff: Staff, path: str) -> None:
    assert staff_client(staff.frontline).get(path).status_code == 403
    assert staff_client(staff.caseworker).get(path).status_code == 403


@pytest.mark.usefixtures("march")
def test_the_costs_page_and_its_htmx_what_if(staff: Staff) -> None:
    client = staff_client(staff.manager)
    page = client.get("/statistik/omkostninger/", MARCH)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<th scope="row">Selvbetjening</th><td>2</td><td>10</td>' in html
    assert "Sæt i brug" not in html  # managers read the tables
    assert '<input type="hidden" name="end" value="2026-03-31">' in html  # the what-if's slice
    answer = client.get(
        "/statistik/omkostninger/hvad-hvis/",
        {**MARCH, "source": "email", "target": "selfservice", "percent": "100"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    assert "Besparelse: 50 kr." in answer.content.decode()
    assert "<html" not in answer.content.decode()
    without_htmx = client.get(
        "/statistik/omkostninger/hvad-hvis/",
        {**MARCH, "source": "email", "target": "", "percent": "50"},
    )
    assert without_htmx.status_code == 200
    assert "<h1>Henvendelsernes omkostninger</h1>" in without_htmx.content.decode()
    assert "Besparelse: 55 kr." in without_htmx.content.decode()


def test_administrators_edit_the_tables_and_managers_may_not(staff: Staff) -> None:
    admin = staff_client(staff.admin)
    assert "Sæt i brug" in admin.get("/statistik/omkostninger/").content.decode()
    answer = admin.post(
        "/statistik/omkostninger/tabeller/", {"preset": "vejen", "name": "Vejens indeks"}
    )
    assert answer.status_code == 302
    table = UnitCostTable.objects.get(name="Vejens indeks")
    form = {channel: "" for channel in Channel.values} | {"phone": "99.50"}
    assert admin.post(f"/statistik/omkostninger/tabeller/{table.pk}/", form).status_code == 302
    assert list(UnitCost.objects.filter(table=table).values_list("channel", "kroner")) == [
        ("phone", Decimal("99.50"))
    ]
    assert admin.post(f"/statistik/omkostninger/tabeller/{table.pk}/i-brug/").status_code == 302
    assert UnitCostTable.objects.get(in_use=True) == table
    manager = staff_client(staff.manager)
    kmd = UnitCostTable.objects.get(name="kmd")
    assert manager.post(f"/statistik/omkostninger/tabeller/{kmd.pk}/i-brug/").status_code == 403
    assert manager.post("/statistik/omkostninger/tabeller/", {"preset": "kl"}).status_code == 403
    assert UnitCostTable.objects.get(in_use=True) == table
    assert not UnitCostTable.objects.filter(name="kl").exclude(source="Preset kl").exists()


@pytest.mark.usefixtures("march")
def test_komhen_page_and_downloads(staff: Staff) -> None:
    client = staff_client(staff.manager)
    week = {"start": "2026-03-02", "end": "2026-03-08"}
    page = client.get("/statistik/komhen/", week)
    assert page.status_code == 200
    assert "<dt>Kommune</dt><dd>Testkommune</dd>" in page.content.decode()
    csv = client.get("/statistik/komhen.csv", week)
    assert csv["Content-Disposition"] == 'attachment; filename="komhen-2026-03-02-2026-03-08.csv"'
    assert "Borgerservice;0;1;0;1;2;0;0;0;4" in csv.content.decode()
    xlsx = client.get("/statistik/komhen.xlsx", week)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


@pytest.mark.usefixtures("march")
def test_the_api_answers_kpis_costs_what_if_tables_and_komhen(
    staff: Staff, api_for: ApiFor
) -> None:
    api = api_for(staff.manager)
    kpis = api.get("/api/v1/statistics/kpis/", {**API_MARCH, "period": "month"}).json()
    assert kpis[0] == {
        "metric": "digital_share",
        "name": "Digital andel af henvendelser",
        "numerator": 3,
        "denominator": 4,
        "value": 0.75,
        "goal": "0.5000",
        "met": True,
        "trend": [
            {
                "period": "2026-03-01",
                "numerator": 3,
                "denominator": 4,
                "value": 0.75,
                "goal": "0.5000",
            }
        ],
    }
    costs = api.get("/api/v1/statistics/costs/", {**API_MARCH, "by": "channel"}).json()
    assert costs["table"]["name"] == "kl-2011"
    assert [(row["key"], row["costs"]["total"]) for row in costs["rows"]] == [
        ("phone", "40.00"),
        ("email", "55.00"),
        ("selfservice", "10.00"),
    ]
    saving = api.get(
        "/api/v1/statistics/costs/what-if/", {**API_MARCH, "from_channel": "phone", "share": "0.5"}
    ).json()
    assert (saving["saving"], saving["to_channel"]) == ("40.00", None)
    tables = api.get("/api/v1/statistics/unit-cost-tables/").json()
    assert [table["name"] for table in tables if table["in_use"]] == ["kl-2011"]
    sheet = api.get("/api/v1/statistics/komhen/", API_MARCH).json()
    assert sheet["total"] == {"name": "I alt", "counts": [0, 1, 0, 1, 2, 0, 0, 0], "total": 4}
    refused = api_for(staff.frontline).get("/api/v1/statistics/kpis/", API_MARCH)
    assert refused.status_code == 403
    assert set(refused.json()) == {"detail"}
    backwards = api.get("/api/v1/statistics/kpis/", {"from": "2026-03-02", "to": "2026-03-01"})
    assert backwards.status_code == 400


def test_administrators_set_a_departments_goal_in_djangos_admin(
    administrator: Client, org: Org
) -> None:
    answer = administrator.post(
        "/admin/statistics/goal/add/",
        {
            "metric": "digital_share",
            "department": org.building_dept.pk,
            "target": "0.65",
            "valid_from": "2026-01-01",
            "source": "Byrådet",
        },
    )
    assert answer.status_code == 302
    goal = Goal.objects.get(department=org.building_dept)
    assert (goal.metric, goal.target, goal.valid_from) == (
        "digital_share",
        Decimal("0.6500"),
        dt.date(2026, 1, 1),
    )
    too_high = administrator.post(
        "/admin/statistics/goal/add/",
        {"metric": "deadlines_kept", "target": "1.5", "valid_from": "2026-01-01"},
    )
    assert too_high.status_code == 200
    assert not Goal.objects.filter(metric="deadlines_kept").exists()
