"""Writes: receive an application, move it through the state machine, change its type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.cases.constants import (
    REVIEW_REQUIRED,
    CaseAction,
    CaseEventKind,
    CaseKind,
    CasePartyRole,
    CaseState,
    DecisionOutcome,
    HearingKind,
    ServiceNeedType,
)
from indgang.cases.lifecycle import DECIDING, allowed_actions, target_of
from indgang.cases.models import (
    Case,
    CaseChecklistItem,
    CaseContact,
    CaseEvent,
    CaseParty,
    ChecklistTemplateItem,
    ComplaintGuidance,
    DeficiencyItem,
    Hearing,
    HearingReply,
    ServiceNeedChange,
    ServiceTargetCategory,
)
from indgang.cases.selectors import get_case_to_change
from indgang.catalogue.models import KleEntry
from indgang.catalogue.selectors import retired_topic_refusal
from indgang.common.errors import CONFLICT
from indgang.common.inputs import INVISIBLE, received_time_refusal
from indgang.contacts.selectors import visible_contacts
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
    # The contact the case grows out of: linked to the case, its party the applicant unless a
    # CPR or CVR number is given.
    contact_id: int | None = None


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
    contact = None
    if new.contact_id is not None:
        contact = visible_contacts(scope=scope).filter(pk=new.contact_id).first()
        if contact is None:
            errors["contact"] = _("There is no such contact that you may see.")
    applicant = contact.party if contact and not (new.cpr or new.cvr) else None
    cpr = cvr = None
    if bool(new.cpr) == bool(new.cvr) and applicant is None:
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
        party = applicant or (
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
            contact=contact,
        )
        if contact is not None:
            CaseContact.objects.create(
                case=case, contact=contact, linked_at=now, linked_by=received_by
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


def create_case_from_contact(
    *, contact_id: int, new: NewApplication, received_by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Turn a contact into an application case, linked to it; the contact's party applies
    unless the application names the applicant by CPR or CVR number."""
    return receive_application(
        new=replace(new, contact_id=contact_id), received_by=received_by, scope=scope, now=now
    )


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


# Actions with their own service (and endpoint), because they carry more than a note.
OWN_SERVICE: dict[CaseAction, str] = {
    CaseAction.SEND_DEFICIENCY_LETTER: "deficiency-letter",
    CaseAction.RECEIVE_ANSWER: "deficiency-answer",
    CaseAction.START_HEARING: "hearings",
}


def _move(
    *,
    case: Case,
    step: CaseAction,
    by: User,
    scope: Scope,
    now: dt.datetime,
    at: dt.datetime | None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> dt.datetime:
    """Move the locked case by one action of the table and write its event; return its time.

    Refuse (409) an action the state does not allow, naming the state and what it allows.
    """
    target = target_of(state=case.state, action=step)
    if target is None:
        allowed = ", ".join(str(each.label) for each in allowed_actions(case.state))
        raise _refuse(
            _('The case is "%(state)s"; from there you may: %(allowed)s.')
            % {"state": CaseState(case.state).label, "allowed": allowed or _("nothing")}
        )
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
        data=data or {},
        recorded_at=now,
    )
    return when


