"""The work lists, the pre-application meeting and the servicemål report, by API and as pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.cases.models import Case
from indgang.cases.tests.conftest import REASONS, Act, Receive, noon
from indgang.conftest import ApiFor, Org, Staff, staff_client

pytestmark = pytest.mark.django_db

WORK = "/api/v1/cases/work-list/"
REPORT = "/api/v1/cases/servicemal-report/"


def informed(act: Act, case: Case, days_ago: int) -> Case:
    """Walk the case to assessment, fully informed `days_ago` days ago."""
    then = noon(days_ago)
    act(case, "start_screening", now=then)
    act(case, "mark_fully_informed", now=then)
    return act(case, "start_assessment", now=then)


def test_the_work_list_api_sorts_by_days_left(
    api_for: ApiFor, receive: Receive, act: Act, staff: Staff, org: Org
) -> None:
    fresh = informed(act, receive(), days_ago=5)  # 35 days left of 40
    urgent = informed(act, receive(), days_ago=30)  # 10 left
    waiting = receive()
    client = api_for(staff.caseworker)
    body = client.get(WORK, {"unit": org.building_unit.pk}).json()
    assert body["count"] == 3
    assert [(row["id"], row["days_left"], row["clock_running"]) for row in body["results"]] == [
        (urgent.pk, 10, True),
        (fresh.pk, 35, True),
        (waiting.pk, None, False),
    ]
    fresh.caseworkers.add(staff.caseworker)
    mine = client.get(WORK, {"mine": "true"}).json()
    assert [row["id"] for row in mine["results"]] == [fresh.pk]
    assert api_for(staff.other_caseworker).get(WORK).json()["count"] == 0


def test_the_work_list_api_refuses_bad_filters(api_for: ApiFor, staff: Staff) -> None:
    client = api_for(staff.caseworker)
    response = client.get(WORK, {"unit": "byg"})
    assert response.status_code == 400
    assert response.json() == {"unit": ["Et gyldigt heltal er påkrævet."]}
    assert client.get(WORK, {"mine": "måske"}).status_code == 400


def test_the_work_list_reads_a_fixed_number_of_statements(
    api_for: ApiFor, receive: Receive, act: Act, staff: Staff
) -> None:
    client = api_for(staff.caseworker)
    counts = []
    for cases in (2, 6):
        while Case.objects.count() < cases:
            informed(act, receive(), days_ago=Case.objects.count())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(WORK).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_pre_meeting_is_set_by_api(api_for: ApiFor, receive: Receive, staff: Staff) -> None:
    case = receive()
    url = f"/api/v1/cases/{case.pk}/pre-meeting/"
    client = api_for(staff.caseworker)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"pre_meeting_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert response.json() == {"pre_meeting_on": ["Et forhåndsmøde kan ikke dateres i fremtiden."]}
    assert Case.objects.get(pk=case.pk).pre_meeting_on is None
    other = api_for(staff.other_caseworker).post(
        url, {"pre_meeting_on": "2026-01-05"}, format="json"
    )
    assert other.status_code == 404
    response = client.post(url, {"pre_meeting_on": "2026-01-05"}, format="json")
    assert (response.status_code, response.json()["pre_meeting_on"]) == (200, "2026-01-05")
    assert Case.objects.get(pk=case.pk).pre_meeting_on == dt.date(2026, 1, 5)
    response = client.post(url, {"pre_meeting_on": None}, format="json")
    assert response.json()["pre_meeting_on"] is None


def decide(act: Act, case: Case, *, informed_days_ago: int, decided_days_ago: int) -> None:
    informed(act, case, days_ago=informed_days_ago)
    act(
        case,
        "decide",
        now=noon(decided_days_ago),
        outcome="permit",
        note=REASONS,
    )


def test_the_report_api_answers_with_the_three_tables(
    api_for: ApiFor, receive: Receive, act: Act, staff: Staff
) -> None:
    decide(act, receive(), informed_days_ago=50, decided_days_ago=20)  # 30 days
    met = receive()
    Case.objects.filter(pk=met.pk).update(pre_meeting_on=dt.date(2026, 1, 5))
    decide(act, met, informed_days_ago=55, decided_days_ago=10)  # 45 days: over 40
    informed(act, receive(), days_ago=41)  # open, one day over
    today = timezone.localdate()
    period = {
        "decided_from": (today - dt.timedelta(days=30)).isoformat(),
        "decided_to": today.isoformat(),
    }
    response = api_for(staff.caseworker).get(REPORT, period)
    assert response.status_code == 200
    body = response.json()
    assert body["by_category"] == [
        {
            "key": "building-single-family",
            "name": "Enfamiliehuse",
            "decided": 2,
            "on_target": 1,
            "share_on_target": 0.5,
            "median_days": 37.5,
            "open_over_target": 1,
        }
    ]
    assert [(row["key"], row["decided"], row["median_days"]) for row in body["by_pre_meeting"]] == [
        ("with", 1, 45.0),
        ("without", 1, 30.0),
    ]
    assert body["unit"] is None


def test_the_report_api_refuses_a_backward_period(api_for: ApiFor, staff: Staff) -> None:
    client = api_for(staff.caseworker)
    response = client.get(REPORT, {"decided_from": "2026-03-01", "decided_to": "2026-02-01"})
    assert response.status_code == 400
    assert response.json() == {
        "decided_to": ["Perioden skal slutte på eller efter sin første dag."]
    }
    assert list(client.get(REPORT).json()) == ["decided_from", "decided_to"]


def test_the_work_list_page_links_each_case(
    receive: Receive, act: Act, staff: Staff, org: Org
) -> None:
    urgent = informed(act, receive(), days_ago=30)
    client = staff_client(staff.caseworker)
    page = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<a href="/cases/{urgent.pk}/">Ansøgning {urgent.pk}</a>' in html
    assert "Arbejdsliste" in html
    assert "<td>10</td>" in html
    rows = client.get("/cases/?page=1", HTTP_HX_REQUEST="true")
    assert "<h1>" not in rows.content.decode()
    assert f"/cases/{urgent.pk}/" in rows.content.decode()
    assert "Mine sager" in client.get("/cases/mine/", HTTP_ACCEPT_LANGUAGE="da").content.decode()


def test_the_report_page_plots_and_exports_the_same_figures(
    receive: Receive, act: Act, staff: Staff
) -> None:
    decide(act, receive(), informed_days_ago=50, decided_days_ago=20)
    today = timezone.localdate()
    query = f"decided_from={today - dt.timedelta(days=30)}&decided_to={today}"
    client = staff_client(staff.caseworker)
    page = client.get(f"/cases/servicemal/?{query}", HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 3
    assert '<rect x="200" y="4" width="300" height="18" fill="#1f5f8b"></rect>' in html
    csv = client.get(f"/cases/servicemal.csv?{query}", HTTP_ACCEPT_LANGUAGE="da")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.decode().splitlines()[:2] == [
        "Tabel;Gruppe;Afgjort;Inden for målet;Andel inden for målet (%);"
        + "Median, dage;Åbne over målet",
        "Efter servicemålskategori;Enfamiliehuse;1;1;100,0;30;0",
    ]
    bad = client.get("/cases/servicemal/?decided_from=2026-03-01&decided_to=x")
    assert bad.status_code == 400
