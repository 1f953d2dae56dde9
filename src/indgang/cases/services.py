"""Writes: receive an application, move it through the state machine, change its type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.cases.constants import (
    APPLICATION_OUTCOMES,
    ENFORCEMENT_OUTCOMES,
    REVIEW_REQUIRED,
    TWO_STAFF_REQUIRED,
    WITHOUT_HEARING,
    Area,
    CaseAction,
    CaseEventKind,
    CaseKind,
    CaseState,
    DecisionOutcome,
    NoticeMethod,
    ServiceNeedType,
)
from indgang.cases.lifecycle import DECIDING, allowed_actions, target_of
from indgang.cases.models import (
    Case,
    CaseEvent,
    Indskaerpelse,
    Inspection,
    ServiceNeedChange,
    ServiceTargetCategory,
)
from indgang.cases.selectors import get_case_to_change, report_due_date
from indgang.catalogue.models import KleEntry
from indgang.catalogue.selectors import retired_topic_refusal
from indgang.common.errors import CONFLICT
from indgang.common.inputs import INVISIBLE, received_time_refusal
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen, get_or_create_company


@dataclass(frozen=True)
class NewApplication:
    """An application as the portal delivers it."""

    area: str
    category_code: str
    received_at: dt.datetime
    cpr: str | None = None
    cvr: str | None = None
    party_name: str = ""
    property_address: str = ""
    cadastral_number: str = ""
    property_number: str = ""
    kle_topic: KleEntry | None = None
    unit: Unit | None = None
    attachments: list[str] = field(default_factory=list)


def _check_party_and_place(
    *,
    cpr: str | None,
    cvr: str | None,
    kle_topic: KleEntry | None,
    unit: Unit | None,
    scope: Scope,
    errors: dict[str, str],
) -> tuple[str | None, str | None, int | None]:
    """Check the party's number, the topic and the unit of a new case into `errors`; return the
    cleaned CPR and CVR numbers and the department the case belongs to."""
    cleaned_cpr = cleaned_cvr = None
    if bool(cpr) == bool(cvr):
        errors["cpr"] = _("Give the applicant's CPR number or CVR number (one of them).")
    try:
        cleaned_cpr = clean_cpr(cpr) if cpr else None
    except InvalidIdentifierError as error:
        errors["cpr"] = str(error)
    try:
        cleaned_cvr = clean_cvr(cvr) if cvr else None
    except InvalidIdentifierError as error:
        errors["cvr"] = str(error)
    if refusal := retired_topic_refusal(kle_topic):
        errors["kle_topic"] = refusal
    department_id = unit.department_id if unit else scope.home_department_id
    if department_id is None or not scope.sees_in_full(department_id):
        errors["unit"] = _("Choose a unit in a department you work in.")
    return cleaned_cpr, cleaned_cvr, department_id


def _party(*, cpr: str | None, cvr: str | None, name: str) -> Party:
    """The citizen or company of a new case, created if new."""
    if cpr:
        return get_or_create_citizen(cpr=cpr, name=name)
    return get_or_create_company(cvr=cvr or "", name=name)


def receive_application(
    *, new: NewApplication, received_by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Register an application as a new case in state `received`, with its receipt event.

    A ValidationError with a Danish message per field for anything wrong; nothing is stored then.
    """
    errors: dict[str, str] = {}
    if refusal := received_time_refusal(new.received_at, now=now):
        errors["received_at"] = refusal
    category = ServiceTargetCategory.objects.filter(code=new.category_code).first()
    if category is None or not category.active:
        errors["category"] = _("There is no service target category %(code)s in use.") % {
            "code": new.category_code
        }
    elif category.area != new.area:
        errors["category"] = _("The category %(code)s does not belong to that area.") % {
            "code": new.category_code
        }
    cpr, cvr, department_id = _check_party_and_place(
        cpr=new.cpr, cvr=new.cvr, kle_topic=new.kle_topic, unit=new.unit, scope=scope, errors=errors
    )
    if any(not title.strip(INVISIBLE) for title in new.attachments):
        errors["attachments"] = _("Every attachment needs a title.")
    if errors:
        raise ValidationError(errors)
    assert department_id is not None  # noqa: S101 - checked above
    with transaction.atomic():
        party = _party(cpr=cpr, cvr=cvr, name=new.party_name)
        case = Case.objects.create(
            kind=CaseKind.APPLICATION,
            area=new.area,
            party=party,
            property_address=new.property_address,
            cadastral_number=new.cadastral_number,
            property_number=new.property_number,
            kle_topic=new.kle_topic,
            category=category,
            department_id=department_id,
            unit_id=new.unit.pk if new.unit else scope.home_unit_id,
            state=CaseState.RECEIVED,
            received_at=new.received_at,
            attachments=list(new.attachments),
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.RECEIVED,
            to_state=CaseState.RECEIVED,
            at=new.received_at,
            by=received_by,
            data={"attachments": list(new.attachments)},
            recorded_at=now,
        )
    return case


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code=CONFLICT)


