"""Writes: receive an application, move it through the state machine, change its type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.cases.clock import SortKey
from indgang.cases.constants import (
    REVIEW_REQUIRED,
    CaseAction,
    CaseEventKind,
    CaseKind,
    CaseState,
    DecisionOutcome,
    ServiceNeedType,
)
from indgang.cases.lifecycle import DECIDING, allowed_actions, target_of
from indgang.cases.models import Case, CaseEvent, ServiceNeedChange, ServiceTargetCategory
from indgang.cases.selectors import areas_where_waiting_counts, clock_key_of, get_case_to_change
from indgang.catalogue.models import KleEntry
from indgang.catalogue.selectors import retired_topic_refusal
from indgang.common.errors import CONFLICT
from indgang.common.inputs import INVISIBLE, received_time_refusal
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
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
    cpr = cvr = None
    if bool(new.cpr) == bool(new.cvr):
        errors["cpr"] = _("Give the applicant's CPR number or CVR number (one of them).")
    try:
        cpr = clean_cpr(new.cpr) if new.cpr else None
    except InvalidIdentifierError as error:
        errors["cpr"] = str(error)
    try:
        cvr = clean_cvr(new.cvr) if new.cvr else None
    except InvalidIdentifierError as error:
        errors["cvr"] = str(error)
    if refusal := retired_topic_refusal(new.kle_topic):
        errors["kle_topic"] = refusal
    department_id = new.unit.department_id if new.unit else scope.home_department_id
    if department_id is None or not scope.sees_in_full(department_id):
        errors["unit"] = _("Choose a unit in a department you work in.")
    if any(not title.strip(INVISIBLE) for title in new.attachments):
        errors["attachments"] = _("Every attachment needs a title.")
    if errors:
        raise ValidationError(errors)
    assert department_id is not None  # noqa: S101 - checked above
    with transaction.atomic():
        party = (
            get_or_create_citizen(cpr=cpr, name=new.party_name)
            if cpr
            else get_or_create_company(cvr=cvr or "", name=new.party_name)
        )
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
    if action not in DECIDING:
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
) -> Case:
    """Move the case by one action of the state machine (lifecycle.TRANSITIONS).

    In one transaction: check the table, the four-eyes rule and the time, write the event and
    the case's times. Anything else is refused with a Danish message naming the current state
    and the allowed actions (409); nothing changes.
    """
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        target = target_of(state=case.state, action=action)
        if target is None:
            allowed = ", ".join(str(each.label) for each in allowed_actions(case.state))
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
        _check_four_eyes(case=case, action=step, by=by)
        when = _when(case=case, scope=scope, at=at, now=now)
        source = case.state
        case.state = target
        if step == CaseAction.MARK_FULLY_INFORMED:
            case.fully_informed_at = when
        elif step in DECIDING:
            # The servicemål measures the first decision; a decision after an appeal is not on it.
            if case.decided_at is None:
                case.decided_at = when
                if case.fully_informed_at is None:  # an immediate decision: complete as it came
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
            data={"outcome": outcome} if step in DECIDING else {},
            recorded_at=now,
        )
        keep_clock_key(case=case)
    return case


CLOCK_KEY_FIELDS = ["clock_due_on", "clock_stopped_on", "clock_days_used"]


def _set_clock_key(case: Case, key: SortKey) -> None:
    case.clock_due_on, case.clock_stopped_on, case.clock_days_used = (
        key.due_on,
        key.stopped_on,
        key.days_used,
    )


def keep_clock_key(*, case: Case) -> None:
    """Store the case's clock.sort_key from its events (call inside the change's transaction)."""
    _set_clock_key(case, clock_key_of(case=case, events=list(case.events.order_by("at", "pk"))))
    case.save(update_fields=CLOCK_KEY_FIELDS)


def refresh_clock_keys(*, area: str | None = None, category_id: int | None = None) -> int:
    """Store the clock key again for the cases of an area or a category whose target or
    waiting rule an administrator changed; the number of cases refreshed."""
    cases = Case.objects.filter(category__isnull=False)
    if area is not None:
        cases = cases.filter(area=area)
    if category_id is not None:
        cases = cases.filter(category_id=category_id)
    waiting_counts = areas_where_waiting_counts()
    refreshed = 0
    with transaction.atomic():
        chunk = (
            cases.select_related("category")
            .prefetch_related("events")
            .select_for_update(of=("self",))
        )
        changed = []
        for case in chunk.iterator(chunk_size=2000):
            events = sorted(case.events.all(), key=lambda event: (event.at, event.pk))
            _set_clock_key(
                case, clock_key_of(case=case, events=events, waiting_counts=waiting_counts)
            )
            changed.append(case)
            refreshed += 1
        Case.objects.bulk_update(changed, CLOCK_KEY_FIELDS, batch_size=2000)
    return refreshed


def set_pre_meeting(
    *, case_id: int, held_on: dt.date | None, scope: Scope, now: dt.datetime
) -> Case:
    """Record the day of the pre-application meeting (None: there was none)."""
    if held_on is not None and held_on > timezone.localdate(now):
        raise ValidationError(
            {"pre_meeting_on": _("A pre-application meeting cannot be dated in the future.")}
        )
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        case.pre_meeting_on = held_on
        case.save(update_fields=["pre_meeting_on"])
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
