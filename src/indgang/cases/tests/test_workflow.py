"""The application workflow through the services: checklists, deficiency letters, hearings,
parties, linked contacts and the decision's conditions; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from indgang.cases.models import (
    Case,
    CaseChecklistItem,
    CaseContact,
    CaseEvent,
    CaseParty,
    ChecklistTemplateItem,
    DeficiencyItem,
    Hearing,
    HearingReply,
)
from indgang.cases.selectors import suggestion_facts
from indgang.cases.services import (
    NewApplication,
    add_case_party,
    change_service_need_type,
    create_case_from_contact,
    link_contact,
    receive_deficiency_answer,
    record_hearing_reply,
    remove_case_party,
    send_deficiency_letter,
    start_hearing,
    tick_checklist_item,
    waive_deficiency_item,
)
from indgang.cases.suggestion import Facts
from indgang.cases.tests.conftest import REASONS, Act, Receive
from indgang.conftest import CPR_B, CVR_A, Org, RegisterContact, Staff
from indgang.organisation.selectors import get_scope
from indgang.parties.services import get_or_create_citizen, get_or_create_company

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.datetime:
    """Noon, n days after a fixed start in Copenhagen's winter (local date = UTC date)."""
    return dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC) + dt.timedelta(days=n)


def writer(user: User, n: int) -> dict[str, Any]:
    return {"by": user, "scope": get_scope(user=user), "now": day(n)}


def screened(receive: Receive, act: Act) -> Case:
    case = receive(received_at=day(0))
    return act(case, "start_screening", now=day(1))


def set_type(case: Case, to_type: str, by: User, n: int) -> Case:
    return change_service_need_type(
        case_id=case.pk, to_type=to_type, reason="Screening", **writer(by, n)
    )


def checklist(case: Case) -> list[tuple[str, str, bool]]:
    return [
        (item.service_need_type, item.text, item.done_at is not None)
        for item in case.checklist.order_by("position", "pk")
    ]


def test_setting_the_type_brings_its_checklist(receive: Receive, act: Act, staff: Staff) -> None:
    case = set_type(screened(receive, act), "klar_parat", staff.caseworker, 1)
    assert checklist(case) == [
        ("klar_parat", "Screen sagen med henblik på straksafgørelse.", False),
        (
            "klar_parat",
            "Fastlæg sagsforløbet, herunder om andre afdelinger eller myndigheder skal inddrages.",
            False,
        ),
        ("klar_parat", "Ring til ansøger og afstem tidsplanen.", False),
        ("klar_parat", "Følg løbende op på, at den aftalte tidsplan holdes.", False),
    ]


