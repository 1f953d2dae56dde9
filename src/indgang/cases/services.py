"""Writes: open a case (application, inspection, complaint), move it through its kind's state
machine, change its type, and the workflow's steps around it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indgang.bookings.selectors import visible_meetings
from indgang.cases.clock import SortKey
from indgang.cases.constants import (
    APPLICATION_OUTCOMES,
    DECISION_TEXTS,
    DEFAULT_HEARING_TEXTS,
    ENFORCEMENT_OUTCOMES,
    HEARING_LETTERS,
    MAX_NOTE_CHARS,
    REVIEW_REQUIRED,
    TWO_STAFF_REQUIRED,
    WITHOUT_HEARING,
    Area,
    CaseAction,
    CaseEventKind,
    CaseKind,
    CasePartyRole,
    CaseState,
    DecisionOutcome,
    HearingKind,
    NoticeMethod,
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
    Indskaerpelse,
    Inspection,
    ServiceNeedChange,
    ServiceTargetCategory,
)
from indgang.cases.selectors import (
    areas_where_waiting_counts,
    clock_key_of,
    get_case_to_change,
    report_due_at,
)
from indgang.catalogue.models import KleEntry
from indgang.catalogue.selectors import retired_topic_refusal
from indgang.common.errors import CONFLICT
from indgang.common.inputs import INVISIBLE, received_time_refusal
from indgang.common.workdays import COPENHAGEN
from indgang.contacts.selectors import visible_contacts
from indgang.deadlines.constants import DeadlineKind, StopEvent
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import OPEN_STATUSES, deadlines_of
from indgang.deadlines.services import complete_deadline, start_deadline
from indgang.journal.constants import DocumentDirection, JournalKind
from indgang.journal.models import Document
from indgang.journal.services import add_document, journalise, upload_document
from indgang.letters.constants import LetterKind, Transport
from indgang.letters.models import Letter
from indgang.letters.selectors import read_letter_pdf
from indgang.letters.services import compose_letter, send_letter
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope, staff_of_department
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen, get_or_create_company


@dataclass(frozen=True)
class NewCaseSubject:
    """Whom and where a new case is about: the party, the property or site, topic and unit."""

    area: str
    cpr: str | None = None
    cvr: str | None = None
    party_name: str = ""
    property_address: str = ""
    cadastral_number: str = ""
    property_number: str = ""
    kle_topic: KleEntry | None = None
    unit: Unit | None = None


@dataclass(frozen=True, kw_only=True)
class NewApplication(NewCaseSubject):
    """An application as the portal delivers it: its subject, category, time and attachments."""

    category_code: str
    received_at: dt.datetime
    attachments: list[str] = field(default_factory=list)
    # The contact the case grows out of: linked to the case, its party the applicant unless a
    # CPR or CVR number is given.
    contact_id: int | None = None
    # The pre-application meeting it grows out of, the same way.
    meeting_id: int | None = None


def _check_party_and_place(
    *,
    cpr: str | None,
    cvr: str | None,
    kle_topic: KleEntry | None,
    unit: Unit | None,
    scope: Scope,
    errors: dict[str, str],
    party_known: bool = False,
) -> tuple[str | None, str | None, int | None]:
    """Check the party's number, the topic and the unit of a new case into `errors`; return the
    cleaned CPR and CVR numbers and the department the case belongs to. A party known already
    (a contact's) needs no number."""
    if bool(cpr) == bool(cvr) and not party_known:
        errors["cpr"] = _("Give the applicant's CPR number or CVR number (one of them).")
    cleaned_cpr, cleaned_cvr = _clean_numbers(cpr=cpr, cvr=cvr, errors=errors)
    if refusal := retired_topic_refusal(kle_topic):
        errors["kle_topic"] = refusal
    department_id = unit.department_id if unit else scope.home_department_id
    if department_id is None or not scope.sees_in_full(department_id):
        errors["unit"] = _("Choose a unit in a department you work in.")
    return cleaned_cpr, cleaned_cvr, department_id


def _clean_numbers(
    *, cpr: str | None, cvr: str | None, errors: dict[str, str]
) -> tuple[str | None, str | None]:
    """The cleaned CPR and CVR numbers given; a bad one's message goes into `errors`."""
    cleaned_cpr = cleaned_cvr = None
    try:
        cleaned_cpr = clean_cpr(cpr) if cpr else None
    except InvalidIdentifierError as error:
        errors["cpr"] = str(error)
    try:
        cleaned_cvr = clean_cvr(cvr) if cvr else None
    except InvalidIdentifierError as error:
        errors["cvr"] = str(error)
    return cleaned_cpr, cleaned_cvr


def _party(*, cpr: str | None, cvr: str | None, name: str) -> Party:
    """The citizen or company of a new case, created if new."""
    if cpr:
        return get_or_create_citizen(cpr=cpr, name=name)
    return get_or_create_company(cvr=cvr or "", name=name)


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
    party: Party | None = None,
    **fields: Any,
) -> Case:
    """Check the subject into `errors`, refuse them all at once, else create the case (with the
    kind's own `fields`) and its first event, in the caller's transaction. `party`: the party
    known already, so that the subject needs no CPR or CVR number."""
    if subject.area not in Area.values:
        errors["area"] = _("Choose building, environment or livestock.")
    cpr, cvr, department_id = _check_party_and_place(
        cpr=subject.cpr,
        cvr=subject.cvr,
        kle_topic=subject.kle_topic,
        unit=subject.unit,
        scope=scope,
        errors=errors,
        party_known=party is not None,
    )
    if errors:
        raise ValidationError(errors)
    assert department_id is not None  # noqa: S101 - checked above
    case = Case.objects.create(
        kind=kind,
        area=subject.area,
        party=party or _party(cpr=cpr, cvr=cvr, name=subject.party_name),
        property_address=subject.property_address,
        cadastral_number=subject.cadastral_number,
        property_number=subject.property_number,
        kle_topic=subject.kle_topic,
        department_id=department_id,
        unit_id=subject.unit.pk if subject.unit else scope.home_unit_id,
        state=state,
        received_at=received_at,
        **fields,
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
    journalise(subject=case, kle_topic=case.kle_topic, kind=JournalKind.CASE, by=by, now=now)
    return case


def issue_case_letter(
    *,
    case: Case,
    kind: LetterKind,
    recipient: Party,
    context: Mapping[str, object],
    by: User,
    now: dt.datetime,
    send: bool = True,
) -> Letter:
    """Write one of the case's letters from its template, file the PDF in the case's journal and
    queue it for the recipient by the configured transport (Digital Post by default).

    `context` holds the kind's own variables; the case number, recipient, address, caseworker
    and date every letter carries are filled in here. A back-dated step (`send=False`: an
    administrator migrating a case's history) files its letter but sends nothing again.
    """
    entry = journalise(
        subject=case, kle_topic=case.kle_topic, kind=JournalKind.CASE, by=by, now=now
    )
    today = timezone.localdate(now)
    letter = compose_letter(
        kind=kind,
        subject=case,
        recipient=recipient,
        context={
            "case_number": entry.number,
            "recipient_name": recipient.name,
            "address": recipient.address or case.property_address,
            "caseworker_name": by.get_full_name() or by.username,
            "letter_date": today,
            **context,
        },
        by=by,
        now=now,
    )
    add_document(
        subject=case,
        direction=DocumentDirection.SENT,
        title=letter.title,
        dated=today,
        content=read_letter_pdf(letter=letter),
        filename=f"{entry.number}-{kind}-{letter.pk}.pdf",
        by=by,
        now=now,
    )
    if not send:
        return letter
    transport = settings.CASES_LETTER_TRANSPORT
    send_letter(
        letter=letter,
        transport=transport,
        address=recipient.email if transport == Transport.EMAIL else "",
        now=now,
    )
    return letter


def _end_of_day(day: dt.date) -> dt.datetime:
    """The last minute of a local day: a reply that arrives on its reply-by date is in time."""
    return dt.datetime.combine(day, dt.time(23, 59), COPENHAGEN)


def _start_reply_deadline(
    *, case: Case, kind: DeadlineKind, reply_by: dt.date, by: User, when: dt.datetime
) -> None:
    """Start the clock on the party's reply, due at the end of the reply-by date."""
    start_deadline(
        subject=case, kind=kind, by=by, now=when, started_at=when, due_at=_end_of_day(reply_by)
    )


def _stop_reply_deadlines(*, case: Case, kind: DeadlineKind, by: User, when: dt.datetime) -> None:
    """Stop the case's running deadlines of this kind: the party replied, or the step they
    waited for is over."""
    for deadline in deadlines_of(subject=case).filter(kind=kind, status__in=OPEN_STATUSES):
        complete_deadline(deadline=deadline, by=by, now=when, stopped_by=StopEvent.PARTY_RESPONDED)


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
    meeting = None
    if new.meeting_id is not None:
        meeting = visible_meetings(scope=scope).filter(pk=new.meeting_id).first()
        if meeting is None:
            errors["meeting"] = _("There is no such pre-application meeting that you may see.")
    if any(not title.strip(INVISIBLE) for title in new.attachments):
        errors["attachments"] = _("Every attachment needs a title.")
    known = contact.party if contact else meeting.party if meeting else None
    with transaction.atomic():
        case = _open_case(
            subject=new,
            kind=CaseKind.APPLICATION,
            state=CaseState.RECEIVED,
            received_at=new.received_at,
            by=received_by,
            scope=scope,
            now=now,
            errors=errors,
            data={"attachments": list(new.attachments)},
            party=known if not (new.cpr or new.cvr) else None,
            category=category,
            attachments=list(new.attachments),
            contact=contact,
            meeting=meeting,
        )
        if contact is not None:
            CaseContact.objects.create(
                case=case, contact=contact, linked_at=now, linked_by=received_by
            )
        assert category is not None  # noqa: S101 - _open_case refused a missing one
        issue_case_letter(
            case=case,
            kind=LetterKind.RECEIPT,
            recipient=case.party,
            context={
                "received_date": timezone.localdate(new.received_at),
                "service_target_days": category.target_days,
            },
            by=received_by,
            now=now,
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
                % {"at": date_format(timezone.localtime(previous), "SHORT_DATETIME_FORMAT")}
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


# Actions with their own service (and endpoint), because they carry more than a note.
@dataclass(frozen=True)
class InspectionStep:
    """The facts an inspection's step records: how notice was given, who was at the visit, and
    what the report found and says happens next."""

    notice_method: str = ""
    agenda: str = ""
    staff_ids: tuple[int, ...] = ()
    findings: tuple[str, ...] = ()
    next_steps: str = ""


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


def _lines(text: str) -> list[str]:
    """The non-empty lines of a text: an agenda written one point a line."""
    return [line.strip(INVISIBLE) for line in text.splitlines() if line.strip(INVISIBLE)]


def _inspection_step(
    *,
    case: Case,
    step: CaseAction,
    by: User,
    when: dt.datetime,
    facts: InspectionStep,
    send: bool,
) -> dict[str, Any]:
    """Check and record what an inspection's step needs, with its letter and its deadline;
    return the event's data.

    Notice by letter writes the inspection notice with the agenda; the visit starts the report
    deadline; sending the report writes the inspection report letter and stops that deadline.
    """
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
        data: dict[str, Any] = {"notice_method": facts.notice_method, "agenda": facts.agenda}
        if facts.notice_method == NoticeMethod.LETTER:
            letter = issue_case_letter(
                case=case,
                kind=LetterKind.INSPECTION_NOTICE,
                recipient=case.party,
                context={"inspection_date": inspection.planned_for, "agenda": _lines(facts.agenda)},
                by=by,
                now=when,
                send=send,
            )
            data["letter"] = letter.pk
        return data
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
        due_at = report_due_at(visited_at=when, department_id=case.department_id, area=case.area)
        inspection.visited_at = when
        inspection.report_due = timezone.localdate(due_at)
        inspection.report_deadline = start_deadline(
            subject=case,
            kind=DeadlineKind.INSPECTION_REPORT,
            by=by,
            now=when,
            started_at=when,
            due_at=due_at,
        )
        inspection.save(update_fields=["visited_at", "report_due", "report_deadline"])
        inspection.staff_present.set(staff)
        return {
            "staff_present": sorted(user.username for user in staff),
            "report_due": inspection.report_due.isoformat(),
        }
    if step == CaseAction.SEND_REPORT:
        if not facts.next_steps.strip(INVISIBLE):
            raise ValidationError({"next_steps": _("Tell the party what happens next.")})
        findings = [finding for finding in facts.findings if finding.strip(INVISIBLE)]
        assert inspection.visited_at is not None  # noqa: S101 - set at the visit
        assert inspection.report_due is not None  # noqa: S101 - set at the visit
        letter = issue_case_letter(
            case=case,
            kind=LetterKind.INSPECTION_REPORT,
            recipient=case.party,
            context={
                "inspection_date": timezone.localdate(inspection.visited_at),
                "findings": findings,
                "next_steps": facts.next_steps,
            },
            by=by,
            now=when,
            send=send,
        )
        if inspection.report_deadline is not None:
            complete_deadline(
                deadline=inspection.report_deadline,
                by=by,
                now=when,
                stopped_by=StopEvent.REPORT_SENT,
            )
        inspection.report_sent_at = when
        inspection.save(update_fields=["report_sent_at"])
        return {
            "on_time": timezone.localdate(when) <= inspection.report_due,
            "findings": findings,
            "next_steps": facts.next_steps,
            "letter": letter.pk,
        }
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
    inspection: InspectionStep = NO_INSPECTION_STEP,
) -> dt.datetime:
    """Move the locked case by one action of its kind's table, write its event and keep its
    clock key; return its time. An inspection's step records its own facts (`inspection`) as
    the event's data.

    Refuse (409) an action the state does not allow, naming the state and what it allows.
    """
    target = target_of(state=case.state, action=step, kind=case.kind)
    if target is None:
        allowed = ", ".join(str(each.label) for each in allowed_actions(case.state, case.kind))
        raise _refuse(
            _('The case is "%(state)s"; from there you may: %(allowed)s.')
            % {"state": CaseState(case.state).label, "allowed": allowed or _("nothing")}
        )
    _check_four_eyes(case=case, action=step, by=by)
    when = _when(case=case, scope=scope, at=at, now=now)
    if case.kind == CaseKind.INSPECTION:
        data = _inspection_step(
            case=case, step=step, by=by, when=when, facts=inspection, send=at is None
        )
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
    # Every step that writes a case's times or events passes here (take_action, the deficiency
    # letter and answer, hearings), so the work list and the report never read a stale clock.
    keep_clock_key(case=case)
    return when


def _check_decision(*, case: Case, outcome: str, conditions: str) -> None:
    """The outcome must fit the case's kind (and an enforcement decision its hearing); a permit
    with conditions must state them."""
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"decision": _("Choose the decision's outcome.")})
    _check_outcome(case=case, outcome=outcome)
    if outcome == DecisionOutcome.PERMIT_WITH_CONDITIONS and not conditions.strip(INVISIBLE):
        raise ValidationError({"conditions": _("Write the conditions of the permit.")})


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
    inspection: InspectionStep = NO_INSPECTION_STEP,
) -> Case:
    """Move the case by one action of its kind's state machine (lifecycle.TABLES).

    In one transaction: check the table, the four-eyes rule, an inspection step's facts and the
    time, write the event and the case's times. Anything else is refused with a Danish message
    naming the current state and the allowed actions (409); nothing changes. A decision records
    its outcome, its conditions and the area's complaint guidance as it reads that day.
    """
    step = CaseAction(action)
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        # An enforcement case's partshøring is one step of its table; an application's hearing
        # names its parties and reply-by date, so it has its own service.
        if step in OWN_SERVICE and case.kind == CaseKind.APPLICATION:
            raise ValidationError(
                {
                    "action": _("Use /cases/{id}/%(endpoint)s/ for that action.")
                    % {"endpoint": OWN_SERVICE[step]}
                }
            )
        data: dict[str, Any] = {}
        if step in DECIDING and target_of(state=case.state, action=step, kind=case.kind):
            _check_decision(case=case, outcome=outcome, conditions=conditions)
            case.decision = outcome
            case.decision_conditions = conditions
            if not note.strip(INVISIBLE):
                raise ValidationError({"note": _("Give the reasons for the decision.")})
            guidance = ComplaintGuidance.objects.get(area=case.area)
            case.complaint_guidance = guidance.text
            data = {"outcome": outcome, "conditions": conditions}
        if step == CaseAction.MARK_FULLY_INFORMED:
            _check_all_answered(case)
        when = _move(
            case=case,
            step=step,
            by=by,
            scope=scope,
            now=now,
            at=at,
            note=note,
            data=data,
            inspection=inspection,
        )
        if step in LEAVING_HEARING:
            _stop_reply_deadlines(case=case, kind=DeadlineKind.HEARING_REPLY, by=by, when=when)
        if step in DECIDING:
            _issue_decision_letters(
                case=case, guidance=guidance, reasons=note, by=by, when=when, send=at is None
            )
    return case