def _check_decision(*, outcome: str, conditions: str) -> None:
    errors: dict[str, str] = {}
    if outcome not in DecisionOutcome.values:
        errors["decision"] = _("Choose the decision's outcome.")
    if outcome == DecisionOutcome.PERMIT_WITH_CONDITIONS and not conditions.strip(INVISIBLE):
        errors["conditions"] = _("Write the conditions of the permit.")
    if errors:
        raise ValidationError(errors)


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
    conditions: str = "",
) -> Case:
    """Move the case by one action of the state machine (lifecycle.TRANSITIONS).

    In one transaction: check the table, the four-eyes rule and the time, write the event and
    the case's times. Anything else is refused with a Danish message naming the current state
    and the allowed actions (409); nothing changes. A decision records its outcome, its
    conditions and the area's complaint guidance as it reads that day.
    """
    step = CaseAction(action)
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        if step in OWN_SERVICE:
            raise ValidationError(
                {
                    "action": _("Use /cases/{id}/%(endpoint)s/ for that action.")
                    % {"endpoint": OWN_SERVICE[step]}
                }
            )
        data: dict[str, Any] = {}
        if step in DECIDING and target_of(state=case.state, action=step) is not None:
            _check_decision(outcome=outcome, conditions=conditions)
            case.decision = outcome
            case.decision_conditions = conditions
            case.complaint_guidance = (
                ComplaintGuidance.objects.filter(area=case.area)
                .values_list("text", flat=True)
                .first()
                or ""
            )
            data = {"outcome": outcome, "conditions": conditions}
        if step == CaseAction.MARK_FULLY_INFORMED:
            _check_all_answered(case)
        _move(case=case, step=step, by=by, scope=scope, now=now, at=at, note=note, data=data)
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
        _note_event(
            case=case,
            kind=CaseEventKind.SERVICE_NEED_CHANGED,
            by=by,
            scope=scope,
            now=now,
            note=reason,
            data={"from": case.service_need_type, "to": to_type},
        )
        case.service_need_type = to_type
        case.save(update_fields=["service_need_type"])
        _bring_checklist(case)
    return case


def _note_event(
    *,
    case: Case,
    kind: CaseEventKind,
    by: User,
    scope: Scope,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any],
) -> None:
    """Write an event that changes no state, at now (or after the case's last event)."""
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=_when(case=case, scope=scope, at=None, now=now),
        by=by,
        note=note,
        data=data,
        recorded_at=now,
    )


def _bring_checklist(case: Case) -> None:
    """Give the case its type's checklist: drop the old type's open items, keep ticked ones."""
    case.checklist.filter(done_at__isnull=True).exclude(
        service_need_type=case.service_need_type
    ).delete()
    present = set(case.checklist.values_list("template_id", flat=True))
    templates = ChecklistTemplateItem.objects.filter(
        service_need_type=case.service_need_type, active=True, case_kind__in=["", case.kind]
    ).exclude(pk__in=[pk for pk in present if pk is not None])
    CaseChecklistItem.objects.bulk_create(
        CaseChecklistItem(
            case=case,
            template=template,
            service_need_type=template.service_need_type,
            text=template.text,
            position=template.position,
        )
        for template in templates
    )


def tick_checklist_item(
    *, case_id: int, item_id: int, done: bool, by: User, scope: Scope, now: dt.datetime
) -> CaseChecklistItem:
    """Mark a checklist item done (or not done again); refuse a change that changes nothing."""
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        item = case.checklist.filter(pk=item_id).first()
        if item is None:
            raise ValidationError({"item": _("The case has no such checklist item.")})
        if (item.done_at is not None) == done:
            raise _refuse(
                _("The item is already done.") if done else _("The item is not done yet.")
            )
        item.done_at, item.done_by = (now, by) if done else (None, None)
        item.save(update_fields=["done_at", "done_by"])
        _note_event(
            case=case,
            kind=CaseEventKind.CHECKLIST_TICKED if done else CaseEventKind.CHECKLIST_UNTICKED,
            by=by,
            now=now,
            scope=scope,
            note=item.text,
            data={"item": item.pk},
        )
    return item


def send_deficiency_letter(
    *,
    case_id: int,
    items: list[str],
    reply_by: dt.date,
    by: User,
    scope: Scope,
    now: dt.datetime,
    at: dt.datetime | None = None,
    note: str = "",
) -> Case:
    """Send the applicant a deficiency letter listing exactly what is missing, with a reply-by
    date; the servicemål clock waits for the applicant from then."""
    errors: dict[str, str] = {}
    texts = [text.strip(INVISIBLE) for text in items]
    if not texts or not all(texts):
        errors["items"] = _("List at least one missing item, each with a text.")
    if reply_by <= timezone.localdate(at or now):
        errors["reply_by"] = _("The applicant's reply-by date must be after the letter's date.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        when = _move(
            case=case,
            step=CaseAction.SEND_DEFICIENCY_LETTER,
            by=by,
            scope=scope,
            now=now,
            at=at,
            note=note,
            data={"items": texts, "reply_by": reply_by.isoformat()},
        )
        DeficiencyItem.objects.bulk_create(
            DeficiencyItem(case=case, text=text, requested_at=when) for text in texts
        )
        case.deficiency_reply_by = reply_by
        case.save(update_fields=["deficiency_reply_by"])
    return case


