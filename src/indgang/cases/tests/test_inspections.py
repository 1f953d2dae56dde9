"""Inspections, indskærpelser and enforcement cases through the services, on a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from indgang.cases.constants import CaseKind, ServiceNeedType
from indgang.cases.lifecycle import allowed_actions
from indgang.cases.models import AreaSettings, Case, CaseEvent, Indskaerpelse, Inspection
from indgang.cases.selectors import clock_of, events_of, suggestion_facts
from indgang.cases.services import (
    InspectionStep,
    NewCaseSubject,
    change_service_need_type,
    follow_up_indskaerpelse,
    give_indskaerpelse,
    mark_remedied,
    plan_inspection,
    receive_complaint,
    start_enforcement,
)
from indgang.cases.suggestion import Suggestion, suggest_service_need
from indgang.cases.tests.conftest import REASONS, Act, Receive
from indgang.common.errors import CONFLICT
from indgang.conftest import CPR_A, CPR_B, Org, Staff
from indgang.deadlines.services import extend_deadline
from indgang.letters.models import Letter
from indgang.organisation.selectors import get_scope

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.datetime:
    """Noon UTC (13:00 in Copenhagen, within opening hours), n days after Monday 5 January 2026."""
    return dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC) + dt.timedelta(days=n)


Plan = Callable[..., Case]
REPORT = InspectionStep(next_steps="Vi følger op på indskærpelserne.")


@pytest.fixture
def plan(staff: Staff, org: Org) -> Plan:
    """Plan a building inspection on day 0 for day 2, typed as told (default klar-parat)."""

    def _plan(service_need_type: str = "klar_parat", **fields: Any) -> Case:
        fields.setdefault("area", "building")
        fields.setdefault("cpr", CPR_A)
        fields.setdefault("property_address", "Markvej 3, 9999 Testby")
        fields.setdefault("unit", org.building_unit)
        scope = get_scope(user=staff.caseworker)
        case = plan_inspection(
            subject=NewCaseSubject(**fields),
            planned_for=day(2).date(),
            by=staff.caseworker,
            scope=scope,
            now=day(0),
        )
        return change_service_need_type(
            case_id=case.pk,
            to_type=service_need_type,
            reason="Screening",
            by=staff.caseworker,
            scope=scope,
            now=day(0),
        )

    return _plan


def visit(case: Case, act: Act, *staff: User, n: int = 3) -> Case:
    """Give notice by phone on day 1 and record the visit on day n with these staff."""
    act(case, "give_notice", now=day(1), inspection=InspectionStep(notice_method="phone"))
    return act(
        case,
        "record_visit",
        now=day(n),
        inspection=InspectionStep(staff_ids=tuple(user.pk for user in staff)),
    )


def give(case: Case, by: User, n: int, deadline: int = 20) -> Indskaerpelse:
    return give_indskaerpelse(
        case_id=case.pk,
        cause="Gyllebeholderen er ikke overdækket (husdyrgødningsbekendtgørelsen § 19).",
        requirement="Læg flydelag eller fast overdækning på beholderen.",
        deadline=day(deadline).date(),
        by=by,
        scope=get_scope(user=by),
        now=day(n),
    )


def snapshot(case: Case) -> tuple[Any, ...]:
    """Everything a refused action must leave as it was."""
    case.refresh_from_db()
    inspection = Inspection.objects.filter(case=case).first()
    return (
        case.state,
        case.decision,
        case.decided_at,
        case.closed_at,
        list(CaseEvent.objects.filter(case=case).values_list("pk", flat=True)),
        None
        if inspection is None
        else (
            inspection.notice_method,
            inspection.agenda,
            inspection.visited_at,
            inspection.report_due,
            inspection.report_sent_at,
            sorted(inspection.staff_present.values_list("pk", flat=True)),
        ),
        list(
            Indskaerpelse.objects.filter(case=case).values_list("remedied_at", "enforcement_case")
        ),
        Case.objects.count(),
    )


def refused(call: Callable[[], object], case: Case) -> ValidationError:
    """Call, expect a refusal, and check that nothing changed."""
    before = snapshot(case)
    with pytest.raises(ValidationError) as refusal:
        call()
    assert snapshot(case) == before
    return refusal.value


def states(case: Case) -> list[str]:
    return [event.to_state for event in events_of(case) if event.to_state]


def test_princip_inspection_from_plan_to_closed(
    plan: Plan, act: Act, staff: Staff, second_caseworker: User
) -> None:
    case = plan("princip")
    assert (case.kind, case.state, case.received_at) == ("inspection", "planned", day(0))
    assert allowed_actions(case.state, case.kind) == ["give_notice"]
    act(
        case,
        "give_notice",
        now=day(1),
        inspection=InspectionStep(notice_method="letter", agenda="Gennemgang af gyllebeholder"),
    )
    case = act(
        case,
        "record_visit",
        now=day(3),
        inspection=InspectionStep(staff_ids=(staff.caseworker.pk, second_caseworker.pk)),
    )
    inspection = Inspection.objects.get(case=case)
    assert (inspection.notice_method, inspection.agenda) == (
        "letter",
        "Gennemgang af gyllebeholder",
    )
    assert inspection.visited_at == day(3)
    # Thursday 8 January + 10 working days (no holidays on the way) = Thursday 22 January.
    assert inspection.report_due == dt.date(2026, 1, 22)
    assert set(inspection.staff_present.all()) == {staff.caseworker, second_caseworker}
    given = give(case, staff.caseworker, n=3)
    case = act(case, "send_report", now=day(10), inspection=REPORT)
    assert Inspection.objects.get(case=case).report_sent_at == day(10)
    act(case, "start_follow_up", now=day(11))
    follow_up_indskaerpelse(
        case_id=case.pk,
        indskaerpelse_id=given.pk,
        note="Ringet til ejeren; overdækning bestilt.",
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=day(15),
    )
    mark_remedied(
        case_id=case.pk,
        indskaerpelse_id=given.pk,
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=day(18),
    )
    case = act(case, "close", now=day(19))
    given.refresh_from_db()
    assert (given.remedied_at, given.follow_up_note) == (
        day(18),
        "Ringet til ejeren; overdækning bestilt.",
    )
    assert (case.state, case.closed_at) == ("closed", day(19))
    assert states(case) == [
        "planned",
        "notice_given",
        "visited",
        "report_sent",
        "follow_up",
        "closed",
    ]
    assert [event.kind for event in events_of(case)] == [
        "received",
        "service_need_changed",
        "transition",
        "transition",
        "indskaerpelse_given",
        "transition",
        "transition",
        "indskaerpelse_follow_up",
        "indskaerpelse_remedied",
        "transition",
    ]
    report = next(event for event in events_of(case) if event.action == "send_report")
    assert report.data == {
        "on_time": True,
        "findings": [],
        "next_steps": "Vi følger op på indskærpelserne.",
        "letter": Letter.objects.get(kind="inspection_report").pk,
    }
    assert clock_of(case=case, events=events_of(case), today=day(30).date()) is None


def test_notice_by_phone_writes_no_letter_and_the_visit_starts_the_report_deadline(
    plan: Plan, act: Act, staff: Staff
) -> None:
    case = visit(plan(), act, staff.caseworker)
    assert not Letter.objects.exists()
    deadline = Inspection.objects.get(case=case).report_deadline
    assert deadline is not None
    # Thursday 8 January, 13:00 in Copenhagen, + 10 working days.
    assert (deadline.kind, deadline.status, deadline.started_at, deadline.due_at) == (
        "inspection_report",
        "open",
        day(3),
        day(17),
    )


def test_report_due_follows_the_areas_setting(plan: Plan, act: Act, staff: Staff) -> None:
    AreaSettings.objects.filter(area="building").update(report_working_days=5)
    case = visit(plan(), act, staff.caseworker)
    assert Inspection.objects.get(case=case).report_due == dt.date(2026, 1, 15)


@pytest.mark.parametrize("service_need_type", ["princip", "obs"])
def test_visit_with_one_staff_refused_for_princip_and_obs(
    plan: Plan, act: Act, staff: Staff, service_need_type: str
) -> None:
    case = plan(service_need_type)
    act(case, "give_notice", now=day(1), inspection=InspectionStep(notice_method="phone"))
    label = {"princip": "Princip", "obs": "Obs"}[service_need_type]
    refusal = refused(
        lambda: act(
            case,
            "record_visit",
            now=day(3),
            inspection=InspectionStep(staff_ids=(staff.caseworker.pk,)),
        ),
        case,
    )
    assert refusal.message_dict == {
        "staff_present": [
            f"Et tilsyn af typen {label} kræver to medarbejdere ved besøget; du har angivet 1."
        ]
    }


def test_visit_with_one_staff_is_enough_for_klar_parat(plan: Plan, act: Act, staff: Staff) -> None:
    case = visit(plan("klar_parat"), act, staff.caseworker)
    assert case.state == "visited"
    assert list(Inspection.objects.get(case=case).staff_present.all()) == [staff.caseworker]


def test_visit_without_staff_or_with_unknown_staff_refused(
    plan: Plan, act: Act, staff: Staff
) -> None:
    case = plan()
    act(case, "give_notice", now=day(1), inspection=InspectionStep(notice_method="phone"))
    nobody = refused(lambda: act(case, "record_visit", now=day(3)), case)
    assert nobody.message_dict == {
        "staff_present": ["Angiv medarbejderne, der var til stede ved besøget."]
    }
    unknown = refused(
        lambda: act(
            case,
            "record_visit",
            now=day(3),
            inspection=InspectionStep(staff_ids=(staff.caseworker.pk, 999_999)),
        ),
        case,
    )
    assert unknown.message_dict == {"staff_present": ["Angiv kun aktive medarbejdere."]}


def test_notice_needs_a_method_and_a_letter_its_agenda(plan: Plan, act: Act) -> None:
    case = plan()
    no_method = refused(lambda: act(case, "give_notice", now=day(1)), case)
    assert no_method.message_dict == {
        "notice_method": ["Angiv, hvordan parten er varslet: telefonisk eller med brev."]
    }
    no_agenda = refused(
        lambda: act(
            case, "give_notice", now=day(1), inspection=InspectionStep(notice_method="letter")
        ),
        case,
    )
    assert no_agenda.message_dict == {"agenda": ["Et varslingsbrev skal give tilsynets dagsorden."]}


def test_illegal_inspection_step_names_state_and_allowed(plan: Plan, act: Act) -> None:
    case = plan()
    refusal = refused(lambda: act(case, "send_report", now=day(1), inspection=REPORT), case)
    assert refusal.code == CONFLICT
    assert refusal.messages == ['Sagen har status "Planlagt"; herfra kan du: Varsl tilsynet.']
    # The application's actions are not the inspection's.
    refusal = refused(lambda: act(case, "start_screening", now=day(1)), case)
    assert refusal.messages == ['Sagen har status "Planlagt"; herfra kan du: Varsl tilsynet.']


def test_close_refused_while_an_indskaerpelse_is_open(plan: Plan, act: Act, staff: Staff) -> None:
    case = visit(plan(), act, staff.caseworker)
    act(case, "send_report", now=day(4), inspection=REPORT)
    no_open = refused(lambda: act(case, "start_follow_up", now=day(4)), case)
    assert no_open.code == CONFLICT
    assert no_open.messages == ["Der er ingen åben indskærpelse at følge op på."]
    give(case, staff.caseworker, n=5)
    refusal = refused(lambda: act(case, "close", now=day(6)), case)
    assert refusal.code == CONFLICT
    assert refusal.messages == [
        "Åbne indskærpelser: 1. Markér dem som efterkommet, eller start først en lovliggørelsessag."
    ]


def test_indskaerpelse_refusals_change_nothing(
    plan: Plan, act: Act, staff: Staff, receive: Receive
) -> None:
    case = plan()
    scope = get_scope(user=staff.caseworker)
    before_visit = refused(lambda: give(case, staff.caseworker, n=1), case)
    assert before_visit.messages == [
        'Tilsynet er "Planlagt"; indskærpelser gives fra besøget, til tilsynet lukkes.'
    ]
    visit(case, act, staff.caseworker)
    blank = refused(
        lambda: give_indskaerpelse(
            case_id=case.pk,
            cause="\u200b",
            requirement="",
            deadline=day(3).date(),
            by=staff.caseworker,
            scope=scope,
            now=day(3),
        ),
        case,
    )
    assert blank.message_dict == {
        "cause": ["Angiv begrundelsen for indskærpelsen."],
        "requirement": ["Skriv, hvad parten skal gøre."],
        "deadline": ["Fristen for lovliggørelse skal ligge efter i dag."],
    }
    application = receive()
    on_application = refused(lambda: give(application, staff.caseworker, n=3), application)
    assert on_application.messages == ["Indskærpelser gives kun ved tilsyn."]


def test_enforcement_waits_for_an_extended_remediation_deadline(
    plan: Plan, act: Act, staff: Staff
) -> None:
    inspection = visit(plan(), act, staff.caseworker)
    given = give(inspection, staff.caseworker, n=3, deadline=20)
    assert given.remediation_deadline is not None
    extend_deadline(
        deadline=given.remediation_deadline,
        due_at=day(25),
        by=staff.caseworker,
        now=day(10),
        reason="Ejeren venter på en entreprenør.",
    )

    def enforce(n: int) -> Case:
        return start_enforcement(
            case_id=inspection.pk,
            indskaerpelse_id=given.pk,
            by=staff.caseworker,
            scope=get_scope(user=staff.caseworker),
            now=day(n),
        )

    too_early = refused(lambda: enforce(22), inspection)
    assert too_early.messages == [
        "Fristen for lovliggørelse (30.01.2026) er ikke overskredet endnu."
    ]
    assert enforce(25).kind == "enforcement"
    given.remediation_deadline.refresh_from_db()
    assert (given.remediation_deadline.status, given.remediation_deadline.stopped_by) == (
        "completed",
        "enforcement",
    )


def test_unremedied_indskaerpelse_starts_an_enforcement_case_decided_and_closed(
    plan: Plan, act: Act, staff: Staff, second_caseworker: User
) -> None:
    inspection = visit(plan(), act, staff.caseworker)
    inspection.caseworkers.set([staff.caseworker, second_caseworker])
    given = give(inspection, staff.caseworker, n=3, deadline=20)
    act(inspection, "send_report", now=day(5), inspection=REPORT)
    act(inspection, "start_follow_up", now=day(6))
    scope = get_scope(user=staff.caseworker)

    def enforce(n: int) -> Case:
        return start_enforcement(
            case_id=inspection.pk,
            indskaerpelse_id=given.pk,
            by=staff.caseworker,
            scope=scope,
            now=day(n),
        )

    too_early = refused(lambda: enforce(20), inspection)
    assert too_early.messages == [
        "Fristen for lovliggørelse (25.01.2026) er ikke overskredet endnu."
    ]
    case = enforce(21)
    given.refresh_from_db()
    assert given.enforcement_case == case
    assert (case.kind, case.state, case.received_at) == ("enforcement", "received", day(21))
    assert (case.party_id, case.area, case.department_id, case.unit_id) == (
        inspection.party_id,
        inspection.area,
        inspection.department_id,
        inspection.unit_id,
    )
    assert case.property_address == "Markvej 3, 9999 Testby"
    assert set(case.caseworkers.all()) == {staff.caseworker, second_caseworker}
    assert case.origin_indskaerpelse == given
    assert events_of(case)[0].data == {
        "origin": "indskaerpelse",
        "indskaerpelse": given.pk,
        "inspection": inspection.pk,
    }
    assert events_of(inspection)[-1].data == {
        "indskaerpelse": given.pk,
        "enforcement_case": case.pk,
    }
    again = refused(lambda: enforce(22), inspection)
    assert again.messages == [f"Indskærpelsen er gået videre til lovliggørelsessag {case.pk}."]
    # The indskærpelse is no longer open: the inspection may close.
    assert act(inspection, "close", now=day(22)).state == "closed"

    assert allowed_actions(case.state, case.kind) == ["start_assessment"]
    act(case, "start_assessment", now=day(22))
    without_hearing = refused(
        lambda: act(case, "decide", now=day(23), outcome="police_report", note=REASONS), case
    )
    assert without_hearing.messages == ["Afgørelsen går parten imod: hold partshøring først."]
    act(case, "start_hearing", now=day(23))
    application_outcome = refused(
        lambda: act(case, "decide", now=day(30), outcome="permit", note=REASONS), case
    )
    assert application_outcome.message_dict == {
        "decision": [
            'Afgørelsen "Tilladelse" passer ikke til en sag af denne art (Lovliggørelsessag); '
            "vælg en af: Retlig lovliggørelse (ansøgning), Fysisk lovliggørelse, "
            "Politianmeldelse, Klage afvist som ubegrundet."
        ]
    }
    case = act(case, "decide", now=day(30), outcome="physical_legalisation", note=REASONS)
    assert (case.state, case.decision, case.decided_at) == (
        "decided",
        "physical_legalisation",
        day(30),
    )
    assert case.fully_informed_at is None  # the servicemål is for applications only
    case = act(case, "close", now=day(31))
    case = act(case, "reopen", now=day(40), note="Klage til Planklagenævnet")
    assert (case.state, case.closed_at, case.decision) == (
        "reopened",
        None,
        "physical_legalisation",
    )
    assert states(case) == ["received", "assessment", "hearing", "decided", "closed", "reopened"]
    assert clock_of(case=case, events=events_of(case), today=day(40).date()) is None


def test_a_remedied_indskaerpelse_cannot_start_enforcement(
    plan: Plan, act: Act, staff: Staff
) -> None:
    inspection = visit(plan(), act, staff.caseworker)
    given = give(inspection, staff.caseworker, n=3, deadline=10)
    scope = get_scope(user=staff.caseworker)
    mark_remedied(
        case_id=inspection.pk,
        indskaerpelse_id=given.pk,
        by=staff.caseworker,
        scope=scope,
        now=day(8),
    )
    refusal = refused(
        lambda: start_enforcement(
            case_id=inspection.pk,
            indskaerpelse_id=given.pk,
            by=staff.caseworker,
            scope=scope,
            now=day(12),
        ),
        inspection,
    )
    assert refusal.code == CONFLICT
    assert refusal.messages == ["Indskærpelsen blev efterkommet 13.01.2026."]


def test_application_cannot_end_in_an_enforcement_outcome(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = receive(received_at=day(0))
    act(case, "start_screening", now=day(1))
    refusal = refused(
        lambda: act(case, "decide_immediately", now=day(2), outcome="police_report", note=REASONS),
        case,
    )
    assert refusal.message_dict == {
        "decision": [
            'Afgørelsen "Politianmeldelse" passer ikke til en sag af denne art (Ansøgning); '
            "vælg en af: Tilladelse, Tilladelse med vilkår, Afslag."
        ]
    }


def test_complaint_received_directly_is_rejected_as_unfounded_without_hearing(
    act: Act, staff: Staff, org: Org
) -> None:
    case = receive_complaint(
        subject=NewCaseSubject(
            area="environment",
            cpr=CPR_A,
            property_address="Markvej 3, 9999 Testby",
            unit=org.building_unit,
        ),
        complaint="Lugtgener fra gyllebeholder om natten.",
        received_at=day(0),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=day(1),
    )
    assert (case.kind, case.state, case.area) == (CaseKind.ENFORCEMENT, "received", "environment")
    first = events_of(case)[0]
    assert (first.note, first.data) == (
        "Lugtgener fra gyllebeholder om natten.",
        {"origin": "complaint"},
    )
    act(case, "start_assessment", now=day(2))
    case = act(case, "decide", now=day(5), outcome="complaint_unfounded", note=REASONS)
    assert (case.state, case.decision) == ("decided", "complaint_unfounded")


def test_new_inspection_and_complaint_refuse_bad_input_and_store_nothing(
    staff: Staff, org: Org
) -> None:
    scope = get_scope(user=staff.caseworker)
    before = Case.objects.count()
    with pytest.raises(ValidationError) as inspection:
        plan_inspection(
            subject=NewCaseSubject(area="sea", unit=org.building_unit),
            planned_for=day(-1).date(),
            by=staff.caseworker,
            scope=scope,
            now=day(0),
        )
    assert inspection.value.message_dict == {
        "planned_for": ["Et tilsyn kan ikke planlægges til en dag, der er gået."],
        "area": ["Vælg byggeri, miljø eller husdyr."],
        "cpr": ["Angiv ansøgerens CPR-nummer eller CVR-nummer (ét af dem)."],
    }
    with pytest.raises(ValidationError) as complaint:
        receive_complaint(
            subject=NewCaseSubject(area="building", cpr=CPR_A, unit=org.benefits_unit),
            complaint=" ",
            received_at=day(0),
            by=staff.caseworker,
            scope=scope,
            now=day(1),
        )
    assert complaint.value.message_dict == {
        "complaint": ["Skriv, hvad klagen handler om."],
        "unit": ["Vælg en enhed i en forvaltning, du arbejder i."],
    }
    assert Case.objects.count() == before


def test_the_partys_earlier_indskaerpelser_feed_an_applications_suggestion(
    plan: Plan, act: Act, staff: Staff, receive: Receive, django_assert_num_queries: Any
) -> None:
    """Only the party's indskærpelser given before the application came in count, at any
    inspection; another party's do not; the facts take three statements however many there are."""
    inspection = visit(plan(), act, staff.caseworker)
    give(inspection, staff.caseworker, 3)
    give(inspection, staff.caseworker, 4)
    give(visit(plan(cpr=CPR_B), act, staff.caseworker), staff.caseworker, 4)
    application = receive(received_at=day(10))
    give(inspection, staff.caseworker, 12, deadline=30)
    with django_assert_num_queries(3):
        facts = suggestion_facts(case=application)
    assert facts.indskaerpelser == 2
    assert suggest_service_need(facts) == Suggestion(
        type=ServiceNeedType.OBS, reasons=["2 tidligere indskærpelser."]
    )
    other = receive(received_at=day(10), cpr=CPR_B)
    assert suggest_service_need(suggestion_facts(case=other)) == Suggestion(
        type=ServiceNeedType.VEJLEDNING, reasons=["Én tidligere indskærpelse."]
    )
