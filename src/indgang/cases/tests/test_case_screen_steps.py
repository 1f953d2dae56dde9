"""Every workflow step on the case screen: each form calls its service, shows what changed,
and a refusal shows its Danish message by the field with nothing changed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from indgang.audit.models import AccessLogEntry
from indgang.cases.constants import CasePartyRole
from indgang.cases.models import Case, CaseEvent, CaseParty, DeficiencyItem, Indskaerpelse
from indgang.cases.services import (
    InspectionStep,
    NewCaseSubject,
    change_service_need_type,
    give_indskaerpelse,
    link_contact,
    plan_inspection,
    record_hearing_reply,
    send_deficiency_letter,
    start_hearing,
    take_action,
)
from indgang.cases.tests.conftest import Act, Receive
from indgang.conftest import CPR_A, CPR_B, Org, RegisterContact, Staff, staff_client
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.services import start_deadline
from indgang.journal.constants import DocumentDirection
from indgang.journal.services import add_document, journalise
from indgang.journal.tests.test_documents import tiny_pdf
from indgang.letters.constants import LetterKind
from indgang.letters.rendering import example_context
from indgang.letters.services import compose_letter, send_letter
from indgang.organisation.selectors import get_scope
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = (timezone.localdate() + dt.timedelta(days=14)).isoformat()


def post(user: User, case: Case, what: str, **data: Any) -> tuple[list[str], str]:
    """Post a form of the case screen; the messages the user sees next, and the page."""
    response = staff_client(user).post(f"/cases/{case.pk}/{what}/", data, follow=True)
    assert response.redirect_chain[0][1] == 302
    return [str(message) for message in response.context["messages"]], response.content.decode()


def just_now() -> str:
    """The time a reply came in, as the form's datetime-local field sends it: to the second,
    a moment after the hearing started (the field has no fractions of a second)."""
    return (timezone.localtime() + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")


def snapshot(case: Case) -> tuple[Any, ...]:
    """Everything a refused step could have changed."""
    case.refresh_from_db()
    return (
        case.state,
        case.service_need_type,
        case.decision,
        case.deficiency_reply_by,
        CaseEvent.objects.filter(case=case).count(),
        list(
            DeficiencyItem.objects.filter(case=case).values_list(
                "text", "answered_at", "waived_reason"
            )
        ),
        case.hearings.count(),
        list(case.checklist.values_list("done_at", flat=True)),
        list(Indskaerpelse.objects.filter(case=case).values_list("remedied_at", "follow_up_note")),
        list(case.other_parties.values_list("party_id", "role")),
        list(case.contact_links.values_list("contact_id", flat=True)),
        list(case.caseworkers.values_list("pk", flat=True)),
        Party.objects.count(),
    )


def neighbour_on(case: Case) -> Party:
    neighbour = get_or_create_citizen(cpr=CPR_B, name="Nina Nabo")
    CaseParty.objects.create(case=case, party=neighbour, role=CasePartyRole.NEIGHBOUR)
    return neighbour


def test_an_application_walks_from_screening_to_a_decision_with_conditions_through_the_forms(
    receive: Receive, act: Act, staff: Staff, second_caseworker: User
) -> None:
    case = receive()
    neighbour = neighbour_on(case)
    worker = staff.caseworker
    assert post(worker, case, "service-need", service_need_type="klar_parat", reason="Komplet")[
        0
    ] == ["Gemt."]
    act(case, "start_screening")
    item = case.checklist.first()
    assert item is not None

    shown, page = post(worker, case, "checklist", item=item.pk, done="on")
    assert shown == ["Gemt."] and f'data-item="{item.pk}" data-done="true"' in page
    shown, page = post(worker, case, "checklist", item=item.pk)
    assert shown == ["Gemt."] and f'data-item="{item.pk}" data-done="false"' in page

    shown, page = post(
        worker,
        case,
        "deficiency-letter",
        items="Snittegning\n\n Situationsplan \n",
        reply_by=IN_TWO_WEEKS,
    )
    assert shown == ["Gemt."]
    first, second = DeficiencyItem.objects.filter(case=case).order_by("pk")
    assert (first.text, second.text) == ("Snittegning", "Situationsplan")
    assert re.findall(r'data-item="\d+" data-status="(\w+)"', page) == ["open", "open"]

    shown, page = post(worker, case, "deficiency-answer", answered=[first.pk])
    assert shown == ["Gemt."]
    assert re.findall(r'data-item="\d+" data-status="(\w+)"', page) == ["answered", "open"]
    shown, page = post(worker, case, "deficiency-waiver", item=second.pk, reason="Ses på kortet")
    assert shown == ["Gemt."]
    assert re.findall(r'data-item="\d+" data-status="(\w+)"', page) == ["answered", "waived"]

    act(case, "mark_fully_informed")
    shown, page = post(
        worker, case, "hearings", kind="neighbour", reply_by=IN_TWO_WEEKS, parties=[neighbour.pk]
    )
    assert shown == ["Gemt."] and 'data-state="hearing"' in page
    hearing = case.hearings.get()
    shown, page = post(
        worker,
        case,
        "hearing-replies",
        hearing=hearing.pk,
        party=neighbour.pk,
        received_at=just_now(),
        objects_to="on",
        summary="Skygge på min terrasse",
    )
    assert shown == ["Gemt."]
    assert 'data-objects="true"' in page and "Skygge på min terrasse" in page
    assert 'id="type-suggestion" data-type="princip"' in page

    shown, page = post(worker, case, "service-need", service_need_type="princip", reason="Nabo")
    assert shown == ["Gemt."] and 'id="four-eyes"' in page
    act(case, "start_assessment")
    act(case, "submit_for_review")
    shown, page = post(
        second_caseworker,
        case,
        "actions",
        action="decide",
        decision="permit_with_conditions",
        conditions="Skyggediagram før byggestart",
        note="Skyggen falder mest på ansøgers egen grund.",
    )
    assert shown == ["Gemt."]
    assert 'id="decision-conditions">Skyggediagram før byggestart<' in page
    case.refresh_from_db()
    assert (case.state, case.decision, case.decision_conditions) == (
        "decided",
        "permit_with_conditions",
        "Skyggediagram før byggestart",
    )


def test_the_decision_offers_only_the_outcomes_of_the_cases_kind(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = receive()
    for step in ("start_screening", "mark_fully_informed", "start_assessment"):
        act(case, step)

    page = staff_client(staff.caseworker).get(f"/cases/{case.pk}/").content.decode()

    select = page[page.index('id="decision-decide"') :]
    select = select[: select.index("</select>")]
    assert re.findall(r'<option value="(\w*)"', select) == [
        "",
        "permit",
        "permit_with_conditions",
        "refusal",
    ]


REFUSALS = [
    (
        "deficiency-letter",
        {"items": " \n ", "reply_by": IN_TWO_WEEKS},
        "deficiency",
        "items",
        "Dette felt er påkrævet.",
    ),
    (
        "deficiency-letter",
        {"items": "Snit", "reply_by": "2020-01-01"},
        "deficiency",
        "reply_by",
        "Ansøgerens svarfrist skal ligge efter brevets dato.",
    ),
    (
        "deficiency-letter",
        {"items": "Snit", "reply_by": "i morgen"},
        "deficiency",
        "reply_by",
        "Indtast en gyldig dato.",
    ),
    (
        "hearings",
        {"kind": "neighbour", "reply_by": IN_TWO_WEEKS},
        "hearing",
        "parties",
        "Dette felt er påkrævet.",
    ),
    (
        "hearings",
        {"kind": "neighbour", "reply_by": IN_TWO_WEEKS, "parties": ["999999"]},
        "hearing",
        "parties",
        "Angiv mindst én part at høre, og kun kendte parter.",
    ),
    (
        "checklist",
        {"item": "999999", "done": "on"},
        "checklist",
        "item",
        "Sagen har ikke det tjeklistepunkt.",
    ),
    (
        "service-need",
        {"service_need_type": "obs", "reason": ""},
        "type",
        "reason",
        "Dette felt er påkrævet.",
    ),
]


@pytest.mark.parametrize(("what", "data", "form", "field", "message"), REFUSALS)
def test_a_refused_form_shows_its_danish_message_by_the_field_and_changes_nothing(
    receive: Receive,
    act: Act,
    staff: Staff,
    what: str,
    data: dict[str, Any],
    form: str,
    field: str,
    message: str,
) -> None:
    case = receive()
    change_service_need_type(
        case_id=case.pk,
        to_type="klar_parat",
        reason="Komplet",
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )
    act(case, "start_screening")
    if what == "hearings":
        act(case, "mark_fully_informed")  # where the hearing's form is shown
    before = snapshot(case)

    shown, page = post(staff.caseworker, case, what, **data)

    assert shown == [message]
    assert f'<span class="field-error" id="error-{form}-{field}">{message}</span>' in page
    assert snapshot(case) == before


def test_an_answer_waiver_reply_and_decision_refused_change_nothing(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = receive()
    neighbour = neighbour_on(case)
    scope = get_scope(user=staff.caseworker)
    act(case, "start_screening")
    send_deficiency_letter(
        case_id=case.pk,
        items=["Snit"],
        reply_by=timezone.localdate() + dt.timedelta(days=3),
        by=staff.caseworker,
        scope=scope,
        now=timezone.now(),
    )
    item = case.deficiency_items.get()
    before = snapshot(case)
    assert post(staff.caseworker, case, "deficiency-answer", answered=["abc"])[0] == [
        "Vælg fra listen."
    ]
    assert post(staff.caseworker, case, "deficiency-waiver", item=item.pk, reason=" ")[0] == [
        "Dette felt er påkrævet."
    ]
    assert snapshot(case) == before
    post(staff.caseworker, case, "deficiency-answer", answered=[item.pk])
    act(case, "mark_fully_informed")
    hearing = start_hearing(
        case_id=case.pk,
        kind="neighbour",
        reply_by=timezone.localdate() + dt.timedelta(days=3),
        party_ids=[neighbour.pk],
        by=staff.caseworker,
        scope=scope,
        now=timezone.now(),
    )
    before = snapshot(case)
    shown, page = post(
        staff.caseworker,
        case,
        "hearing-replies",
        hearing=hearing.pk,
        party=case.party_id,
        received_at=just_now(),
        summary="Ok",
    )
    assert shown == ["Den part blev ikke hørt i denne høring."]
    assert 'id="error-reply-party">Den part blev ikke hørt' in page
    assert snapshot(case) == before
    act(case, "start_assessment")
    before = snapshot(case)
    shown, page = post(
        staff.caseworker, case, "actions", action="decide", decision="permit_with_conditions"
    )
    assert shown == ["Skriv tilladelsens vilkår."]
    assert 'id="error-action-conditions">Skriv tilladelsens vilkår.<' in page
    assert snapshot(case) == before


def attach_one_of_each(case: Case, by: User, neighbour: Party, n: int) -> None:
    """Give the case n letters (each queued), documents, deadlines and hearing replies, in a
    hearing started now."""
    scope = get_scope(user=by)
    hearing = start_hearing(
        case_id=case.pk,
        kind="neighbour",
        reply_by=timezone.localdate() + dt.timedelta(days=14),
        party_ids=[neighbour.pk],
        by=by,
        scope=scope,
        now=timezone.now(),
    )
    for number in range(n):
        letter = compose_letter(
            kind=LetterKind.RECEIPT,
            subject=case,
            recipient=case.party,
            context=example_context(LetterKind.RECEIPT),
            by=by,
            now=timezone.now(),
        )
        send_letter(letter=letter, transport="file", now=timezone.now())
        add_document(
            subject=case,
            direction=DocumentDirection.RECEIVED,
            title=f"Bilag {number}",
            dated=timezone.localdate(),
            content=None,
            filename="",
            by=by,
            now=timezone.now(),
        )
        # Not a hearing_reply: the neighbour's reply below stops those.
        start_deadline(
            subject=case, kind=DeadlineKind.DEFICIENCY_REPLY, by=by, now=timezone.now(), length=14
        )
        record_hearing_reply(
            case_id=case.pk,
            hearing_id=hearing.pk,
            party_id=neighbour.pk,
            received_at=timezone.now(),
            objects_to=bool(number % 2),
            summary=f"Svar {number}",
            by=by,
            scope=scope,
            now=timezone.now(),
        )


def link_contacts(case: Case, by: User, register: RegisterContact, n: int) -> None:
    """Link `n` new contacts to the case."""
    for _ in range(n):
        link_contact(
            case_id=case.pk,
            contact_id=register(by).pk,
            by=by,
            scope=get_scope(user=by),
            now=timezone.now(),
        )


def test_the_screen_reads_a_constant_number_of_statements(
    receive: Receive,
    act: Act,
    staff: Staff,
    second_caseworker: User,
    register: RegisterContact,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    case = receive()
    client = staff_client(staff.caseworker)
    client.get(f"/cases/{case.pk}/")  # the session and the scope warmed up alike
    # session, user, scope (roles), the case, its events, caseworkers, other parties, type
    # changes, checklist, missing items, hearings, the three of the suggestion, the areas
    # whose waiting counts, the journal entry, letters (the receipt) and their outbox messages,
    # documents, deadlines, the department's staff, the linked contacts, the access-log row,
    # the header's identity
    with django_assert_num_queries(25):
        assert client.get(f"/cases/{case.pk}/").status_code == 200

    neighbour = neighbour_on(case)
    journalise(
        subject=case, kle_topic=None, kind="inquiry", by=staff.caseworker, now=timezone.now()
    )
    change_service_need_type(
        case_id=case.pk,
        to_type="princip",
        reason="Nabo",
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )
    for step in ("start_screening", "mark_fully_informed"):
        act(case, step)
    attach_one_of_each(case, staff.caseworker, neighbour, 1)
    link_contacts(case, staff.caseworker, register, 1)
    # ... and with letters: their outbox messages; with hearings: their parties and replies
    with django_assert_num_queries(27):
        few = client.get(f"/cases/{case.pk}/").content.decode()

    act(case, "start_assessment")
    attach_one_of_each(case, staff.caseworker, neighbour, 4)
    link_contacts(case, staff.caseworker, register, 4)
    case.caseworkers.add(staff.caseworker, second_caseworker)
    with django_assert_num_queries(27):
        many = client.get(f"/cases/{case.pk}/").content.decode()

    assert re.search(r'id="journal-number">\d{4}-\d+<', few)
    # Besides the helper's letters: the receipt from the intake and each hearing's letter, each
    # queued and filed as a document.
    for page, count, sent in ((few, 1, 3), (many, 5, 8)):
        assert page.count('<tr data-kind="receipt">') == count + 1
        assert page.count('data-status="queued"') == sent
        assert page.count("data-document=") == sent
        assert page.count("data-contact=") == count
        assert page.count('<tr data-kind="deficiency_reply" data-status="open">') == count
    assert many.count('class="hearing"') == 2 and many.count("data-objects=") == 5
    assert len(case.checklist.all()) > 1 and many.count('name="item"') == len(case.checklist.all())


def test_a_letter_downloads_through_the_cases_permission_path_and_is_logged(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    letter = compose_letter(
        kind=LetterKind.RECEIPT,
        subject=case,
        recipient=case.party,
        context=example_context(LetterKind.RECEIPT),
        by=staff.caseworker,
        now=timezone.now(),
    )
    url = f"/cases/{case.pk}/letters/{letter.pk}/pdf/"

    assert staff_client(staff.other_caseworker).get(url).status_code == 404
    assert (
        staff_client(staff.caseworker).get(f"/cases/{case.pk}/letters/999999/pdf/").status_code
        == 404
    )
    assert AccessLogEntry.objects.count() == 0
    response = staff_client(staff.caseworker).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert list(
        AccessLogEntry.objects.values_list("party_id", "action", "user", "subject_id", "detail")
    ) == [(case.party_id, "opened_document", staff.caseworker.pk, case.pk, f"letter={letter.pk}")]


def plan_past(staff: Staff, org: Org, service_need_type: str) -> Case:
    """An inspection planned 30 days ago, typed."""
    long_ago = timezone.now() - dt.timedelta(days=30)
    scope = get_scope(user=staff.caseworker)
    case = plan_inspection(
        subject=NewCaseSubject(
            area="building", cpr=CPR_A, property_address="Markvej 3", unit=org.building_unit
        ),
        planned_for=timezone.localdate(long_ago),
        by=staff.caseworker,
        scope=scope,
        now=long_ago,
    )
    return change_service_need_type(
        case_id=case.pk,
        to_type=service_need_type,
        reason="Screening",
        by=staff.caseworker,
        scope=scope,
        now=long_ago,
    )


def test_an_inspection_goes_from_notice_to_an_enforcement_case_on_the_screen(
    staff: Staff, org: Org, second_caseworker: User
) -> None:
    case = plan_past(staff, org, "princip")
    worker = staff.caseworker
    before = snapshot(case)
    shown, page = post(worker, case, "actions", action="give_notice", notice_method="letter")
    assert shown == ["Et varslingsbrev skal give tilsynets dagsorden."]
    assert 'id="error-action-agenda">' in page and snapshot(case) == before
    shown, page = post(
        worker, case, "actions", action="give_notice", notice_method="letter", agenda="Gylletank"
    )
    assert shown == ["Gemt."] and 'id="inspection-notice">' in page and "Gylletank" in page
    assert f'id="staff-{second_caseworker.pk}"' in page and f'id="staff-{worker.pk}"' in page

    before = snapshot(case)
    shown, page = post(worker, case, "actions", action="record_visit", staff_present=[worker.pk])
    assert shown == [
        "Et tilsyn af typen Princip kræver to medarbejdere ved besøget; du har angivet 1."
    ]
    assert 'id="error-action-staff_present">' in page and snapshot(case) == before
    shown, page = post(
        worker,
        case,
        "actions",
        action="record_visit",
        staff_present=[worker.pk, second_caseworker.pk],
    )
    assert shown == ["Gemt."] and 'data-state="visited"' in page

    before = snapshot(case)
    shown, page = post(worker, case, "actions", action="send_report", findings="Utæt tank")
    assert shown == ["Fortæl parten, hvad der sker nu."]
    assert 'id="error-action-next_steps">' in page and snapshot(case) == before
    shown, page = post(
        worker,
        case,
        "actions",
        action="send_report",
        findings="Utæt tank\r\n\r\nIngen spildbakke",
        next_steps="Du får en indskærpelse.",
    )
    assert shown == ["Gemt."] and 'data-state="report_sent"' in page
    report = case.events.get(action="send_report")
    assert (report.data["findings"], report.data["next_steps"]) == (
        ["Utæt tank", "Ingen spildbakke"],
        "Du får en indskærpelse.",
    )

    before = snapshot(case)
    shown, page = post(
        worker, case, "indskaerpelser", cause="", requirement="Tæt tank", deadline=IN_TWO_WEEKS
    )
    assert shown == ["Dette felt er påkrævet."] and 'id="error-indskaerpelse-cause">' in page
    assert snapshot(case) == before
    shown, page = post(
        worker,
        case,
        "indskaerpelser",
        cause="Utæt tank",
        requirement="Tæt tank",
        deadline=IN_TWO_WEEKS,
    )
    assert shown == ["Gemt."] and "Utæt tank" in page
    fresh = case.indskaerpelser.get()
    assert f'id="enforce-{fresh.pk}"' not in page  # not due yet
    shown, page = post(
        worker, case, "indskaerpelser/follow-up", indskaerpelse=fresh.pk, note="Set på"
    )
    assert shown == ["Gemt."]
    shown, page = post(worker, case, "indskaerpelser/remedied", indskaerpelse=fresh.pk)
    assert shown == ["Gemt."] and f'id="remedied-{fresh.pk}"' not in page

    overdue = give_indskaerpelse(
        case_id=case.pk,
        cause="Gammel sag",
        requirement="Ryd op",
        deadline=timezone.localdate() - dt.timedelta(days=5),
        by=worker,
        scope=get_scope(user=worker),
        now=timezone.now() - dt.timedelta(days=10),
    )
    before = snapshot(case)
    shown, page = post(worker, case, "indskaerpelser/remedied", indskaerpelse=fresh.pk)
    assert shown[0].startswith("Indskærpelsen blev efterkommet") and snapshot(case) == before
    response = staff_client(worker).post(
        f"/cases/{case.pk}/indskaerpelser/enforcement/", {"indskaerpelse": overdue.pk}, follow=True
    )
    overdue.refresh_from_db()
    enforcement = overdue.enforcement_case
    assert enforcement is not None
    assert response.redirect_chain == [(f"/cases/{enforcement.pk}/", 302)]
    page = response.content.decode()
    assert f'id="origin-inspection">tilsyn {case.pk}<' in page and "Gammel sag" in page
    inspection_page = staff_client(worker).get(f"/cases/{case.pk}/").content.decode()
    assert (
        f'id="enforcement-case-{overdue.pk}">Lovliggørelsessag {enforcement.pk}<' in inspection_page
    )


def test_a_document_downloads_through_the_case_only_for_those_who_see_the_case(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    document = add_document(
        subject=case,
        direction=DocumentDirection.RECEIVED,
        title="Facadetegning",
        dated=timezone.localdate(),
        content=tiny_pdf(),
        filename="facade.pdf",
        by=staff.caseworker,
        now=timezone.now(),
    )
    page = staff_client(staff.caseworker).get(f"/cases/{case.pk}/").content.decode()
    AccessLogEntry.objects.all().delete()  # the screen's own read
    url = f"/cases/{case.pk}/documents/{document.pk}/"
    assert f'<a href="{url}" download>Facadetegning</a>' in page

    assert staff_client(staff.other_caseworker).get(url).status_code == 404
    assert AccessLogEntry.objects.count() == 0
    response = staff_client(staff.caseworker).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_pdf()  # type: ignore[attr-defined]
    assert list(AccessLogEntry.objects.values_list("party_id", "action", "user", "subject_id")) == [
        (case.party_id, "opened_document", staff.caseworker.pk, case.pk)
    ]
    # Another case's URL does not reach the document, even for a reader of both cases.
    other = receive()
    assert (
        staff_client(staff.caseworker)
        .get(f"/cases/{other.pk}/documents/{document.pk}/")
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "what",
    [
        "checklist",
        "deficiency-letter",
        "deficiency-answer",
        "deficiency-waiver",
        "hearings",
        "hearing-replies",
        "indskaerpelser",
        "indskaerpelser/remedied",
        "indskaerpelser/follow-up",
        "indskaerpelser/enforcement",
        "notes",
        "parties",
        "parties/remove",
        "contacts",
        "caseworkers",
        "take",
    ],
)
def test_another_departments_case_is_a_404_for_every_step(
    receive: Receive, act: Act, staff: Staff, what: str
) -> None:
    case = receive()
    act(case, "start_screening")
    before = snapshot(case)
    data = {
        "item": "1",
        "done": "on",
        "items": "Snit",
        "reply_by": IN_TWO_WEEKS,
        "reason": "Fordi",
        "kind": "neighbour",
        "parties": [str(case.party_id)],
        "hearing": "1",
        "party": str(case.party_id),
        "received_at": just_now(),
        "summary": "Ok",
        "cause": "Utæt",
        "requirement": "Tæt",
        "deadline": IN_TWO_WEEKS,
        "indskaerpelse": "1",
        "note": "Set",
        "text": "Set",
        "role": "adviser",
        "cpr": CPR_B,
        "case_party": "1",
        "contact": "1",
        "caseworkers": [str(staff.caseworker.pk)],
    }

    response = staff_client(staff.other_caseworker).post(f"/cases/{case.pk}/{what}/", data)

    assert response.status_code == 404
    assert snapshot(case) == before


def test_an_inspections_screen_reads_a_constant_number_of_statements(
    staff: Staff,
    org: Org,
    second_caseworker: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    case = plan_past(staff, org, "obs")
    worker = staff.caseworker
    scope = get_scope(user=worker)
    take_action(
        case_id=case.pk,
        action="give_notice",
        by=worker,
        scope=scope,
        now=timezone.now(),
        inspection=InspectionStep(notice_method="phone"),
    )
    take_action(
        case_id=case.pk,
        action="record_visit",
        by=worker,
        scope=scope,
        now=timezone.now(),
        inspection=InspectionStep(staff_ids=(worker.pk, second_caseworker.pk)),
    )
    client = staff_client(worker)
    client.get(f"/cases/{case.pk}/")

    def give(count: int) -> None:
        for number in range(count):
            give_indskaerpelse(
                case_id=case.pk,
                cause=f"Årsag {number}",
                requirement="Ret op",
                deadline=timezone.localdate() + dt.timedelta(days=7),
                by=worker,
                scope=scope,
                now=timezone.now(),
            )

    give(1)
    # the application's 24 (the department's staff and the header's identity among them), the
    # staff at the visit, and the outbox messages of the indskærpelse letters
    with django_assert_num_queries(26):
        few = client.get(f"/cases/{case.pk}/").content.decode()
    give(4)
    with django_assert_num_queries(26):
        many = client.get(f"/cases/{case.pk}/").content.decode()

    assert few.count('class="indskaerpelse"') == 1 and many.count('class="indskaerpelse"') == 5
    assert 'id="inspection-visited">' in many and "Byg To" in many
