from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from indgang.conftest import ApiFor, Org, Staff, staff_client
from indgang.statistics.constants import FunnelEventKind, SolutionKind
from indgang.statistics.funnels import FunnelEventIn, ensure_solution, record_funnel_events
from indgang.statistics.models import FunnelEvent, SelfServiceSolution

EVENTS = "/api/v1/statistics/funnel-events/"
FUNNELS = "/api/v1/statistics/funnels/"
ADVICE = "/api/v1/statistics/self-service-advice/"


@pytest.fixture
def solution(org: Org) -> SelfServiceSolution:
    return ensure_solution(
        name="Boligstøtte",
        kind=SolutionKind.EXTERNAL_FORM,
        department=org.frontline_dept,
        external_system="os2forms",
        external_id="boligstotte",
        steps=["address", "income"],
    )


def _event(event_id: str, kind: str = "started", **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "system": "os2forms",
        "solution": "boligstotte",
        "attempt_id": "a1",
        "kind": kind,
        "occurred_at": "2026-03-02T09:15:00+01:00",
        **fields,
    }


def test_a_batch_is_accepted_and_the_same_batch_again_is_all_duplicate(
    solution: SelfServiceSolution, staff: Staff, api_for: ApiFor
) -> None:
    api = api_for(staff.frontline)  # a form system's integration user
    batch = {
        "events": [
            _event("e1"),
            _event("e2", "step_reached", step="address"),
            _event("e3", "completed"),
        ]
    }
    first = api.post(EVENTS, batch, format="json")
    again = api.post(EVENTS, batch, format="json")
    assert (first.status_code, first.json()) == (200, {"accepted": 3, "duplicate": 0})
    assert (again.status_code, again.json()) == (200, {"accepted": 0, "duplicate": 3})
    assert FunnelEvent.objects.count() == 3


def test_a_refused_batch_lists_every_problem_in_danish_and_stores_nothing(
    solution: SelfServiceSolution, staff: Staff, api_for: ApiFor
) -> None:
    api = api_for(staff.frontline)
    batch = {"events": [_event("e1"), _event("e2", solution="ukendt"), _event("e3", step="x")]}
    response = api.post(EVENTS, batch, format="json", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Hændelse 2 (id 'e2'): Ingen selvbetjeningsløsning er registreret som 'ukendt' i "
            "formularsystemet 'os2forms'.",
            "Hændelse 3 (id 'e3'): En hændelse af typen started har intet trin.",
            "Hændelse 3 (id 'e3'): Løsningen har intet trin 'x'; dens trin er: address, income.",
        ]
    }
    assert FunnelEvent.objects.count() == 0


