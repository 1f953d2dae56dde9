"""The application's state machine through the services, on a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from indgang.cases.constants import CaseState
from indgang.cases.models import Case, CaseEvent, ServiceNeedChange
from indgang.cases.selectors import clock_of, events_of
from indgang.cases.services import (
    change_service_need_type,
    receive_deficiency_answer,
    send_deficiency_letter,
    start_hearing,
)
from indgang.cases.tests.conftest import REASONS, Act, Receive
from indgang.conftest import Staff
from indgang.organisation.selectors import get_scope

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.datetime:
    """Noon, n days after a fixed start in Copenhagen's winter (local date = UTC date)."""
    return dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC) + dt.timedelta(days=n)


def set_type(case: Case, to_type: str, by: User, n: int, reason: str = "Screening") -> Case:
    return change_service_need_type(
        case_id=case.pk, to_type=to_type, reason=reason, by=by, scope=get_scope(user=by), now=day(n)
    )


def states(case: Case) -> list[str]:
    return [event.to_state for event in events_of(case) if event.to_state]


def test_klar_parat_decided_at_screening(receive: Receive, act: Act, staff: Staff) -> None:
    case = receive(received_at=day(0))
    act(case, "start_screening", now=day(1))
    set_type(case, "klar_parat", staff.caseworker, 1)
    case = act(case, "decide_immediately", now=day(3), outcome="permit", note=REASONS)
    assert case.state == CaseState.DECIDED
    assert (case.fully_informed_at, case.decided_at, case.decision) == (day(3), day(3), "permit")
    clock = clock_of(case=case, events=events_of(case), today=day(30).date())
    assert clock is not None
    assert (clock.days_used, clock.days_left, clock.on_target) == (0, 40, True)
    assert states(case) == ["received", "screening", "decided"]


def test_vejledning_with_deficiency_letter_and_hearing(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = receive(received_at=day(0))
    act(case, "start_screening", now=day(1))
    set_type(case, "vejledning", staff.caseworker, 1, reason="Førstegangsansøger")
    writer: dict[str, Any] = {"by": staff.caseworker, "scope": get_scope(user=staff.caseworker)}
    send_deficiency_letter(
        case_id=case.pk, items=["Snittegning"], reply_by=day(20).date(), now=day(2), **writer
    )
    item = case.deficiency_items.get()
    receive_deficiency_answer(case_id=case.pk, answered={item.pk: ""}, now=day(12), **writer)
    act(case, "mark_fully_informed", now=day(13))
    start_hearing(
        case_id=case.pk,
        kind="neighbour",
        reply_by=day(27).date(),
        party_ids=[case.party_id],
        now=day(14),
        **writer,
    )
    act(case, "start_assessment", now=day(28))
    case = act(
        case,
        "decide",
        now=day(50),
        outcome="permit_with_conditions",
        conditions="Skure males grå.",
        note=REASONS,
    )
    case = act(case, "close", now=day(51))
    assert states(case) == [
        "received",
        "screening",
        "deficiency_letter_sent",
        "screening",
        "fully_informed",
        "hearing",
        "assessment",
        "decided",
        "closed",
    ]
    assert (case.fully_informed_at, case.decided_at, case.closed_at) == (day(13), day(50), day(51))
    clock = clock_of(case=case, events=events_of(case), today=day(60).date())
    assert clock is not None
    # Ten days waiting for the applicant, apart from the clock's 37 days (hearing included).
    assert (clock.days_waiting, clock.days_used, clock.days_left, clock.on_target) == (
        10,
        37,
        3,
        True,
    )
    assert clock.due_date == day(53).date()


@pytest.mark.parametrize("service_need_type", ["princip", "obs"])
def test_princip_and_obs_need_a_second_caseworker(
    receive: Receive, act: Act, staff: Staff, second_caseworker: User, service_need_type: str
) -> None:
    case = receive(received_at=day(0), category_code="building-housing")
    act(case, "start_screening", now=day(1))
    set_type(case, service_need_type, staff.caseworker, 1, reason="Naboer gør indsigelse")
    act(case, "mark_fully_informed", now=day(2))
    act(case, "start_assessment", now=day(3))
    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        act(case, "decide", now=day(20), outcome="refusal", note=REASONS)
    assert refused.value.messages == [
        f"En {service_need_type.capitalize()}-sag skal kvalitetssikres af en anden "
        "sagsbehandler før afgørelsen."
    ]
    act(case, "submit_for_review", now=day(20))
    with pytest.raises(ValidationError):
        act(case, "decide", now=day(21), outcome="refusal", note=REASONS)
    assert CaseEvent.objects.count() == events + 1
    assert Case.objects.get(pk=case.pk).state == CaseState.REVIEW
    case = act(case, "decide", by=second_caseworker, now=day(22), outcome="refusal", note=REASONS)
    assert (case.state, case.decision, case.decided_at) == ("decided", "refusal", day(22))
    clock = clock_of(case=case, events=events_of(case), today=day(22).date())
    assert clock is not None
    assert (clock.days_used, clock.days_left) == (20, 40)


def test_no_immediate_decision_without_review_for_princip(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = receive(received_at=day(0))
    act(case, "start_screening", now=day(1))
    set_type(case, "princip", staff.caseworker, 1, reason="Uenig i lokalplanens fortolkning")
    with pytest.raises(ValidationError) as refused:
        act(case, "decide_immediately", now=day(2), outcome="permit", note=REASONS)
    assert refused.value.messages == [
        "En Princip-sag skal kvalitetssikres af en anden sagsbehandler før afgørelsen."
    ]
    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.decided_at, stored.fully_informed_at) == ("screening", None, None)


def test_illegal_transition_changes_nothing(receive: Receive, act: Act) -> None:
    case = receive(received_at=day(0))
    before = (CaseEvent.objects.count(), ServiceNeedChange.objects.count())
    with pytest.raises(ValidationError) as refused:
        act(case, "decide", now=day(1), outcome="permit", note=REASONS)
    assert refused.value.code == "conflict"
    assert refused.value.messages == [
        'Sagen har status "Modtaget"; herfra kan du: Start screening.'
    ]
    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.decided_at, stored.decision) == ("received", None, "")
    assert (CaseEvent.objects.count(), ServiceNeedChange.objects.count()) == before


