"""Reads: cases through one permission path, each case's servicemål clock, and the day an inspection
report is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case as SqlCase
from django.db.models import (
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from indgang.cases.clock import Clock, Period, SortKey, servicemal_clock, sort_key
from indgang.cases.constants import (
    APPLICATION_OUTCOMES,
    DEFAULT_REPORT_WORKING_DAYS,
    ENFORCEMENT_OUTCOMES,
    REVIEW_REQUIRED,
    CaseAction,
    CaseEventKind,
    CaseKind,
    CasePartyRole,
    DecisionOutcome,
)
from indgang.cases.lifecycle import WAITING_ENDS, WAITING_STARTS, allowed_actions
from indgang.cases.models import (
    AreaSettings,
    Case,
    CaseChecklistItem,
    CaseEvent,
    CaseParty,
    DeficiencyItem,
    Hearing,
    HearingReply,
    Indskaerpelse,
    ServiceNeedChange,
    ServiceTargetCategory,
)
from indgang.cases.suggestion import Facts, Suggestion, suggest_service_need
from indgang.common.workdays import add_working_days
from indgang.contacts.models import Contact
from indgang.contacts.selectors import is_redacted, visible_contacts
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import calendar_for, deadlines_of
from indgang.journal.models import Document, JournalEntry
from indgang.journal.selectors import journal_entries_of, list_documents
from indgang.letters.constants import LetterKind
from indgang.letters.models import Letter, OutgoingMessage
from indgang.letters.selectors import letters_for_subject
from indgang.organisation.models import Department
from indgang.organisation.selectors import Scope


def visible_cases(*, scope: Scope) -> QuerySet[Case]:
    """The cases of the scope's own departments; administrators see all. The front line sees
    no other department's cases: a case is casework, not routing."""
    cases = Case.objects.all()
    if not scope.sees_all:
        cases = cases.filter(department_id__in=scope.department_ids)
    return cases


def is_case_redacted(*, scope: Scope, case: Case) -> bool:
    """Whether a list elsewhere (a deadline, a document) must withhold this case: the scope
    would not find it in `visible_cases`."""
    return not scope.sees_in_full(case.department_id)


def list_cases_for(*, scope: Scope, party_id: int | None = None) -> QuerySet[Case]:
    cases = (
        visible_cases(scope=scope)
        .select_related("category", "kle_topic", "inspection", "origin_indskaerpelse")
        .prefetch_related(
            Prefetch("events", CaseEvent.objects.select_related("by")),
            "indskaerpelser",
            "inspection__staff_present",
        )
    )
    if party_id is not None:
        cases = cases.filter(party_id=party_id)
    return cases.order_by("-received_at", "-pk")


def get_case_for(*, scope: Scope, case_id: int) -> Case:
    """The case if the scope may see it; Case.DoesNotExist (404) otherwise, as for a missing one."""
    return list_cases_for(scope=scope).get(pk=case_id)


def get_case_detail_for(*, scope: Scope, case_id: int) -> Case:
    """The case with what its screen shows beside the timeline, in a constant number of
    statements; Case.DoesNotExist as get_case_for."""
    return (
        list_cases_for(scope=scope)
        .prefetch_related(
            Prefetch("checklist", CaseChecklistItem.objects.select_related("done_by")),
            "deficiency_items",
            "hearings__parties",
            "hearings__replies",
            "other_parties",
            "contact_links",
            "caseworkers",
        )
        .get(pk=case_id)
    )


def list_case_letters_for(*, scope: Scope, case_id: int) -> tuple[Case, list[Letter]]:
    """The case and its letters, newest first, if the scope may see it; Case.DoesNotExist as
    get_case_for."""
    case = get_case_for(scope=scope, case_id=case_id)
    return case, list(letters_for_subject(subject=case))