def test_a_malformed_event_is_refused_field_by_field(
    solution: SelfServiceSolution, staff: Staff, api_for: ApiFor
) -> None:
    api = api_for(staff.frontline)
    batch = {"events": [_event("e1"), _event("e2", kind="opened", occurred_at="2026-03-02")]}
    response = api.post(EVENTS, batch, format="json", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert response.json() == {
        "events": {
            "1": {
                "kind": ['"opened" er ikke et gyldigt valg.'],
                "occurred_at": [
                    "Angiv tidspunktet i ISO 8601 med tidszone, fx 2026-03-02T09:15:00+01:00."
                ],
            }
        }
    }
    assert FunnelEvent.objects.count() == 0


def test_a_batch_of_more_than_a_thousand_is_refused(
    solution: SelfServiceSolution, staff: Staff, api_for: ApiFor
) -> None:
    response = api_for(staff.frontline).post(
        EVENTS, {"events": [_event(f"e{n}") for n in range(1001)]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["events"]
    assert FunnelEvent.objects.count() == 0


def test_events_come_as_json(solution: SelfServiceSolution, staff: Staff, api_for: ApiFor) -> None:
    response = api_for(staff.frontline).post(EVENTS, {"events": "e1"})
    assert response.status_code == 415
    assert FunnelEvent.objects.count() == 0


def test_events_need_a_token(solution: SelfServiceSolution) -> None:
    response = APIClient().post(EVENTS, {"events": [_event("e1")]}, format="json")
    assert response.status_code == 401
    assert FunnelEvent.objects.count() == 0


def _record_some() -> None:
    at = dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.UTC)
    events = [
        FunnelEventIn("s1", "os2forms", "boligstotte", "a", FunnelEventKind.STARTED, at),
        FunnelEventIn("s2", "os2forms", "boligstotte", "b", FunnelEventKind.STARTED, at),
        FunnelEventIn(
            "r1", "os2forms", "boligstotte", "a", FunnelEventKind.STEP_REACHED, at, "address"
        ),
        FunnelEventIn("c1", "os2forms", "boligstotte", "a", FunnelEventKind.COMPLETED, at),
        FunnelEventIn("x1", "os2forms", "boligstotte", "b", FunnelEventKind.ABANDONED, at),
    ]
    record_funnel_events(events=events, now=timezone.now())


def test_funnels_per_solution(solution: SelfServiceSolution, staff: Staff, api_for: ApiFor) -> None:
    _record_some()
    response = api_for(staff.manager).get(FUNNELS, {"from": "2026-02-01", "to": "2026-02-28"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "solution": solution.pk,
            "name": "Boligstøtte",
            "kind": "external_form",
            "department": solution.department_id,
            "task": None,
            "system": "os2forms",
            "external_id": "boligstotte",
            "active": True,
            "started": 2,
            "steps": [
                {"step": "address", "reached": 1, "drop_off": 1},
                {"step": "income", "reached": 0, "drop_off": 1},
            ],
            "completed": 1,
            "abandoned": 1,
            "completion_rate": 0.5,
            "abandoned_per_completed": 1.0,
            "transactions_per_year": 365 / 28,
        }
    ]


def test_advice_per_solution(solution: SelfServiceSolution, staff: Staff, api_for: ApiFor) -> None:
    _record_some()
    response = api_for(staff.admin).get(
        ADVICE, {"from": "2026-02-01", "to": "2026-02-28"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 200
    (row,) = response.json()
    assert (row["advice"], row["funnel"]["completed"]) == ("retire", 1)
    assert row["reason"] == "13,0 transaktioner om året (1 gennemført på 28 dage), færre end 100."


@pytest.mark.parametrize("url", [FUNNELS, ADVICE])
def test_reports_refuse_the_front_line_in_danish(
    solution: SelfServiceSolution, staff: Staff, api_for: ApiFor, url: str
) -> None:
    response = api_for(staff.frontline).get(url, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 403
    assert response.json() == {"detail": "Kun ledere og administratorer kan se statistik."}


def test_a_manager_asking_for_another_department_is_refused(
    solution: SelfServiceSolution, staff: Staff, api_for: ApiFor, org: Org
) -> None:
    response = api_for(staff.manager).get(
        FUNNELS, {"department": org.building_dept.pk}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Du må ikke se statistikken for den forvaltning."}


def test_a_reversed_period_is_refused(staff: Staff, api_for: ApiFor) -> None:
    response = api_for(staff.admin).get(
        FUNNELS, {"from": "2026-02-02", "to": "2026-02-01"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 400
    assert response.json() == {"to": ["Perioden skal slutte på eller efter sin første dag."]}


# The page ------------------------------------------------------------------------------------

PAGE = "/statistik/selvbetjening/"


def test_the_page_shows_each_funnel_and_the_advice(
    solution: SelfServiceSolution, staff: Staff
) -> None:
    _record_some()
    assert reverse("self-service-statistics") == PAGE
    client = staff_client(staff.manager)
    response = client.get(
        PAGE, {"start": "2026-02-01", "end": "2026-02-28"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 200
    assert [row.funnel.name for row in response.context["advice"]] == ["Boligstøtte"]
    (funnel,) = response.context["funnels"]
    assert (funnel.started, funnel.completed, funnel.abandoned) == (2, 1, 1)
    html = response.content.decode()
    assert "13,0 transaktioner om året (1 gennemført på 28 dage), færre end 100." in html
    assert '<tr><th scope="row">address</th><td>1</td><td>1</td></tr>' in html
    assert '<tr><th scope="row">income</th><td>0</td><td>1</td></tr>' in html


def test_the_page_refuses_caseworkers(staff: Staff) -> None:
    response = staff_client(staff.caseworker).get(PAGE)
    assert response.status_code == 403


def test_the_page_refuses_a_reversed_period(staff: Staff) -> None:
    response = staff_client(staff.admin).get(PAGE, {"start": "2026-02-02", "end": "2026-02-01"})
    assert response.status_code == 400
    assert response.context["funnels"] is None
