"""Demo cases: building, environment and livestock applications at every stage, and inspections.

Each case is written through the cases services with `now` set to the day of each step, so its
timeline, letters, deadlines and servicemål clock read as if the work had been done then.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indgang.cases.constants import (
    CaseAction,
    CasePartyRole,
    DecisionOutcome,
    HearingKind,
    ServiceNeedType,
)
from indgang.cases.models import Case
from indgang.cases.services import (
    NO_INSPECTION_STEP,
    InspectionStep,
    NewApplication,
    NewCaseSubject,
    add_case_party,
    change_service_need_type,
    give_indskaerpelse,
    plan_inspection,
    receive_application,
    receive_deficiency_answer,
    record_hearing_reply,
    send_deficiency_letter,
    start_hearing,
    take_action,
    take_case,
)
from indgang.demo.people import fictitious_cpr, person_name
from indgang.organisation.models import Unit
from indgang.organisation.selectors import get_scope
from indgang.parties.services import get_or_create_citizen

# Steps, in order; a case stops at the first step that would fall after today.
SCREEN, DEFICIENCY, ANSWER, INFORMED, HEARING, OBJECTION, ASSESS, REVIEW, DECIDE, CLOSE = [
    "screen",
    "deficiency",
    "answer",
    "informed",
    "hearing",
    "objection",
    "assess",
    "review",
    "decide",
    "close",
]
DAYS_BETWEEN_STEPS = {DEFICIENCY: 3, ANSWER: 12, HEARING: 4, OBJECTION: 10, DECIDE: 9}
DEFAULT_DAYS_BETWEEN_STEPS = 5


@dataclass(frozen=True)
class DemoApplication:
    category: str
    area: str
    address: str
    service_need_type: ServiceNeedType
    days_ago: int
    steps: tuple[str, ...]


T = ServiceNeedType
APPLICATIONS = [
    DemoApplication(
        "building-simple",
        "building",
        "Tagensvej 12",
        T.KLAR_PARAT,
        60,
        (SCREEN, INFORMED, ASSESS, DECIDE, CLOSE),
    ),
    DemoApplication(
        "building-simple", "building", "Jagtvej 40", T.KLAR_PARAT, 20, (SCREEN, INFORMED, ASSESS)
    ),
    DemoApplication(
        "building-single-family",
        "building",
        "Bellahøjvej 7",
        T.VEJLEDNING,
        90,
        (SCREEN, DEFICIENCY, ANSWER, INFORMED, ASSESS, DECIDE),
    ),
    DemoApplication(
        "building-single-family",
        "building",
        "Husumvej 88",
        T.VEJLEDNING,
        25,
        (SCREEN, DEFICIENCY),
    ),
    DemoApplication(
        "building-single-family",
        "building",
        "Brønshøj Torv 3",
        T.KLAR_PARAT,
        75,
        (SCREEN, INFORMED, HEARING, OBJECTION, ASSESS, REVIEW),
    ),
    DemoApplication(
        "building-housing",
        "building",
        "Ørestads Boulevard 50",
        T.PRINCIP,
        110,
        (SCREEN, DEFICIENCY, ANSWER, INFORMED, HEARING, OBJECTION, ASSESS),
    ),
    DemoApplication(
        "building-commercial",
        "building",
        "Kalvebod Brygge 20",
        T.OBS,
        80,
        (SCREEN, INFORMED, HEARING, ASSESS, REVIEW, DECIDE),
    ),
    DemoApplication("building-industry", "building", "Kraftværksvej 9", T.VEJLEDNING, 8, (SCREEN,)),
    DemoApplication("building-simple", "building", "Peter Bangs Vej 30", T.KLAR_PARAT, 1, ()),
    DemoApplication(
        "environment-annex-2",
        "environment",
        "Prøvestensbroen 4",
        T.VEJLEDNING,
        100,
        (SCREEN, DEFICIENCY, ANSWER, INFORMED, HEARING, ASSESS),
    ),
    DemoApplication(
        "livestock-16b",
        "livestock",
        "Kongelundsvej 300",
        T.PRINCIP,
        70,
        (SCREEN, INFORMED, HEARING, OBJECTION, ASSESS),
    ),
]


def load_cases_demo(
    *,
    caseworker: User,
    manager: User,
    unit: Unit,
    now: dt.datetime,
    progress: Callable[[str], None],
) -> None:
    """Add the demo cases once (nothing happens if the unit has cases)."""
    if Case.objects.filter(unit=unit).exists():
        return
    rng = random.Random(19)  # noqa: S311 - invented data, not security
    for application in APPLICATIONS:
        _walk(application, caseworker=caseworker, manager=manager, unit=unit, now=now, rng=rng)
    _inspections(caseworker=caseworker, manager=manager, unit=unit, now=now, rng=rng)
    progress(_("Cases: %(count)d") % {"count": Case.objects.filter(unit=unit).count()})


def _walk(
    application: DemoApplication,
    *,
    caseworker: User,
    manager: User,
    unit: Unit,
    now: dt.datetime,
    rng: random.Random,
) -> None:
    scope = get_scope(user=caseworker)
    when = now - dt.timedelta(days=application.days_ago)
    case = receive_application(
        new=NewApplication(
            area=application.area,
            category_code=application.category,
            received_at=when,
            cpr=fictitious_cpr(rng),
            party_name=person_name(rng),
            property_address=f"{application.address}, København",
            unit=unit,
            attachments=[_("Drawings"), _("Site plan")],
        ),
        received_by=caseworker,
        scope=scope,
        now=when,
    )
    neighbour = get_or_create_citizen(cpr=fictitious_cpr(rng), name=person_name(rng))
    hearing_id = 0
    for step in application.steps:
        when += dt.timedelta(days=DAYS_BETWEEN_STEPS.get(step, DEFAULT_DAYS_BETWEEN_STEPS))
        if when > now:
            return
        actor: dict[str, Any] = {"by": caseworker, "scope": scope, "now": when}
        if step == SCREEN:
            # The caseworker who screens the case takes it ("Tag sagen") first.
            take_case(case_id=case.pk, **actor)
            _act(case, CaseAction.START_SCREENING, caseworker, when)
            change_service_need_type(
                case_id=case.pk,
                to_type=application.service_need_type,
                reason=_("Screened on receipt."),
                **actor,
            )
        elif step == DEFICIENCY:
            send_deficiency_letter(
                case_id=case.pk,
                items=[_("A facade drawing with heights"), _("The distance to the boundary")],
                reply_by=when.date() + dt.timedelta(days=14),
                **actor,
            )
        elif step == ANSWER:
            receive_deficiency_answer(
                case_id=case.pk,
                answered={item.pk: _("Received") for item in case.deficiency_items.all()},
                **actor,
            )
        elif step == INFORMED:
            _act(case, CaseAction.MARK_FULLY_INFORMED, caseworker, when)
        elif step == HEARING:
            add_case_party(
                case_id=case.pk,
                party_id=neighbour.pk,
                role=CasePartyRole.NEIGHBOUR,
                **actor,
            )
            hearing_id = start_hearing(
                case_id=case.pk,
                kind=HearingKind.NEIGHBOUR,
                reply_by=when.date() + dt.timedelta(days=14),
                party_ids=[neighbour.pk],
                **actor,
            ).pk
        elif step == OBJECTION:
            record_hearing_reply(
                case_id=case.pk,
                hearing_id=hearing_id,
                party_id=neighbour.pk,
                received_at=when,
                objects_to=True,
                summary=_("The building will shade our garden."),
                **actor,
            )
            if application.service_need_type == T.KLAR_PARAT:
                change_service_need_type(
                    case_id=case.pk,
                    to_type=T.PRINCIP,
                    reason=_("The neighbour objects."),
                    **actor,
                )
        elif step == ASSESS:
            _act(case, CaseAction.START_ASSESSMENT, caseworker, when)
        elif step == REVIEW:
            _act(case, CaseAction.SUBMIT_FOR_REVIEW, caseworker, when)
        elif step == DECIDE:
            case.refresh_from_db()
            _act(
                case,
                CaseAction.DECIDE,
                manager if case.state == "review" else caseworker,
                when,
                outcome=DecisionOutcome.PERMIT,
            )
        elif step == CLOSE:
            _act(case, CaseAction.CLOSE, caseworker, when)


def _act(
    case: Case,
    action: CaseAction,
    by: User,
    when: dt.datetime,
    *,
    outcome: str = "",
    inspection: InspectionStep = NO_INSPECTION_STEP,
) -> None:
    take_action(
        case_id=case.pk,
        action=action,
        by=by,
        scope=get_scope(user=by),
        now=when,
        outcome=outcome,
        note=_("Permit as applied for.") if outcome else "",
        inspection=inspection,
    )


def _inspections(
    *, caseworker: User, manager: User, unit: Unit, now: dt.datetime, rng: random.Random
) -> None:
    """One inspection planned, one visited with an indskærpelse that is not yet remedied."""
    scope = get_scope(user=caseworker)
    for address, planned_in in (("Refshalevej 163", 10), ("Vermlandsgade 51", 0)):
        when = now - dt.timedelta(days=30 - planned_in * 3)
        case = plan_inspection(
            subject=NewCaseSubject(
                area="environment",
                cpr=fictitious_cpr(rng),
                party_name=person_name(rng),
                property_address=f"{address}, København",
                unit=unit,
            ),
            planned_for=when.date() + dt.timedelta(days=planned_in or 7),
            by=caseworker,
            scope=scope,
            now=when,
        )
        if planned_in:
            continue
        when += dt.timedelta(days=2)
        _act(
            case,
            CaseAction.GIVE_NOTICE,
            caseworker,
            when,
            inspection=InspectionStep(notice_method="phone"),
        )
        when += dt.timedelta(days=5)
        _act(
            case,
            CaseAction.RECORD_VISIT,
            caseworker,
            when,
            inspection=InspectionStep(staff_ids=(caseworker.pk, manager.pk)),
        )
        when += dt.timedelta(days=3)
        _act(
            case,
            CaseAction.SEND_REPORT,
            caseworker,
            when,
            inspection=InspectionStep(
                findings=(_("The oil tank has no drip tray."),),
                next_steps=_("You will get an indskærpelse about the drip tray."),
            ),
        )
        give_indskaerpelse(
            case_id=case.pk,
            cause=_("The oil tank has no drip tray."),
            requirement=_("Place the oil tank in a drip tray that holds its whole volume."),
            deadline=when.date() + dt.timedelta(days=28),
            by=caseworker,
            scope=scope,
            now=when,
        )
        _act(case, CaseAction.START_FOLLOW_UP, caseworker, when)