# The steps after which the heard parties' replies are no longer awaited.
LEAVING_HEARING = DECIDING | {CaseAction.START_ASSESSMENT}


def _issue_decision_letters(
    *,
    case: Case,
    guidance: ComplaintGuidance,
    reasons: str,
    by: User,
    when: dt.datetime,
    send: bool,
) -> None:
    """Write the decision letter to the party, and a copy to each adviser: the outcome, the
    conditions one per line, the reasons and where and by when to complain."""
    context = {
        "decision_text": DECISION_TEXTS[DecisionOutcome(case.decision)],
        "conditions": [
            line.strip(INVISIBLE)
            for line in case.decision_conditions.splitlines()
            if line.strip(INVISIBLE)
        ],
        "reasons": reasons,
        "complaint_body": guidance.body,
        "complaint_deadline": timezone.localdate(when) + dt.timedelta(weeks=guidance.period_weeks),
    }
    advisers = Party.objects.filter(
        case_roles__case=case, case_roles__role=CasePartyRole.ADVISER
    ).order_by("pk")
    for recipient in [case.party, *advisers]:
        issue_case_letter(
            case=case,
            kind=LetterKind.DECISION,
            recipient=recipient,
            context=context,
            by=by,
            now=when,
            send=send,
        )


CLOCK_KEY_FIELDS = ["clock_due_on", "clock_stopped_on", "clock_days_used"]