def receive_deficiency_answer(
    *,
    case_id: int,
    answered: dict[int, str],
    by: User,
    scope: Scope,
    now: dt.datetime,
    at: dt.datetime | None = None,
    note: str = "",
) -> Case:
    """Register the applicant's answer: `answered` maps each item answered to a note on it.

    Items not in it stay open; the case goes back to screening either way.
    """
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        open_items = {
            item.pk: item for item in case.deficiency_items.filter(answered_at__isnull=True)
        }
        if unknown := sorted(set(answered) - set(open_items)):
            raise ValidationError(
                {
                    "answered": _("These are not open missing items on the case: %(ids)s.")
                    % {"ids": ", ".join(map(str, unknown))}
                }
            )
        when = _move(
            case=case,
            step=CaseAction.RECEIVE_ANSWER,
            by=by,
            scope=scope,
            now=now,
            at=at,
            note=note,
            data={"answered": sorted(answered)},
        )
        for pk, answer_note in answered.items():
            open_items[pk].answered_at = when
            open_items[pk].answer_note = answer_note
        DeficiencyItem.objects.bulk_update(
            [open_items[pk] for pk in answered], ["answered_at", "answer_note"]
        )
        case.deficiency_reply_by = None
        case.save(update_fields=["deficiency_reply_by"])
    return case


def waive_deficiency_item(
    *, case_id: int, item_id: int, reason: str, by: User, scope: Scope, now: dt.datetime
) -> DeficiencyItem:
    """Let the case go on without an unanswered item, saying why."""
    if not reason.strip(INVISIBLE):
        raise ValidationError({"reason": _("Say why the item is no longer needed.")})
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        item = case.deficiency_items.filter(pk=item_id).first()
        if item is None:
            raise ValidationError({"item": _("The case has no such missing item.")})
        if item.answered_at is not None or item.waived_reason:
            raise _refuse(_("The item is answered or waived already."))
        item.waived_reason = reason
        item.save(update_fields=["waived_reason"])
        _note_event(
            case=case,
            kind=CaseEventKind.DEFICIENCY_WAIVED,
            by=by,
            now=now,
            scope=scope,
            note=reason,
            data={"item": item.pk},
        )
    return item


def _check_all_answered(case: Case) -> None:
    """Refuse to mark the case fully informed while a missing item is neither answered nor
    waived."""
    unanswered = list(
        case.deficiency_items.filter(answered_at__isnull=True, waived_reason="").values_list(
            "text", flat=True
        )
    )
    if unanswered:
        raise _refuse(
            _("The application still lacks: %(items)s. Wait for the answer or waive the item.")
            % {"items": "; ".join(unanswered)}
        )


def start_hearing(
    *,
    case_id: int,
    kind: str,
    reply_by: dt.date,
    party_ids: list[int],
    by: User,
    scope: Scope,
    now: dt.datetime,
    at: dt.datetime | None = None,
    note: str = "",
) -> Hearing:
    """Start a partshøring or nabohøring of these parties, who may reply by `reply_by`."""
    errors: dict[str, str] = {}
    if kind not in HearingKind.values:
        errors["kind"] = _("Choose the kind of hearing.")
    if reply_by <= timezone.localdate(at or now):
        errors["reply_by"] = _("The reply-by date must be after the hearing starts.")
    parties = list(Party.objects.filter(pk__in=set(party_ids)))
    if not party_ids or len(parties) != len(set(party_ids)):
        errors["parties"] = _("Name at least one party to hear, each one known.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        when = _move(
            case=case,
            step=CaseAction.START_HEARING,
            by=by,
            scope=scope,
            now=now,
            at=at,
            note=note,
            data={"kind": kind, "reply_by": reply_by.isoformat(), "parties": sorted(party_ids)},
        )
        hearing = Hearing.objects.create(case=case, kind=kind, started_at=when, reply_by=reply_by)
        hearing.parties.set(parties)
    return hearing