def get_case_letter_for(*, scope: Scope, case_id: int, letter_id: int) -> tuple[Case, Letter]:
    """The case and one of its letters, through the case's permission path; Case.DoesNotExist
    or Letter.DoesNotExist (404) otherwise."""
    case = get_case_for(scope=scope, case_id=case_id)
    return case, letters_for_subject(subject=case).get(pk=letter_id)


@dataclass(frozen=True)
class Receipt:
    """What the applicant is told when the application is registered."""

    journal_number: str
    letter: Letter


def receipt_of(*, case: Case) -> Receipt:
    """The case's journal number and its (first) receipt letter, as the intake answers them."""
    return Receipt(
        journal_number=journal_entries_of(model=Case, ids=[case.pk])[case.pk].number,
        letter=letters_for_subject(subject=case).filter(kind=LetterKind.RECEIPT).earliest("pk"),
    )


def get_case_to_change(*, scope: Scope, case_id: int) -> Case:
    """The case, locked for the rest of the transaction, if the scope may see it."""
    return visible_cases(scope=scope).select_for_update().get(pk=case_id)


def party_cases_in(*, party_id: int, department_ids: frozenset[int]) -> QuerySet[Case]:
    """The party's cases in these departments (the index on party leads)."""
    return Case.objects.filter(party_id=party_id, department_id__in=department_ids)


def party_case_roles_in(*, party_id: int, department_ids: frozenset[int]) -> QuerySet[CaseParty]:
    """The party's roles (adviser, neighbour ...) on cases in these departments."""
    return CaseParty.objects.filter(party_id=party_id, case__department_id__in=department_ids)


def list_party_cases_for(*, scope: Scope, party_id: int, limit: int) -> list[Case]:
    """The newest `limit` cases the scope sees on which the party is the applicant or has a
    role (CaseParty), in one query; each has `party_role`: its CasePartyRole, "" as applicant.
    """
    roles = CaseParty.objects.filter(case_id=OuterRef("pk"), party_id=party_id)
    cases = (
        visible_cases(scope=scope)
        .filter(Q(party_id=party_id) | Q(Exists(roles)))
        .annotate(
            party_role=SqlCase(
                When(party_id=party_id, then=Value("")),
                default=Subquery(roles.order_by("role").values("role")[:1]),
            )
        )
        .order_by("-received_at", "-pk")
    )
    return list(cases[:limit])


@dataclass(frozen=True)
class LinkedContact:
    """A contact linked to the case; its summary only where the reader may read it in full."""

    contact: Contact
    readable: bool


def linked_contacts(*, scope: Scope, case: Case) -> list[LinkedContact]:
    """The contacts linked to the case that the scope may see, oldest first."""
    contacts = (
        visible_contacts(scope=scope).filter(case_links__case=case).order_by("received_at", "pk")
    )
    return [
        LinkedContact(contact=contact, readable=not is_redacted(scope=scope, contact=contact))
        for contact in contacts
    ]


def cases_linked_to(*, scope: Scope, contact_id: int) -> list[Case]:
    """The cases the scope sees that the contact is linked to, oldest link first."""
    return list(
        visible_cases(scope=scope)
        .filter(contact_links__contact_id=contact_id)
        .order_by("contact_links__linked_at", "pk")
    )


def get_case_document_for(*, scope: Scope, case_id: int, document_id: int) -> Document:
    """A document of the case, if the scope may see the case; Case.DoesNotExist or
    Document.DoesNotExist otherwise."""
    case = get_case_for(scope=scope, case_id=case_id)
    return list_documents(subject=case).get(pk=document_id)