def test_reopened_case_keeps_its_history(receive: Receive, act: Act, staff: Staff) -> None:
    case = receive(received_at=day(0))
    act(case, "start_screening", now=day(1))
    act(case, "mark_fully_informed", now=day(2))
    act(case, "start_assessment", now=day(3))
    act(case, "decide", now=day(10), outcome="permit", note=REASONS)
    act(case, "close", now=day(11))
    case = act(case, "reopen", now=day(40), note="Klage til Planklagenævnet")
    assert (case.state, case.closed_at, case.decided_at) == ("reopened", None, day(10))
    act(case, "start_assessment", now=day(41))
    case = act(case, "decide", now=day(45), outcome="refusal", note=REASONS)
    assert (case.decided_at, case.decision) == (day(10), "refusal")
    assert states(case) == [
        "received",
        "screening",
        "fully_informed",
        "assessment",
        "decided",
        "closed",
        "reopened",
        "assessment",
        "decided",
    ]
    clock = clock_of(case=case, events=events_of(case), today=day(45).date())
    assert clock is not None
    assert clock.days_used == 8  # the first decision; the appeal is not on the servicemål


def test_service_need_changes_are_all_kept(receive: Receive, staff: Staff) -> None:
    case = receive(received_at=day(0))
    set_type(case, "klar_parat", staff.caseworker, 1, reason="Fyldestgørende ansøgning")
    set_type(case, "princip", staff.caseworker, 5, reason="Naboer gør indsigelse")
    changes = list(ServiceNeedChange.objects.filter(case=case).values_list("from_type", "to_type"))
    assert changes == [("", "klar_parat"), ("klar_parat", "princip")]
    assert Case.objects.get(pk=case.pk).service_need_type == "princip"
    with pytest.raises(ValidationError) as refused:
        set_type(case, "obs", staff.caseworker, 6, reason="  ")
    assert "reason" in refused.value.message_dict
    assert ServiceNeedChange.objects.filter(case=case).count() == 2


class TestBackDating:
    def test_only_administrators_back_date(self, receive: Receive, act: Act) -> None:
        case = receive(received_at=day(0))
        with pytest.raises(ValidationError) as refused:
            act(case, "start_screening", now=day(5), at=day(2))
        assert "at" in refused.value.message_dict
        assert CaseEvent.objects.filter(case=case).count() == 1

    def test_administrator_back_dates_within_the_history(
        self, receive: Receive, act: Act, staff: Staff, org: object
    ) -> None:
        case = receive(received_at=day(0))
        act(case, "start_screening", by=staff.admin, now=day(30), at=day(2))
        with pytest.raises(ValidationError):  # before the previous event
            act(case, "mark_fully_informed", by=staff.admin, now=day(30), at=day(1))
        with pytest.raises(ValidationError):  # in the future
            act(case, "mark_fully_informed", by=staff.admin, now=day(30), at=day(31))
        case = act(case, "mark_fully_informed", by=staff.admin, now=day(30), at=day(4))
        assert case.fully_informed_at == day(4)
        assert [e.at for e in events_of(case)] == [day(0), day(2), day(4)]
        assert [e.recorded_at for e in events_of(case)][1:] == [day(30), day(30)]

    def test_others_may_not_act_on_a_case_they_cannot_see(
        self, receive: Receive, act: Act, staff: Staff
    ) -> None:
        case = receive(received_at=day(0))
        with pytest.raises(Case.DoesNotExist):
            act(case, "start_screening", by=staff.other_caseworker, now=timezone.now())
        assert Case.objects.get(pk=case.pk).state == "received"