def _set_clock_key(case: Case, key: SortKey) -> None:
    case.clock_due_on, case.clock_stopped_on, case.clock_days_used = (
        key.due_on,
        key.stopped_on,
        key.days_used,
    )


def keep_clock_key(*, case: Case) -> None:
    """Store the case's clock.sort_key from its events (call inside the change's transaction).

    A case without a servicemål category (an inspection, an enforcement case) keeps a null key:
    it has no clock, so the work list puts it after the clocked cases, by received time.
    """
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
        issue_case_letter(
            case=case,
            kind=LetterKind.DEFICIENCY,
            recipient=case.party,
            context={"missing_items": texts, "deadline_date": reply_by},
            by=by,
            now=when,
            send=at is None,
        )
        _start_reply_deadline(
            case=case, kind=DeadlineKind.DEFICIENCY_REPLY, reply_by=reply_by, by=by, when=when
        )
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
        _stop_reply_deadlines(case=case, kind=DeadlineKind.DEFICIENCY_REPLY, by=by, when=when)
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
        letter_kind, what = HEARING_LETTERS[HearingKind(kind)]
        about = note.strip(INVISIBLE) or DEFAULT_HEARING_TEXTS[HearingKind(kind)] % {
            "address": case.property_address
        }
        for party in parties:
            issue_case_letter(
                case=case,
                kind=letter_kind,
                recipient=party,
                context={what: about, "reply_by": reply_by},
                by=by,
                now=when,
                send=at is None,
            )
        _start_reply_deadline(
            case=case, kind=DeadlineKind.HEARING_REPLY, reply_by=reply_by, by=by, when=when
        )
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
        heard = set(hearing.parties.values_list("pk", flat=True))
        if heard <= set(hearing.replies.values_list("party_id", flat=True)):
            # Stopped when the last reply arrived, which may be before it was registered.
            _stop_reply_deadlines(
                case=case, kind=DeadlineKind.HEARING_REPLY, by=by, when=received_at
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
    """Give an indskærpelse at an inspection: its cause, what is required, and by when.

    Write the indskærpelse letter to the party and start the remediation deadline, due at the
    end of the remediation day.
    """
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
    letter = issue_case_letter(
        case=case,
        kind=LetterKind.ENFORCEMENT_NOTICE,
        recipient=case.party,
        # The template lists what is wrong; what the party must do follows the cause.
        context={"violations": [cause, requirement], "deadline_date": deadline},
        by=by,
        now=now,
    )
    given = Indskaerpelse.objects.create(
        case=case,
        cause=cause,
        requirement=requirement,
        deadline=deadline,
        given_at=now,
        given_by=by,
        remediation_deadline=start_deadline(
            subject=case,
            kind=DeadlineKind.REMEDIATION,
            by=by,
            now=now,
            started_at=now,
            due_at=_end_of(deadline),
        ),
    )
    _note_event(
        case=case,
        kind=CaseEventKind.INDSKAERPELSE_GIVEN,
        by=by,
        scope=scope,
        now=now,
        note=cause,
        data={"indskaerpelse": given.pk, "deadline": deadline.isoformat(), "letter": letter.pk},
    )
    return given


def _end_of(day: dt.date) -> dt.datetime:
    """The instant a day ends, local time: a remediation date is met all that day."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def _stop_remediation(
    *, given: Indskaerpelse, stopped_by: StopEvent, by: User, now: dt.datetime
) -> None:
    """Stop the indskærpelse's remediation deadline (none on those given before it existed)."""
    deadline: Deadline | None = given.remediation_deadline
    if deadline is not None:
        complete_deadline(deadline=deadline, by=by, now=now, stopped_by=stopped_by)


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
            % {"date": date_format(timezone.localdate(given.remedied_at), "SHORT_DATE_FORMAT")}
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
    """Record that the party has remedied what the indskærpelse required; stop its deadline."""
    case, given = _open_indskaerpelse(
        scope=scope, case_id=case_id, indskaerpelse_id=indskaerpelse_id
    )
    given.remedied_at = now
    given.save(update_fields=["remedied_at"])
    _stop_remediation(given=given, stopped_by=StopEvent.REMEDIED, by=by, now=now)
    _note_event(
        case=case,
        kind=CaseEventKind.INDSKAERPELSE_REMEDIED,
        by=by,
        scope=scope,
        now=now,
        data={"indskaerpelse": given.pk},
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
    _note_event(
        case=case,
        kind=CaseEventKind.INDSKAERPELSE_FOLLOW_UP,
        by=by,
        scope=scope,
        now=now,
        note=note,
        data={"indskaerpelse": given.pk},
    )
    return given


@transaction.atomic
def start_enforcement(
    *, case_id: int, indskaerpelse_id: int, by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Start an enforcement case (lovliggørelse) from an indskærpelse not remedied in time: same
    party, property, area and department, linked both ways. Refused (409) until its remediation
    deadline has passed; starting stops that deadline."""
    inspection, given = _open_indskaerpelse(
        scope=scope, case_id=case_id, indskaerpelse_id=indskaerpelse_id
    )
    # The deadline engine's due time decides, so that an extended deadline is waited for.
    deadline: Deadline | None = given.remediation_deadline
    due_at = deadline.due_at if deadline is not None else _end_of(given.deadline)
    if now < due_at:
        last_day = timezone.localdate(due_at - dt.timedelta(microseconds=1))
        raise _refuse(
            _("The remediation deadline (%(date)s) has not passed yet.")
            % {"date": date_format(last_day, "SHORT_DATE_FORMAT")}
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
    _stop_remediation(given=given, stopped_by=StopEvent.ENFORCEMENT_STARTED, by=by, now=now)
    _note_event(
        case=inspection,
        kind=CaseEventKind.ENFORCEMENT_STARTED,
        by=by,
        scope=scope,
        now=now,
        data={"indskaerpelse": given.pk, "enforcement_case": case.pk},
    )
    return case


def assign_caseworkers(
    *, case_id: int, user_ids: list[int], by: User, scope: Scope, now: dt.datetime
) -> Case:
    """Make these staff members the case's responsible caseworkers (its "my cases" and its
    reminders follow them); each must hold a role in the case's department."""
    wanted = set(user_ids)
    if not wanted:
        raise ValidationError({"caseworkers": _("Name at least one caseworker.")})
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        outsiders = wanted - staff_of_department(department_id=case.department_id, user_ids=wanted)
        if outsiders:
            raise ValidationError(
                {
                    "caseworkers": _(
                        "Only staff of the case's department can be its caseworkers; "
                        "these are not: %(ids)s."
                    )
                    % {"ids": ", ".join(str(pk) for pk in sorted(outsiders))}
                }
            )
        if set(case.caseworkers.values_list("pk", flat=True)) == wanted:
            raise _refuse(_("Those are the case's caseworkers already."))
        case.caseworkers.set(wanted)
        _note_event(
            case=case,
            kind=CaseEventKind.CASEWORKERS_ASSIGNED,
            by=by,
            scope=scope,
            now=now,
            data={"caseworkers": sorted(wanted)},
        )
    return case


# The case screen's own writes: notes, received documents, parties by number, taking a case.


def add_case_note(*, case_id: int, text: str, by: User, scope: Scope, now: dt.datetime) -> Case:
    """Write a note on the case's timeline (it changes no state)."""
    note = text.strip(INVISIBLE)
    if not note:
        raise ValidationError({"text": _("Write the note.")})
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(
            {"text": _("A note holds at most %(most)d characters.") % {"most": MAX_NOTE_CHARS}}
        )
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        _note_event(
            case=case, kind=CaseEventKind.NOTE, by=by, scope=scope, now=now, note=note, data={}
        )
    return case


def add_case_document(
    *,
    case_id: int,
    title: str,
    dated: dt.date,
    file: UploadedFile,
    by: User,
    scope: Scope,
    now: dt.datetime,
) -> Document:
    """List a document received on the case, its file checked, scanned and stored encrypted by
    the journal; the timeline says so."""
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        document = upload_document(
            subject=case,
            direction=DocumentDirection.RECEIVED,
            title=title,
            dated=dated,
            file=file,
            by=by,
            now=now,
        )
        _note_event(
            case=case,
            kind=CaseEventKind.DOCUMENT_ADDED,
            by=by,
            scope=scope,
            now=now,
            note=document.title,
            data={"document": document.pk},
        )
    return document


def add_case_party_by_number(
    *,
    case_id: int,
    role: str,
    cpr: str | None,
    cvr: str | None,
    name: str,
    by: User,
    scope: Scope,
    now: dt.datetime,
) -> CaseParty:
    """Give the citizen (by CPR) or company (by CVR) a role on the case, creating the party if
    it is new; the name is optional."""
    errors: dict[str, str] = {}
    if bool(cpr) == bool(cvr):
        errors["cpr"] = _("Give the party's CPR number or CVR number (one of them).")
    cleaned_cpr, cleaned_cvr = _clean_numbers(cpr=cpr, cvr=cvr, errors=errors)
    if role not in CasePartyRole.values:
        errors["role"] = _("Choose the party's role on the case.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The case first: nobody creates a party through a case they may not change.
        get_case_to_change(scope=scope, case_id=case_id)
        party = _party(cpr=cleaned_cpr, cvr=cleaned_cvr, name=name.strip(INVISIBLE))
        return add_case_party(
            case_id=case_id, party_id=party.pk, role=role, by=by, scope=scope, now=now
        )


def take_case(*, case_id: int, by: User, scope: Scope, now: dt.datetime) -> Case:
    """ "Tag sagen": make the user the caseworker of a case that has none yet."""
    with transaction.atomic():
        case = get_case_to_change(scope=scope, case_id=case_id)
        if case.caseworkers.exists():
            raise _refuse(_("The case has a caseworker already."))
        return assign_caseworkers(case_id=case_id, user_ids=[by.pk], by=by, scope=scope, now=now)