@dataclass(frozen=True)
class CaseScreen:
    """What the caseworker's case screen shows of one case."""

    case: Case
    events: list[CaseEvent]
    clock: Clock | None
    allowed: list[CaseAction]
    suggestion: Suggestion
    checklist: list[CaseChecklistItem]
    deficiency_items: list[DeficiencyItem]
    hearings: list[Hearing]
    # The department's active staff: caseworkers are chosen among them, as are those named at
    # an inspection's visit.
    staff: list[User]
    journal_entry: JournalEntry | None
    letters: list[Letter]
    documents: list[Document]
    deadlines: list[Deadline]
    contacts: list[LinkedContact]

    @property
    def review_required(self) -> bool:
        """Whether the type needs four eyes: a second caseworker decides, from review."""
        return self.case.service_need_type in REVIEW_REQUIRED

    @property
    def outcomes(self) -> list[DecisionOutcome]:
        """The outcomes a decision on a case of this kind may have."""
        allowed = (
            ENFORCEMENT_OUTCOMES if self.case.kind == CaseKind.ENFORCEMENT else APPLICATION_OUTCOMES
        )
        return [outcome for outcome in DecisionOutcome if outcome in allowed]

    @property
    def open_deficiency_items(self) -> list[DeficiencyItem]:
        """The missing items neither answered nor waived."""
        return [
            item
            for item in self.deficiency_items
            if item.answered_at is None and not item.waived_reason
        ]


def get_case_screen(*, scope: Scope, case_id: int, today: dt.date) -> CaseScreen:
    """The case with everything its screen shows, in a constant number of statements, if the
    scope may see it (the permission path of get_case_for); Case.DoesNotExist otherwise."""
    case = (
        list_cases_for(scope=scope)
        .select_related("party", "unit__department", "department", "meeting__slot")
        .prefetch_related(
            "caseworkers",
            Prefetch("other_parties", CaseParty.objects.select_related("party")),
            Prefetch("service_need_changes", ServiceNeedChange.objects.select_related("by")),
            Prefetch("checklist", CaseChecklistItem.objects.select_related("done_by")),
            "deficiency_items",
            Prefetch(
                "hearings",
                Hearing.objects.prefetch_related(
                    "parties", Prefetch("replies", HearingReply.objects.select_related("party"))
                ),
            ),
        )
        .get(pk=case_id)
    )
    events = events_of(case)
    return CaseScreen(
        case=case,
        events=events,
        clock=clock_of(case=case, events=events, today=today),
        allowed=allowed_actions(case.state, case.kind),
        suggestion=suggest_service_need(suggestion_facts(case=case)),
        checklist=list(case.checklist.all()),
        deficiency_items=list(case.deficiency_items.all()),
        hearings=list(case.hearings.all()),
        staff=list(
            User.objects.filter(is_active=True, role_assignments__department_id=case.department_id)
            .distinct()
            .order_by("first_name", "last_name", "username")
        ),
        journal_entry=journal_entries_of(model=Case, ids=[case.pk]).get(case.pk),
        letters=list(
            letters_for_subject(subject=case).prefetch_related(
                Prefetch("messages", OutgoingMessage.objects.order_by("queued_at", "pk"))
            )
        ),
        documents=list(list_documents(subject=case)),
        deadlines=list(deadlines_of(subject=case)),
        contacts=linked_contacts(scope=scope, case=case),
    )


def waiting_periods(events: list[CaseEvent]) -> list[Period]:
    """The periods waiting for the applicant, in local dates, from the case's events in order."""
    periods: list[Period] = []
    started: dt.date | None = None
    for event in events:
        if event.kind != CaseEventKind.TRANSITION:
            continue
        if event.action in WAITING_STARTS:
            started = timezone.localdate(event.at)
        elif event.action in WAITING_ENDS and started is not None:
            periods.append((started, timezone.localdate(event.at)))
            started = None
    if started is not None:
        periods.append((started, None))
    return periods


def areas_where_waiting_counts() -> frozenset[str]:
    """The areas whose clocks count the days waiting for the applicant (default: none)."""
    return frozenset(
        AreaSettings.objects.filter(waiting_counts=True).values_list("area", flat=True)
    )


