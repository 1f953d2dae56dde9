"""GET /api/v1/statistics/contacts/: the selectors' rows as JSON, refusals in Danish."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from indgang.catalogue.constants import Channel
from indgang.conftest import ApiFor, Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome

pytestmark = pytest.mark.django_db
URL = "/api/v1/statistics/contacts/"
DK = ZoneInfo("Europe/Copenhagen")


def row(**fields: object) -> dict[str, object]:
    empty: dict[str, object] = dict.fromkeys(
        ("period", "channel", "direction", "outcome", "department_id", "unit_id", "task_id")
    )
    sums = {"contacts": 0, "with_knowledge": 0, "duration_seconds": 0, "timed": 0}
    return {**empty, **sums, **fields}


def test_counts_per_month_and_channel(
    api_for: ApiFor, register: RegisterContact, staff: Staff, org: Org
) -> None:
    register(received_at=dt.datetime(2026, 3, 2, 9, tzinfo=DK), duration_seconds=30)
    register(received_at=dt.datetime(2026, 3, 31, 23, tzinfo=DK), channel=Channel.EMAIL)
    register(
        received_at=dt.datetime(2026, 4, 1, 9, tzinfo=DK),
        outcome=Outcome.FORWARDED,
        unit=org.building_unit,
    )
    response = api_for(staff.admin).get(
        URL, {"from": "2026-03-01", "to": "2026-04-30", "by": "outcome,channel", "period": "month"}
    )
    assert response.status_code == 200, response.content
    assert response.json() == [
        row(period="2026-03-01", channel="email", outcome="", contacts=1),
        row(
            period="2026-03-01",
            channel="phone",
            outcome="",
            contacts=1,
            duration_seconds=30,
            timed=1,
        ),
        row(period="2026-04-01", channel="phone", outcome="forwarded", contacts=1),
    ]
    manager = api_for(staff.manager).get(URL, {"from": "2026-03-01", "to": "2026-04-30"})
    assert manager.json() == [row(contacts=2, duration_seconds=30, timed=1)]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to", "Sidste dag ligger før første dag."),
        ({"from": "2020-01-01", "to": "2025-01-01"}, "to", "Spørg om højst fem år ad gangen."),
        (
            {"from": "2026-03-01", "to": "2026-03-02", "by": "channel,colour"},
            "by",
            "Gruppér efter en eller flere af: channel, direction, outcome, department, unit, task.",
        ),
        ({"to": "2026-03-02"}, "from", "Dette felt er påkrævet."),
    ],
)
def test_a_bad_query_is_refused_in_danish(
    api_for: ApiFor, staff: Staff, query: dict[str, str], field: str, message: str
) -> None:
    response = api_for(staff.admin).get(URL, query, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_front_line_and_other_departments_are_refused(
    api_for: ApiFor, staff: Staff, org: Org
) -> None:
    days = {"from": "2026-03-01", "to": "2026-03-31"}
    front = api_for(staff.frontline).get(URL, days, HTTP_ACCEPT_LANGUAGE="da")
    assert (front.status_code, front.json()) == (
        403,
        {"detail": "Kun ledere og administratorer kan se statistik."},
    )
    other = api_for(staff.manager).get(
        URL, {**days, "department": str(org.building_dept.pk)}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert (other.status_code, other.json()) == (
        403,
        {"detail": "Du kan kun se statistik for dine egne forvaltninger."},
    )