def _when(*, case: Case, scope: Scope, at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """The time an action takes effect: now, or `at` for an administrator back-dating it."""
    previous = case.events.order_by("-at", "-pk").values_list("at", flat=True).first()
    if at is None:
        return now if previous is None else max(now, previous)
    if not scope.sees_all:
        raise ValidationError({"at": _("Only administrators may back-date an action.")})
    if at > now:
        raise ValidationError({"at": _("An action cannot be dated in the future.")})
    if previous is not None and at < previous:
        raise ValidationError(
            {
                "at": _("An action cannot be dated before the case's previous event (%(at)s).")
                % {"at": previous.isoformat()}
            }
        )
    return at


def _check_four_eyes(*, case: Case, action: CaseAction, by: User) -> None:
    """Princip and obs cases are decided only from review; nobody decides what they submitted."""
    if action not in DECIDING or case.kind != CaseKind.APPLICATION:
        return
    if case.state != CaseState.REVIEW and case.service_need_type in REVIEW_REQUIRED:
        raise _refuse(
            _("A %(type)s case must be reviewed by a second caseworker before the decision.")
            % {"type": ServiceNeedType(case.service_need_type).label}
        )
    if case.state == CaseState.REVIEW:
        submitted_by = (
            case.events.filter(action=CaseAction.SUBMIT_FOR_REVIEW)
            .order_by("-at", "-pk")
            .values_list("by_id", flat=True)
            .first()
        )
        if submitted_by == by.pk:
            raise _refuse(
                _("The decision needs a second caseworker: you submitted the case for review.")
            )


@dataclass(frozen=True)
class InspectionStep:
    """The facts an inspection's step records: how notice was given, and who was at the visit."""

    notice_method: str = ""
    agenda: str = ""
    staff_ids: tuple[int, ...] = ()


NO_INSPECTION_STEP = InspectionStep()


def _check_outcome(*, case: Case, outcome: str) -> None:
    """An application ends in a permit or refusal, an enforcement case in one of its own four; an
    enforcement decision against the party comes after a hearing (forvaltningsloven § 19)."""
    outcomes = ENFORCEMENT_OUTCOMES if case.kind == CaseKind.ENFORCEMENT else APPLICATION_OUTCOMES
    if outcome not in outcomes:
        raise ValidationError(
            {
                "decision": _(
                    'The decision "%(outcome)s" does not fit a case of this kind (%(kind)s); '
                    "choose one of: %(allowed)s."
                )
                % {
                    "kind": CaseKind(case.kind).label,
                    "outcome": DecisionOutcome(outcome).label,
                    "allowed": ", ".join(
                        str(each.label) for each in DecisionOutcome if each in outcomes
                    ),
                }
            }
        )
    if (
        case.kind == CaseKind.ENFORCEMENT
        and case.state == CaseState.ASSESSMENT
        and outcome not in WITHOUT_HEARING
    ):
        raise _refuse(
            _("The decision goes against the party: hold the hearing (partshøring) first.")
        )


def _open_indskaerpelser(case: Case) -> int:
    return case.indskaerpelser.filter(remedied_at=None, enforcement_case=None).count()


def _inspection_step(
    *, case: Case, step: CaseAction, when: dt.datetime, facts: InspectionStep
) -> dict[str, Any]:
    """Check and record what an inspection's step needs; return the event's data."""
    inspection = case.inspection
    if step == CaseAction.GIVE_NOTICE:
        errors: dict[str, str] = {}
        if facts.notice_method not in NoticeMethod.values:
            errors["notice_method"] = _("Say how the party was told: by phone or by letter.")
        elif facts.notice_method == NoticeMethod.LETTER and not facts.agenda.strip(INVISIBLE):
            errors["agenda"] = _("A warning letter must give the agenda of the inspection.")
        if errors:
            raise ValidationError(errors)
        inspection.notice_method = facts.notice_method
        inspection.agenda = facts.agenda
        inspection.save(update_fields=["notice_method", "agenda"])
        return {"notice_method": facts.notice_method, "agenda": facts.agenda}
    if step == CaseAction.RECORD_VISIT:
        # Staff: active users with a role in the organisation.
        staff = list(
            User.objects.filter(
                pk__in=facts.staff_ids, is_active=True, role_assignments__isnull=False
            ).distinct()
        )
        if len(staff) != len(set(facts.staff_ids)):
            raise ValidationError({"staff_present": _("Name only active staff members.")})
        required = 2 if case.service_need_type in TWO_STAFF_REQUIRED else 1
        if len(staff) < required:
            raise ValidationError(
                {
                    "staff_present": _(
                        "A %(type)s inspection needs two staff at the visit; you named %(count)s."
                    )
                    % {"type": ServiceNeedType(case.service_need_type).label, "count": len(staff)}
                    if required == 2
                    else _("Name the staff present at the visit.")
                }
            )
        inspection.visited_at = when
        inspection.report_due = report_due_date(
            visited_at=when, department_id=case.department_id, area=case.area
        )
        inspection.save(update_fields=["visited_at", "report_due"])
        inspection.staff_present.set(staff)
        return {
            "staff_present": sorted(user.username for user in staff),
            "report_due": inspection.report_due.isoformat(),
        }
    if step == CaseAction.SEND_REPORT:
        inspection.report_sent_at = when
        inspection.save(update_fields=["report_sent_at"])
        assert inspection.report_due is not None  # noqa: S101 - set at the visit
        return {"on_time": timezone.localdate(when) <= inspection.report_due}
    open_count = _open_indskaerpelser(case)
    if step == CaseAction.START_FOLLOW_UP and open_count == 0:
        raise _refuse(_("There is no open indskærpelse to follow up."))
    if step == CaseAction.CLOSE and open_count:
        raise _refuse(
            _(
                "Indskærpelser still open: %(count)s. Mark them remedied or start an "
                "enforcement case first."
            )
            % {"count": open_count}
        )
    return {}


def take_action(
    *,
    case_id: int,
    action: str,
    by: User,
    scope: Scope,
    now: dt.datetime,
    at: dt.datetime | None = None,
    note: str = "",
    outcome: str = "",
    inspection: InspectionStep = NO_INSPECTION_STEP,
) -> Case:
    """Move the case by one action of its kind's state machine (lifecycle.TABLES).

    In one transaction: check the table, the four-eyes rule, an inspection step's facts and the
    time, write the event and the case's times. Anything else is refused with a Danish message
    naming the current state and the allowed actions (409); nothing changes.
    """
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        target = target_of(state=case.state, action=action, kind=case.kind)
        if target is None:
            allowed = ", ".join(str(each.label) for each in allowed_actions(case.state, case.kind))
            raise _refuse(
                _('The case is "%(state)s"; from there you may: %(allowed)s.')
                % {
                    "state": CaseState(case.state).label,
                    "allowed": allowed or _("nothing"),
                }
            )
        step = CaseAction(action)
        if step in DECIDING and outcome not in DecisionOutcome.values:
            raise ValidationError({"decision": _("Choose the decision's outcome.")})
        if step in DECIDING:
            _check_outcome(case=case, outcome=outcome)
        _check_four_eyes(case=case, action=step, by=by)
        when = _when(case=case, scope=scope, at=at, now=now)
        data: dict[str, Any] = {"outcome": outcome} if step in DECIDING else {}
        if case.kind == CaseKind.INSPECTION:
            data = _inspection_step(case=case, step=step, when=when, facts=inspection)
        source = case.state
        case.state = target
        if step == CaseAction.MARK_FULLY_INFORMED:
            case.fully_informed_at = when
        elif step in DECIDING:
            # The servicemål measures the first decision; a decision after an appeal is not on it.
            if case.decided_at is None:
                case.decided_at = when
                # An immediate decision: the application was complete as it came.
                if case.fully_informed_at is None and case.kind == CaseKind.APPLICATION:
                    case.fully_informed_at = when
            case.decision = outcome
        elif step == CaseAction.CLOSE:
            case.closed_at = when
        elif step == CaseAction.REOPEN:
            case.closed_at = None
        case.save()
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.TRANSITION,
            action=step,
            from_state=source,
            to_state=target,
            at=when,
            by=by,
            note=note,
            data=data,
            recorded_at=now,
        )
    return case