def clock_of(
    *,
    case: Case,
    events: list[CaseEvent],
    today: dt.date,
    waiting_counts: frozenset[str] | None = None,
) -> Clock | None:
    """The case's servicemål clock on `today`; None for a case without a category, and for
    inspections and enforcement cases: the servicemål is for applications only.

    `waiting_counts`: areas_where_waiting_counts(), when the caller has it (a list reads it once).
    """
    if waiting_counts is None:
        waiting_counts = areas_where_waiting_counts()
    category: ServiceTargetCategory | None = case.category
    if category is None or case.kind != CaseKind.APPLICATION:
        return None
    return servicemal_clock(
        fully_informed=timezone.localdate(case.fully_informed_at)
        if case.fully_informed_at
        else None,
        decided=timezone.localdate(case.decided_at) if case.decided_at else None,
        today=today,
        target_days=category.target_days,
        waiting=waiting_periods(events),
        waiting_counts=case.area in waiting_counts,
    )


def clock_key_of(
    *, case: Case, events: list[CaseEvent], waiting_counts: frozenset[str] | None = None
) -> SortKey:
    """The case's clock.sort_key from its events in order (no category: no clock, no key).

    `waiting_counts`: areas_where_waiting_counts(), when the caller has it.
    """
    category: ServiceTargetCategory | None = case.category
    if category is None:
        return SortKey(None, None, None)
    if waiting_counts is None:
        waiting_counts = areas_where_waiting_counts()
    return sort_key(
        fully_informed=_local(case.fully_informed_at),
        decided=_local(case.decided_at),
        target_days=category.target_days,
        waiting=waiting_periods(events),
        waiting_counts=case.area in waiting_counts,
    )


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def events_of(case: Case) -> list[CaseEvent]:
    """The case's timeline in order (as prefetched by list_cases_for, else read now)."""
    return sorted(case.events.all(), key=lambda event: (event.at, event.pk))


def suggestion_facts(*, case: Case) -> Facts:
    """The facts the service-need suggestion reads, in a constant number of statements.

    The applicant's and the advisers' earlier cases are counted in every department: only their
    types are read, to judge how such a party's cases tend to run.
    """
    earlier = Case.objects.filter(received_at__lt=case.received_at).exclude(service_need_type="")
    advisers = CaseParty.objects.filter(case=case, role=CasePartyRole.ADVISER).values("party_id")
    counts = (
        Case.objects.filter(pk=case.pk)
        .values(
            deficiencies=_count(DeficiencyItem.objects.filter(case_id=case.pk)),
            objections=_count(
                HearingReply.objects.filter(hearing__case_id=case.pk, objects_to=True)
            ),
            # The party's indskærpelser given before this case came in, at any inspection.
            earlier_indskaerpelser=_count(
                Indskaerpelse.objects.filter(
                    case__party_id=case.party_id, given_at__lt=case.received_at
                )
            ),
        )
        .get()
    )
    return Facts(
        kind=case.kind,
        arrived_fully_informed=(
            False
            if counts["deficiencies"]
            else (True if case.fully_informed_at is not None else None)
        ),
        applicant_earlier_types=list(
            earlier.filter(party_id=case.party_id).values_list("service_need_type", flat=True)
        ),
        adviser_earlier_types=list(
            earlier.filter(
                other_parties__role=CasePartyRole.ADVISER,
                other_parties__party_id__in=Subquery(advisers),
            )
            .order_by()
            .distinct()
            .values_list("service_need_type", flat=True)
        ),
        objections=counts["objections"],
        indskaerpelser=counts["earlier_indskaerpelser"],
    )


def _count(rows: QuerySet[Any]) -> Subquery:
    """A subquery counting the rows, so that several counts are read in one statement."""
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def report_due_at(*, visited_at: dt.datetime, department_id: int, area: str) -> dt.datetime:
    """When the inspection report is due: the area's working days after the visit, on the
    calendar of the department's municipality."""
    area_settings = AreaSettings.objects.filter(area=area).first()
    days = area_settings.report_working_days if area_settings else DEFAULT_REPORT_WORKING_DAYS
    calendar = calendar_for(
        municipality_id=Department.objects.values_list("municipality_id", flat=True).get(
            pk=department_id
        )
    )
    return add_working_days(visited_at, days, calendar=calendar)