def record_hearing_reply(
    *,
    case_id: int,
    hearing_id: int,
    party_id: int,
    received_at: dt.datetime,
    objects_to: bool,
    summary: str,
    by: User,
    scope: Scope,
    now: dt.datetime,
) -> HearingReply:
    """Record a heard party's reply; an objection counts towards a princip suggestion."""
    errors: dict[str, str] = {}
    if refusal := received_time_refusal(received_at, now=now):
        errors["received_at"] = refusal
    if not summary.strip(INVISIBLE):
        errors["summary"] = _("Summarise the reply.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        hearing = case.hearings.filter(pk=hearing_id).first()
        if hearing is None:
            raise ValidationError({"hearing": _("The case has no such hearing.")})
        if not hearing.parties.filter(pk=party_id).exists():
            raise ValidationError({"party": _("That party was not heard in this hearing.")})
        if received_at < hearing.started_at:
            raise ValidationError(
                {"received_at": _("A reply cannot arrive before the hearing started.")}
            )
        reply = HearingReply.objects.create(
            hearing=hearing,
            party_id=party_id,
            received_at=received_at,
            objects_to=objects_to,
            summary=summary,
        )
        _note_event(
            case=case,
            kind=CaseEventKind.HEARING_REPLY,
            by=by,
            now=now,
            scope=scope,
            note=summary,
            data={"hearing": hearing.pk, "party": party_id, "objects": objects_to},
        )
    return reply


def add_case_party(
    *, case_id: int, party_id: int, role: str, by: User, scope: Scope, now: dt.datetime
) -> CaseParty:
    """Give a party a role on the case (an adviser acting for the applicant, say)."""
    if role not in CasePartyRole.values:
        raise ValidationError({"role": _("Choose the party's role on the case.")})
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        if not Party.objects.filter(pk=party_id).exists():
            raise ValidationError({"party": _("There is no such party.")})
        if case.other_parties.filter(party_id=party_id, role=role).exists():
            raise _refuse(_("The party already has that role on the case."))
        link = CaseParty.objects.create(case=case, party_id=party_id, role=role)
        _note_event(
            case=case,
            kind=CaseEventKind.PARTY_ADDED,
            by=by,
            scope=scope,
            now=now,
            data={"party": party_id, "role": role},
        )
    return link


def remove_case_party(
    *, case_id: int, case_party_id: int, by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Take a party's role on the case away; the event keeps who had it."""
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        link = case.other_parties.filter(pk=case_party_id).first()
        if link is None:
            raise ValidationError({"case_party": _("The case has no such party.")})
        link.delete()
        _note_event(
            case=case,
            kind=CaseEventKind.PARTY_REMOVED,
            by=by,
            scope=scope,
            now=now,
            data={"party": link.party_id, "role": link.role},
        )
    return case


def link_contact(
    *, case_id: int, contact_id: int, by: User, scope: Scope, now: dt.datetime
) -> CaseContact:
    """Link a contact the user may see to the case (many contacts per case)."""
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        if not visible_contacts(scope=scope).filter(pk=contact_id).exists():
            raise ValidationError({"contact": _("There is no such contact that you may see.")})
        if case.contact_links.filter(contact_id=contact_id).exists():
            raise _refuse(_("The contact is linked to the case already."))
        link = CaseContact.objects.create(
            case=case, contact_id=contact_id, linked_at=now, linked_by=by
        )
        _note_event(
            case=case,
            kind=CaseEventKind.CONTACT_LINKED,
            by=by,
            scope=scope,
            now=now,
            data={"contact": contact_id},
        )
    return link