def change_service_need_type(
    *, case_id: int, to_type: str, reason: str, by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Set the case's service-need type, with the reason; every change is kept."""
    errors: dict[str, str] = {}
    if to_type not in ServiceNeedType.values:
        errors["service_need_type"] = _("Choose one of the four service-need types.")
    if not reason.strip(INVISIBLE):
        errors["reason"] = _("Say why the service-need type changes.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        if case.service_need_type == to_type:
            raise ValidationError(
                {"service_need_type": _("The case already has that service-need type.")}
            )
        ServiceNeedChange.objects.create(
            case=case,
            from_type=case.service_need_type,
            to_type=to_type,
            reason=reason,
            by=by,
            at=now,
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.SERVICE_NEED_CHANGED,
            at=max(now, case.events.order_by("-at").values_list("at", flat=True).first() or now),
            by=by,
            note=reason,
            data={"from": case.service_need_type, "to": to_type},
            recorded_at=now,
        )
        case.service_need_type = to_type
        case.save(update_fields=["service_need_type"])
    return case


@dataclass(frozen=True)
class NewCaseSubject:
    """Whom and where a new inspection or complaint is about."""

    area: str
    cpr: str | None = None
    cvr: str | None = None
    party_name: str = ""
    property_address: str = ""
    cadastral_number: str = ""
    property_number: str = ""
    kle_topic: KleEntry | None = None
    unit: Unit | None = None


def _open_case(
    *,
    subject: NewCaseSubject,
    kind: CaseKind,
    state: CaseState,
    received_at: dt.datetime,
    by: User,
    scope: Scope,
    now: dt.datetime,
    errors: dict[str, str],
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Case:
    """Check the subject into `errors`, refuse them all at once, else create the case and its
    first event (the caller's transaction)."""
    if subject.area not in Area.values:
        errors["area"] = _("Choose building, environment or livestock.")
    cpr, cvr, department_id = _check_party_and_place(
        cpr=subject.cpr,
        cvr=subject.cvr,
        kle_topic=subject.kle_topic,
        unit=subject.unit,
        scope=scope,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    assert department_id is not None  # noqa: S101 - checked above
    case = Case.objects.create(
        kind=kind,
        area=subject.area,
        party=_party(cpr=cpr, cvr=cvr, name=subject.party_name),
        property_address=subject.property_address,
        cadastral_number=subject.cadastral_number,
        property_number=subject.property_number,
        kle_topic=subject.kle_topic,
        department_id=department_id,
        unit_id=subject.unit.pk if subject.unit else scope.home_unit_id,
        state=state,
        received_at=received_at,
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.RECEIVED,
        to_state=state,
        at=received_at,
        by=by,
        note=note,
        data=data or {},
        recorded_at=now,
    )
    return case


@transaction.atomic
def plan_inspection(
    *, subject: NewCaseSubject, planned_for: dt.date, by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Plan an inspection (tilsyn) of the party's property or site, as a case in `planned`.

    A ValidationError with a Danish message per field for anything wrong; nothing is stored then.
    """
    errors: dict[str, str] = {}
    if planned_for < timezone.localdate(now):
        errors["planned_for"] = _("An inspection cannot be planned for a day that has passed.")
    case = _open_case(
        subject=subject,
        kind=CaseKind.INSPECTION,
        state=CaseState.PLANNED,
        received_at=now,
        by=by,
        scope=scope,
        now=now,
        errors=errors,
        data={"planned_for": planned_for.isoformat()},
    )
    Inspection.objects.create(case=case, planned_for=planned_for)
    return case


@transaction.atomic
def receive_complaint(
    *,
    subject: NewCaseSubject,
    complaint: str,
    received_at: dt.datetime,
    by: User,
    scope: Scope,
    now: dt.datetime,
) -> Case:
    """Receive a complaint (klagesag) about the party as an enforcement case in `received`.

    A ValidationError with a Danish message per field for anything wrong; nothing is stored then.
    """
    errors: dict[str, str] = {}
    if refusal := received_time_refusal(received_at, now=now):
        errors["received_at"] = refusal
    if not complaint.strip(INVISIBLE):
        errors["complaint"] = _("Say what the complaint is about.")
    return _open_case(
        subject=subject,
        kind=CaseKind.ENFORCEMENT,
        state=CaseState.RECEIVED,
        received_at=received_at,
        by=by,
        scope=scope,
        now=now,
        errors=errors,
        note=complaint,
        data={"origin": "complaint"},
    )


def _event(
    *,
    case: Case,
    kind: CaseEventKind,
    by: User,
    scope: Scope,
    now: dt.datetime,
    note: str = "",
    **data: Any,
) -> None:
    """A case event that is no transition, dated now (or after the case's latest event)."""
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=_when(case=case, scope=scope, at=None, now=now),
        by=by,
        note=note,
        data=data,
        recorded_at=now,
    )


# From the visit until the inspection closes.
GIVING_STATES = frozenset({CaseState.VISITED, CaseState.REPORT_SENT, CaseState.FOLLOW_UP})


@transaction.atomic
def give_indskaerpelse(
    *,
    case_id: int,
    cause: str,
    requirement: str,
    deadline: dt.date,
    by: User,
    scope: Scope,
    now: dt.datetime,
) -> Indskaerpelse:
    """Give an indskærpelse at an inspection: its cause, what is required, and by when."""
    errors: dict[str, str] = {}
    if not cause.strip(INVISIBLE):
        errors["cause"] = _("State the cause of the indskærpelse.")
    if not requirement.strip(INVISIBLE):
        errors["requirement"] = _("Say what the party must do.")
    if deadline <= timezone.localdate(now):
        errors["deadline"] = _("The remediation deadline must be after today.")
    if errors:
        raise ValidationError(errors)
    case = get_case_to_change(scope=scope, case_id=case_id)
    if case.kind != CaseKind.INSPECTION:
        raise _refuse(_("Indskærpelser are given at inspections only."))
    if case.state not in GIVING_STATES:
        raise _refuse(
            _(
                'The inspection is "%(state)s"; indskærpelser are given from the visit until '
                "it closes."
            )
            % {"state": CaseState(case.state).label}
        )
    given = Indskaerpelse.objects.create(
        case=case,
        cause=cause,
        requirement=requirement,
        deadline=deadline,
        given_at=now,
        given_by=by,
    )
    _event(
        case=case,
        kind=CaseEventKind.INDSKAERPELSE_GIVEN,
        by=by,
        scope=scope,
        now=now,
        note=cause,
        indskaerpelse=given.pk,
        deadline=deadline.isoformat(),
    )
    return given


def _open_indskaerpelse(
    *, scope: Scope, case_id: int, indskaerpelse_id: int
) -> tuple[Case, Indskaerpelse]:
    """The inspection, locked, and its indskærpelse; refused (409) unless the indskærpelse is
    still open."""
    case = get_case_to_change(scope=scope, case_id=case_id)
    given = case.indskaerpelser.get(pk=indskaerpelse_id)
    if given.remedied_at is not None:
        raise _refuse(
            _("The indskærpelse was remedied on %(date)s.")
            % {"date": timezone.localdate(given.remedied_at).isoformat()}
        )
    if given.enforcement_case_id is not None:
        raise _refuse(
            _("The indskærpelse has gone on to enforcement case %(id)s.")
            % {"id": given.enforcement_case_id}
        )
    return case, given


@transaction.atomic
def mark_remedied(
    *, case_id: int, indskaerpelse_id: int, by: User, scope: Scope, now: dt.datetime
) -> Indskaerpelse:
    """Record that the party has remedied what the indskærpelse required."""
    case, given = _open_indskaerpelse(
        scope=scope, case_id=case_id, indskaerpelse_id=indskaerpelse_id
    )
    given.remedied_at = now
    given.save(update_fields=["remedied_at"])
    _event(
        case=case,
        kind=CaseEventKind.INDSKAERPELSE_REMEDIED,
        by=by,
        scope=scope,
        now=now,
        indskaerpelse=given.pk,
    )
    return given


@transaction.atomic
def follow_up_indskaerpelse(
    *, case_id: int, indskaerpelse_id: int, note: str, by: User, scope: Scope, now: dt.datetime
) -> Indskaerpelse:
    """Note the follow-up of an open indskærpelse; each note stays on the timeline."""
    if not note.strip(INVISIBLE):
        raise ValidationError({"note": _("Write what the follow-up found.")})
    case, given = _open_indskaerpelse(
        scope=scope, case_id=case_id, indskaerpelse_id=indskaerpelse_id
    )
    given.follow_up_note = note
    given.save(update_fields=["follow_up_note"])
    _event(
        case=case,
        kind=CaseEventKind.INDSKAERPELSE_FOLLOW_UP,
        by=by,
        scope=scope,
        now=now,
        note=note,
        indskaerpelse=given.pk,
    )
    return given


@transaction.atomic
def start_enforcement(
    *, case_id: int, indskaerpelse_id: int, by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Start an enforcement case (lovliggørelse) from an indskærpelse not remedied in time: same
    party, property, area and department, linked both ways."""
    inspection, given = _open_indskaerpelse(
        scope=scope, case_id=case_id, indskaerpelse_id=indskaerpelse_id
    )
    if timezone.localdate(now) <= given.deadline:
        raise _refuse(
            _("The remediation deadline (%(date)s) has not passed yet.")
            % {"date": given.deadline.isoformat()}
        )
    case = Case.objects.create(
        kind=CaseKind.ENFORCEMENT,
        area=inspection.area,
        party_id=inspection.party_id,
        property_address=inspection.property_address,
        cadastral_number=inspection.cadastral_number,
        property_number=inspection.property_number,
        kle_topic_id=inspection.kle_topic_id,
        department_id=inspection.department_id,
        unit_id=inspection.unit_id,
        state=CaseState.RECEIVED,
        received_at=now,
    )
    case.caseworkers.set(inspection.caseworkers.all())
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.RECEIVED,
        to_state=CaseState.RECEIVED,
        at=now,
        by=by,
        note=given.cause,
        data={"origin": "indskaerpelse", "indskaerpelse": given.pk, "inspection": inspection.pk},
        recorded_at=now,
    )
    given.enforcement_case = case
    given.save(update_fields=["enforcement_case"])
    _event(
        case=inspection,
        kind=CaseEventKind.ENFORCEMENT_STARTED,
        by=by,
        scope=scope,
        now=now,
        indskaerpelse=given.pk,
        enforcement_case=case.pk,
    )
    return case
