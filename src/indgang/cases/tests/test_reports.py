"""Work lists by the servicemål clock, "my cases", and the servicemål report."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from indgang.cases.models import AreaSettings, Case, ServiceTargetCategory
from indgang.cases.reports import (
    ReportRow,
    days_left_of,
    list_work_for,
    median_of,
    servicemal_report,
)
from indgang.cases.services import (
    InspectionStep,
    NewCaseSubject,
    plan_inspection,
    receive_complaint,
    receive_deficiency_answer,
    refresh_clock_keys,
    send_deficiency_letter,
    start_hearing,
)
from indgang.cases.tests.conftest import REASONS, Act, Receive
from indgang.conftest import CPR_A, CPR_B, Org, Staff
from indgang.organisation.selectors import get_scope
from indgang.parties.services import get_or_create_citizen

pytestmark = pytest.mark.django_db


START = dt.date(2026, 3, 2)


def day(number: int) -> dt.datetime:
    """Noon, local time, `number` days after START: the same local date in any zone."""
    return timezone.make_aware(dt.datetime.combine(START + dt.timedelta(days=number), dt.time(12)))


def date(number: int) -> dt.date:
    return START + dt.timedelta(days=number)


def stored_key(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return case.clock_due_on, case.clock_stopped_on, case.clock_days_used


@given(st.lists(st.integers(0, 400)))
def test_the_median_from_counts_is_the_median(days: list[int]) -> None:
    expected = statistics.median(days) if days else None
    assert median_of(Counter(days)) == expected


def test_every_action_keeps_the_clock_key(receive: Receive, act: Act) -> None:
    case = receive(received_at=day(0))  # single-family houses: 40 days
    act(case, "start_screening", now=day(1))
    assert stored_key(case) == (None, None, None)
    act(case, "mark_fully_informed", now=day(2))
    assert stored_key(case) == (date(42), None, None)
    act(case, "start_assessment", now=day(3))
    act(case, "request_information", now=day(10))
    # Waiting does not count in building (the default): the clock stands at 32 days left.
    assert stored_key(case) == (date(42), date(10), None)
    act(case, "receive_information", now=day(15))
    assert stored_key(case) == (date(47), None, None)
    act(case, "decide", now=day(30), outcome="permit", note=REASONS)
    assert stored_key(case) == (date(47), date(30), 23)


def test_a_refused_action_leaves_the_key(receive: Receive, act: Act) -> None:
    case = receive(received_at=day(0))
    act(case, "start_screening", now=day(1))
    act(case, "mark_fully_informed", now=day(2))
    with pytest.raises(ValidationError, match="Sagen har status"):
        act(case, "decide", now=day(3), outcome="permit", note=REASONS)
    assert stored_key(case) == (date(42), None, None)


def stale(case: Case) -> None:
    """Spoil the stored key, so that the next step shows it stores the key afresh."""
    Case.objects.filter(pk=case.pk).update(
        clock_due_on=date(999), clock_stopped_on=date(999), clock_days_used=999
    )


def test_the_workflow_steps_keep_the_clock_key(receive: Receive, act: Act, staff: Staff) -> None:
    writer: dict[str, Any] = {"by": staff.caseworker, "scope": get_scope(user=staff.caseworker)}
    case = act(receive(received_at=day(0)), "start_screening", now=day(1))
    stale(case)
    case = send_deficiency_letter(
        case_id=case.pk, items=["Snittegning"], reply_by=date(16), now=day(2), **writer
    )
    # Waiting before fully informed is never on the clock: it has not started.
    assert stored_key(case) == (None, None, None)
    stale(case)
    (item,) = case.deficiency_items.all()
    receive_deficiency_answer(case_id=case.pk, answered={item.pk: "Modtaget"}, now=day(5), **writer)
    assert stored_key(case) == (None, None, None)
    act(case, "mark_fully_informed", now=day(6))
    stale(case)
    neighbour = get_or_create_citizen(cpr=CPR_B, name="Nabo Nielsen")
    start_hearing(
        case_id=case.pk,
        kind="neighbour",
        reply_by=date(20),
        party_ids=[neighbour.pk],
        now=day(7),
        **writer,
    )
    assert stored_key(case) == (date(46), None, None)
    act(case, "start_assessment", now=day(21))
    act(
        case,
        "decide",
        now=day(30),
        outcome="permit_with_conditions",
        conditions="Taget skal være sort.",
        note=REASONS,
    )
    assert stored_key(case) == (date(46), date(30), 24)


def test_inspections_and_enforcement_have_no_key_and_follow_the_clocked_cases(
    receive: Receive, act: Act, staff: Staff, org: Org
) -> None:
    scope = get_scope(user=staff.caseworker)
    subject = NewCaseSubject(
        area="building",
        cpr=CPR_A,
        property_address="Markvej 3, 9999 Testby",
        unit=org.building_unit,
    )
    clocked = walk_to_assessment(act, receive(received_at=day(3)), informed=4)
    new_application = receive(received_at=day(2))
    inspection = plan_inspection(
        subject=subject,
        planned_for=date(5),
        by=staff.caseworker,
        scope=scope,
        now=day(1),
    )
    act(inspection, "give_notice", now=day(2), inspection=InspectionStep(notice_method="phone"))
    complaint = receive_complaint(
        subject=subject,
        complaint="Skuret står i skel.",
        received_at=day(0),
        by=staff.caseworker,
        scope=scope,
        now=day(0),
    )
    act(complaint, "start_assessment", now=day(3))
    assert stored_key(inspection) == stored_key(complaint) == (None, None, None)
    rows = [(case.pk, days_left_of(case)) for case in list_work_for(scope=scope, today=date(10))]
    assert rows == [
        (clocked.pk, 34),
        (complaint.pk, None),
        (inspection.pk, None),
        (new_application.pk, None),
    ]


def walk_to_assessment(act: Act, case: Case, informed: int) -> Case:
    act(case, "start_screening", now=day(informed))
    act(case, "mark_fully_informed", now=day(informed))
    return act(case, "start_assessment", now=day(informed))


def test_the_work_list_puts_the_most_urgent_first(
    receive: Receive, act: Act, staff: Staff, org: Org
) -> None:
    late = walk_to_assessment(act, receive(received_at=day(0)), informed=1)  # due day 41
    early = walk_to_assessment(act, receive(received_at=day(0)), informed=5)  # due day 45
    waiting = walk_to_assessment(act, receive(received_at=day(0)), informed=2)  # due day 42
    act(waiting, "request_information", now=day(12))  # stands at 30 days left
    new_old = receive(received_at=day(1))
    new_new = receive(received_at=day(3))
    decided = walk_to_assessment(act, receive(received_at=day(0)), informed=1)
    act(decided, "decide", now=day(9), outcome="permit", note=REASONS)
    scope = get_scope(user=staff.caseworker)
    rows = [(case.pk, days_left_of(case)) for case in list_work_for(scope=scope, today=date(20))]
    assert rows == [
        (late.pk, 21),
        (early.pk, 25),
        (waiting.pk, 30),
        (new_old.pk, None),
        (new_new.pk, None),
    ]
    # Forty days on the clock has run out for the others; the waiting case still has 30.
    later = [(case.pk, days_left_of(case)) for case in list_work_for(scope=scope, today=date(80))]
    assert later[:3] == [(late.pk, -39), (early.pk, -35), (waiting.pk, 30)]
    assert list(list_work_for(scope=scope, today=date(20), unit_id=org.benefits_unit.pk)) == []
    assert list(list_work_for(scope=get_scope(user=staff.other_caseworker), today=date(20))) == []


def test_my_cases_are_the_cases_i_work_on(receive: Receive, act: Act, staff: Staff) -> None:
    mine = receive(received_at=day(0))
    receive(received_at=day(0))
    mine.caseworkers.add(staff.caseworker)
    scope = get_scope(user=staff.caseworker)
    rows = list_work_for(scope=scope, today=date(1), caseworker=staff.caseworker)
    assert [case.pk for case in rows] == [mine.pk]
    assert list(list_work_for(scope=scope, today=date(1), caseworker=staff.manager)) == []


def made(receive: Receive, **fields: Any) -> Case:
    """A case with its stored clock set by hand (test_clock_key proves how it is kept)."""
    category = fields.pop("category", "building-single-family")
    case = receive(received_at=day(0), category_code=category)
    Case.objects.filter(pk=case.pk).update(fully_informed_at=day(1), **fields)
    return case


def decided(days_used: int, on: int = 60, **fields: Any) -> dict[str, Any]:
    return {"decided_at": day(on), "clock_days_used": days_used, "state": "decided", **fields}


@pytest.fixture
def hand_made(receive: Receive) -> None:
    made(receive, **decided(30, service_need_type="klar_parat", pre_meeting_on=date(-10)))
    made(receive, **decided(50, service_need_type="klar_parat"))
    made(receive, **decided(20, service_need_type="princip"))
    made(receive, **decided(10, on=200, service_need_type="princip"))  # outside the period
    made(receive, service_need_type="princip", clock_due_on=date(80))  # over on day 90
    made(receive, clock_due_on=date(50), clock_stopped_on=date(51))  # stands over target
    made(receive, clock_due_on=date(95))  # open, within target
    made(receive, category="building-housing", **decided(61, service_need_type="obs"))
    made(receive, category="building-housing", pre_meeting_on=date(-5), **decided(59, on=40))


def rows(table: list[ReportRow]) -> list[tuple[Any, ...]]:
    return [
        (row.key, row.decided, row.on_target, row.median_days, row.open_over_target)
        for row in table
    ]


def report(staff_user: Any, **fields: Any) -> Any:
    return servicemal_report(
        scope=get_scope(user=staff_user),
        decided_from=date(30),
        decided_to=date(60),
        today=date(90),
        **fields,
    )


@pytest.mark.usefixtures("hand_made")
def test_the_servicemal_report_counts_exactly(staff: Staff, org: Org) -> None:
    result = report(staff.caseworker)
    assert rows(result.by_category) == [
        ("building-housing", 2, 1, 60.0, 0),
        ("building-single-family", 3, 2, 30.0, 2),
    ]
    assert [row.label for row in result.by_category] == ["Etageboliger", "Enfamiliehuse"]
    assert rows(result.by_service_need_type) == [
        ("", 1, 1, 59.0, 1),
        ("klar_parat", 2, 1, 40.0, 0),
        ("obs", 1, 0, 61.0, 0),
        ("princip", 1, 1, 20.0, 1),
    ]
    assert rows(result.by_pre_meeting) == [
        ("with", 2, 2, 44.5, 0),
        ("without", 3, 1, 50.0, 2),
    ]
    assert result.by_category[1].share_on_target == pytest.approx(2 / 3)
    assert rows(report(staff.caseworker, unit_id=org.benefits_unit.pk).by_category) == []
    assert rows(report(staff.other_caseworker).by_category) == []


@pytest.mark.usefixtures("hand_made")
def test_the_report_reads_a_fixed_number_of_statements(
    staff: Staff, receive: Receive, django_assert_num_queries: Any
) -> None:
    scope = get_scope(user=staff.caseworker)
    for _ in range(5):
        made(receive, **decided(44, service_need_type="vejledning"))
    with django_assert_num_queries(3):
        servicemal_report(scope=scope, decided_from=date(30), decided_to=date(60), today=date(90))


def test_a_changed_rule_stores_the_keys_again(
    receive: Receive, act: Act, administrator: Any
) -> None:
    case = receive(received_at=day(0))
    act(case, "start_screening", now=day(1))
    act(case, "mark_fully_informed", now=day(2))
    act(case, "start_assessment", now=day(3))
    act(case, "request_information", now=day(10))
    assert stored_key(case) == (date(42), date(10), None)
    settings = AreaSettings.objects.get(area="building")
    assert not settings.waiting_counts
    response = administrator.post(
        f"/admin/cases/areasettings/{settings.pk}/change/",
        {
            "area": "building",
            "waiting_counts": "on",
            "report_working_days": settings.report_working_days,
        },
    )
    assert response.status_code == 302
    # Waiting counts now: the clock runs on through the request for information.
    assert stored_key(case) == (date(42), None, None)
    category = ServiceTargetCategory.objects.get(code="building-single-family")
    category.target_days = 50
    category.save()
    assert refresh_clock_keys(category_id=category.pk) == 1
    assert stored_key(case) == (date(52), None, None)