def test_changing_the_type_keeps_ticked_items_and_brings_the_new_ones(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = set_type(screened(receive, act), "klar_parat", staff.caseworker, 1)
    call = case.checklist.get(text="Ring til ansøger og afstem tidsplanen.")
    tick_checklist_item(case_id=case.pk, item_id=call.pk, done=True, **writer(staff.caseworker, 2))
    case = set_type(case, "princip", staff.caseworker, 3)
    items = checklist(case)
    assert ("klar_parat", "Ring til ansøger og afstem tidsplanen.", True) in items
    assert [kind for kind, _text, _done in items].count("klar_parat") == 1
    assert [text for kind, text, _done in items if kind == "princip"] == list(
        ChecklistTemplateItem.objects.filter(service_need_type="princip", case_kind="")
        .order_by("position")
        .values_list("text", flat=True)
    )
    assert len(items) == 6


def test_an_administrator_edits_the_checklist_as_data(
    receive: Receive, act: Act, staff: Staff
) -> None:
    ChecklistTemplateItem.objects.filter(service_need_type="obs").update(active=False)
    ChecklistTemplateItem.objects.create(
        service_need_type="obs", text="Orientér kommunens jurist.", position=1
    )
    ChecklistTemplateItem.objects.create(
        service_need_type="obs", case_kind="inspection", text="Kun ved tilsyn.", position=2
    )
    case = set_type(screened(receive, act), "obs", staff.caseworker, 1)
    assert checklist(case) == [("obs", "Orientér kommunens jurist.", False)]


def test_ticking_and_unticking_writes_events_and_refuses_a_repeat(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = set_type(screened(receive, act), "vejledning", staff.caseworker, 1)
    item = case.checklist.first()
    assert item is not None
    ticked = tick_checklist_item(
        case_id=case.pk, item_id=item.pk, done=True, **writer(staff.caseworker, 2)
    )
    assert (ticked.done_at, ticked.done_by) == (day(2), staff.caseworker)
    with pytest.raises(ValidationError, match="Punktet er allerede klaret."):
        tick_checklist_item(
            case_id=case.pk, item_id=item.pk, done=True, **writer(staff.caseworker, 3)
        )
    assert CaseChecklistItem.objects.get(pk=item.pk).done_at == day(2)
    tick_checklist_item(case_id=case.pk, item_id=item.pk, done=False, **writer(staff.caseworker, 4))
    assert CaseChecklistItem.objects.get(pk=item.pk).done_at is None
    assert list(
        case.events.filter(kind__startswith="checklist").values_list("kind", "at", "data")
    ) == [
        ("checklist_ticked", day(2), {"item": item.pk}),
        ("checklist_unticked", day(4), {"item": item.pk}),
    ]


def test_deficiency_letter_needs_items_and_a_reply_by_date(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = screened(receive, act)
    with pytest.raises(ValidationError) as refused:
        send_deficiency_letter(
            case_id=case.pk, items=[" "], reply_by=day(2).date(), **writer(staff.caseworker, 2)
        )
    assert refused.value.message_dict == {
        "items": ["Angiv mindst ét manglende punkt, hvert med en tekst."],
        "reply_by": ["Ansøgerens svarfrist skal ligge efter brevets dato."],
    }
    assert (Case.objects.get(pk=case.pk).state, DeficiencyItem.objects.count()) == (
        "screening",
        0,
    )


def test_fully_informed_waits_for_every_missing_item_unless_waived(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = screened(receive, act)
    case = send_deficiency_letter(
        case_id=case.pk,
        items=["Snittegning", "Statiske beregninger"],
        reply_by=day(16).date(),
        **writer(staff.caseworker, 2),
    )
    assert (case.state, case.deficiency_reply_by) == ("deficiency_letter_sent", day(16).date())
    drawing, statics = case.deficiency_items.order_by("pk")
    case = receive_deficiency_answer(
        case_id=case.pk,
        answered={drawing.pk: "Modtaget"},
        **writer(staff.caseworker, 10),
    )
    assert (case.state, case.deficiency_reply_by) == ("screening", None)
    assert list(case.deficiency_items.values_list("text", "answered_at", "answer_note")) == [
        ("Snittegning", day(10), "Modtaget"),
        ("Statiske beregninger", None, ""),
    ]
    with pytest.raises(ValidationError, match="Ansøgningen mangler stadig: Statiske beregninger"):
        act(case, "mark_fully_informed", now=day(11))
    assert Case.objects.get(pk=case.pk).fully_informed_at is None
    waive_deficiency_item(
        case_id=case.pk,
        item_id=statics.pk,
        reason="Ikke nødvendigt for et skur",
        **writer(staff.caseworker, 11),
    )
    case = act(case, "mark_fully_informed", now=day(12))
    assert (case.state, case.fully_informed_at) == ("fully_informed", day(12))
    # The suggestion knows the application needed a letter.
    assert suggestion_facts(case=case).arrived_fully_informed is False


def test_an_answer_names_only_open_items_of_the_case(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = screened(receive, act)
    send_deficiency_letter(
        case_id=case.pk,
        items=["Snittegning"],
        reply_by=day(9).date(),
        **writer(staff.caseworker, 2),
    )
    with pytest.raises(ValidationError) as refused:
        receive_deficiency_answer(
            case_id=case.pk, answered={999: ""}, **writer(staff.caseworker, 3)
        )
    assert refused.value.message_dict == {
        "answered": ["Det er ikke åbne manglende punkter på sagen: 999."]
    }
    assert Case.objects.get(pk=case.pk).state == "deficiency_letter_sent"


def test_neighbour_objections_feed_the_suggestion(receive: Receive, act: Act, staff: Staff) -> None:
    case = screened(receive, act)
    case = act(case, "mark_fully_informed", now=day(2))
    neighbour = get_or_create_citizen(cpr=CPR_B, name="Nabo Nielsen")
    hearing = start_hearing(
        case_id=case.pk,
        kind="neighbour",
        reply_by=day(16).date(),
        party_ids=[neighbour.pk],
        **writer(staff.caseworker, 2),
    )
    assert (Case.objects.get(pk=case.pk).state, list(hearing.parties.all())) == (
        "hearing",
        [neighbour],
    )
    with pytest.raises(ValidationError) as refused:
        record_hearing_reply(
            case_id=case.pk,
            hearing_id=hearing.pk,
            party_id=case.party_id,
            received_at=day(5),
            objects_to=True,
            summary="Imod",
            **writer(staff.caseworker, 5),
        )
    assert refused.value.message_dict == {"party": ["Den part blev ikke hørt i denne høring."]}
    record_hearing_reply(
        case_id=case.pk,
        hearing_id=hearing.pk,
        party_id=neighbour.pk,
        received_at=day(5),
        objects_to=True,
        summary="Skygge på terrassen",
        **writer(staff.caseworker, 5),
    )
    assert list(HearingReply.objects.values_list("party", "objects_to", "summary")) == [
        (neighbour.pk, True, "Skygge på terrassen")
    ]
    assert suggestion_facts(case=case) == Facts(
        kind="application",
        arrived_fully_informed=True,
        applicant_earlier_types=[],
        adviser_earlier_types=[],
        objections=1,
        indskaerpelser=0,
    )
    assert case.events.filter(kind="hearing_reply").get().data == {
        "hearing": hearing.pk,
        "party": neighbour.pk,
        "objects": True,
    }


def test_a_hearing_needs_known_parties_and_a_later_reply_by_date(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = act(screened(receive, act), "mark_fully_informed", now=day(2))
    with pytest.raises(ValidationError) as refused:
        start_hearing(
            case_id=case.pk,
            kind="party",
            reply_by=day(1).date(),
            party_ids=[999_999],
            **writer(staff.caseworker, 3),
        )
    assert refused.value.message_dict == {
        "reply_by": ["Svarfristen skal ligge efter høringens start."],
        "parties": ["Angiv mindst én part at høre, og kun kendte parter."],
    }
    assert (Case.objects.get(pk=case.pk).state, Hearing.objects.count()) == ("fully_informed", 0)


def test_the_advisers_earlier_cases_feed_the_suggestion(
    receive: Receive, act: Act, staff: Staff
) -> None:
    adviser = get_or_create_company(cvr=CVR_A, name="Rådgiverne ApS")
    earlier = receive(received_at=day(0), cpr=CPR_B)
    set_type(earlier, "princip", staff.caseworker, 1)
    add_case_party(
        case_id=earlier.pk, party_id=adviser.pk, role="adviser", **writer(staff.caseworker, 1)
    )
    case = receive(received_at=day(2))
    link = add_case_party(
        case_id=case.pk, party_id=adviser.pk, role="adviser", **writer(staff.caseworker, 3)
    )
    assert suggestion_facts(case=case).adviser_earlier_types == ["princip"]
    with pytest.raises(ValidationError, match="Parten har allerede den rolle på sagen."):
        add_case_party(
            case_id=case.pk, party_id=adviser.pk, role="adviser", **writer(staff.caseworker, 3)
        )
    remove_case_party(case_id=case.pk, case_party_id=link.pk, **writer(staff.caseworker, 4))
    assert not CaseParty.objects.filter(case=case).exists()
    assert list(case.events.filter(kind__startswith="party").values_list("kind", "data")) == [
        ("party_added", {"party": adviser.pk, "role": "adviser"}),
        ("party_removed", {"party": adviser.pk, "role": "adviser"}),
    ]


def test_a_contact_is_linked_once_and_only_if_visible(
    receive: Receive, staff: Staff, register: RegisterContact
) -> None:
    case = receive(received_at=day(0))
    contact = register(staff.caseworker)
    link_contact(case_id=case.pk, contact_id=contact.pk, **writer(staff.caseworker, 1))
    with pytest.raises(ValidationError, match="Henvendelsen er allerede knyttet til sagen."):
        link_contact(case_id=case.pk, contact_id=contact.pk, **writer(staff.caseworker, 2))
    assert list(CaseContact.objects.values_list("case", "contact")) == [(case.pk, contact.pk)]
    assert CaseEvent.objects.filter(case=case, kind="contact_linked").count() == 1


def test_a_permit_with_conditions_needs_them(receive: Receive, act: Act, staff: Staff) -> None:
    case = screened(receive, act)
    with pytest.raises(ValidationError) as refused:
        act(case, "decide_immediately", now=day(2), outcome="permit_with_conditions", note=REASONS)
    assert refused.value.message_dict == {"conditions": ["Skriv tilladelsens vilkår."]}
    assert Case.objects.get(pk=case.pk).state == "screening"
    case = act(
        case,
        "decide_immediately",
        now=day(2),
        outcome="permit_with_conditions",
        conditions="Taget skal være sort.",
        note=REASONS,
    )
    assert (case.decision, case.decision_conditions) == (
        "permit_with_conditions",
        "Taget skal være sort.",
    )


def test_the_generic_action_refuses_actions_with_their_own_service(
    receive: Receive, act: Act
) -> None:
    case = screened(receive, act)
    with pytest.raises(ValidationError) as refused:
        act(case, "send_deficiency_letter", now=day(2))
    assert refused.value.message_dict == {
        "action": ["Brug /cases/{id}/deficiency-letter/ til den handling."]
    }
    assert Case.objects.get(pk=case.pk).state == "screening"


def test_a_contact_becomes_a_case_with_its_party_as_applicant(
    staff: Staff, org: Org, register: RegisterContact
) -> None:
    contact = register(staff.caseworker, cpr=CPR_B, summary="Vil bygge carport")
    case = create_case_from_contact(
        contact_id=contact.pk,
        new=NewApplication(
            area="building",
            category_code="building-simple",
            received_at=day(0),
            unit=org.building_unit,
        ),
        received_by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=day(0),
    )
    assert (case.party_id, case.contact_id) == (contact.party_id, contact.pk)
    assert list(case.contact_links.values_list("contact", flat=True)) == [contact.pk]


def test_a_contact_out_of_sight_does_not_become_a_case(
    staff: Staff, org: Org, register: RegisterContact
) -> None:
    contact = register(staff.other_caseworker, cpr=CPR_B)
    with pytest.raises(ValidationError) as refused:
        create_case_from_contact(
            contact_id=contact.pk,
            new=NewApplication(
                area="building",
                category_code="building-simple",
                received_at=day(0),
                unit=org.building_unit,
            ),
            received_by=staff.caseworker,
            scope=get_scope(user=staff.caseworker),
            now=day(0),
        )
    assert refused.value.message_dict == {
        "contact": ["Der er ingen sådan henvendelse, som du må se."],
        "cpr": ["Angiv ansøgerens CPR-nummer eller CVR-nummer (ét af dem)."],
    }
    assert not Case.objects.exists()
