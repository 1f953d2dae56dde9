"""The case screen's own writes: notes, received documents, parties by CPR or CVR, linked
contacts, caseworkers and "Tag sagen"; and the work lists' search."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.cases.models import Case, CaseEvent, CaseParty
from indgang.cases.reports import list_work_for
from indgang.cases.services import (
    add_case_document,
    add_case_note,
    add_case_party_by_number,
    take_case,
)
from indgang.cases.tests.conftest import Receive
from indgang.cases.tests.test_case_screen_steps import post
from indgang.conftest import CPR_A, CPR_B, CVR_A, RegisterContact, Staff, staff_client
from indgang.journal.models import Document, JournalEntry
from indgang.journal.tests.test_documents import tiny_pdf
from indgang.organisation.selectors import get_scope
from indgang.parties.models import Party

pytestmark = pytest.mark.django_db


def writer(staff: Staff) -> dict[str, Any]:
    user = staff.caseworker
    return {"by": user, "scope": get_scope(user=user), "now": timezone.now()}


def pdf(name: str = "tegning.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(), content_type="application/pdf")


def test_a_note_goes_on_the_timeline_and_a_blank_or_long_one_is_refused(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    add_case_note(case_id=case.pk, text="  Ringede til ansøger.\u200b ", **writer(staff))
    assert list(CaseEvent.objects.filter(case=case, kind="note").values_list("note", "by")) == [
        ("Ringede til ansøger.", staff.caseworker.pk)
    ]
    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        add_case_note(case_id=case.pk, text=" \u200b ", **writer(staff))
    assert refused.value.message_dict == {"text": ["Skriv notatet."]}
    with pytest.raises(ValidationError) as refused:
        add_case_note(case_id=case.pk, text="x" * 10_001, **writer(staff))
    assert refused.value.message_dict == {"text": ["Et notat kan højst være på 10000 tegn."]}
    with pytest.raises(Case.DoesNotExist):
        add_case_note(
            case_id=case.pk,
            text="Ikke min sag",
            by=staff.other_caseworker,
            scope=get_scope(user=staff.other_caseworker),
            now=timezone.now(),
        )
    assert CaseEvent.objects.count() == events


def test_the_screen_adds_a_note_and_shows_it(receive: Receive, staff: Staff) -> None:
    case = receive()
    shown, page = post(staff.caseworker, case, "notes", text="Afventer tegning")
    assert shown == ["Gemt."]
    assert '<tr data-kind="note" data-action="">' in page
    assert "<td>Afventer tegning</td>" in page
    shown, _ = post(staff.caseworker, case, "notes", text="")
    assert shown == ["Dette felt er påkrævet."]
    assert CaseEvent.objects.filter(case=case, kind="note").count() == 1


def test_a_received_document_is_listed_and_downloads_through_the_case(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    shown, page = post(
        staff.caseworker,
        case,
        "documents",
        title="Facadetegning",
        dated=timezone.localdate().isoformat(),
        file=pdf(),
    )
    assert shown == ["Gemt."]
    document = Document.objects.get(direction="received")
    assert (document.subject, document.direction, document.title) == (
        case,
        "received",
        "Facadetegning",
    )
    url = f"/cases/{case.pk}/documents/{document.pk}/"
    assert f'<a href="{url}" download>Facadetegning</a>' in page
    assert CaseEvent.objects.filter(case=case, kind="document_added").count() == 1


def test_a_document_that_is_no_pdf_is_refused_and_nothing_is_stored(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    events = CaseEvent.objects.count()
    fake = SimpleUploadedFile(
        "tegning.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as refused:
        add_case_document(
            case_id=case.pk, title="Tegning", dated=timezone.localdate(), file=fake, **writer(staff)
        )
    assert list(refused.value.message_dict) == ["file"]
    with pytest.raises(ValidationError) as refused:
        add_case_document(
            case_id=case.pk,
            title="Tegning",
            dated=timezone.localdate() + dt.timedelta(days=1),
            file=pdf(),
            **writer(staff),
        )
    assert refused.value.message_dict == {"dated": ["Dokumentets dato kan ikke ligge i fremtiden."]}
    # Only the receipt letter the intake filed.
    assert (Document.objects.count(), CaseEvent.objects.count()) == (1, events)


def test_a_party_is_added_by_cpr_or_cvr_and_found_again(receive: Receive, staff: Staff) -> None:
    case = receive()
    adviser = add_case_party_by_number(
        case_id=case.pk, role="adviser", cpr=None, cvr=CVR_A, name="Rådgiv A/S", **writer(staff)
    )
    neighbour = add_case_party_by_number(
        case_id=case.pk, role="neighbour", cpr=CPR_B, cvr=None, name="", **writer(staff)
    )
    assert (adviser.party.cvr, adviser.party.name) == (CVR_A, "Rådgiv A/S")
    # The same number finds the same party.
    owner = add_case_party_by_number(
        case_id=case.pk, role="owner", cpr=CPR_B, cvr=None, name="", **writer(staff)
    )
    assert owner.party_id == neighbour.party_id
    parties = Party.objects.count()
    before = list(CaseParty.objects.values_list("party", "role"))
    for cpr, cvr, role, message in (
        ("0101", None, "adviser", {"cpr"}),
        (CPR_B, CVR_A, "adviser", {"cpr"}),
        (None, None, "adviser", {"cpr"}),
        (CPR_A, None, "judge", {"role"}),
    ):
        with pytest.raises(ValidationError) as refused:
            add_case_party_by_number(
                case_id=case.pk, role=role, cpr=cpr, cvr=cvr, name="", **writer(staff)
            )
        assert set(refused.value.message_dict) == message
    with pytest.raises(ValidationError) as refused:
        add_case_party_by_number(
            case_id=case.pk, role="owner", cpr=CPR_B, cvr=None, name="", **writer(staff)
        )
    assert refused.value.messages == ["Parten har allerede den rolle på sagen."]
    assert (Party.objects.count(), list(CaseParty.objects.values_list("party", "role"))) == (
        parties,
        before,
    )


def test_the_screen_adds_and_removes_a_party(receive: Receive, staff: Staff) -> None:
    case = receive()
    shown, page = post(staff.caseworker, case, "parties", role="adviser", cvr=CVR_A, name="Rådgiv")
    assert shown == ["Gemt."]
    link = CaseParty.objects.get(case=case)
    assert f'<li data-case-party="{link.pk}">Rådgiver: ' in page
    shown, _ = post(staff.caseworker, case, "parties", role="adviser", cpr="123")
    assert len(shown) == 1 and CaseParty.objects.count() == 1
    shown, page = post(staff.caseworker, case, "parties/remove", case_party=str(link.pk))
    assert shown == ["Gemt."]
    assert not CaseParty.objects.exists()
    assert "data-case-party=" not in page


def test_a_contact_is_linked_by_its_number_and_listed_with_its_summary(
    receive: Receive, staff: Staff, register: RegisterContact
) -> None:
    case = receive()
    contact = register(staff.caseworker, summary="Spørger til tilbygning")
    shown, page = post(staff.caseworker, case, "contacts", contact=str(contact.pk))
    assert shown == ["Gemt."]
    assert f'<li data-contact="{contact.pk}"><a href="/contacts/{contact.pk}/">Telefon · ' in page
    assert "Spørger til tilbygning" in page
    shown, _ = post(staff.caseworker, case, "contacts", contact=str(contact.pk + 1000))
    assert shown == ["Der er ingen sådan henvendelse, som du må se."]
    assert list(case.contact_links.values_list("contact_id", flat=True)) == [contact.pk]


def test_take_case_makes_the_user_its_caseworker_once(receive: Receive, staff: Staff) -> None:
    case = receive()
    shown, page = post(staff.caseworker, case, "take")
    assert shown == ["Gemt."]
    assert list(case.caseworkers.values_list("username", flat=True)) == ["byg"]
    assert 'id="take-case"' not in page
    with pytest.raises(ValidationError) as refused:
        take_case(case_id=case.pk, **writer(staff))
    assert refused.value.messages == ["Sagen har allerede en sagsbehandler."]
    assert CaseEvent.objects.filter(case=case, kind="caseworkers_assigned").count() == 1


def test_the_screen_assigns_caseworkers_among_the_departments_staff(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    page = staff_client(staff.caseworker).get(f"/cases/{case.pk}/").content.decode()
    assert f'id="caseworker-{staff.caseworker.pk}"' in page
    assert f'id="caseworker-{staff.frontline.pk}"' not in page
    shown, _ = post(staff.caseworker, case, "caseworkers", caseworkers=[str(staff.frontline.pk)])
    assert len(shown) == 1 and not case.caseworkers.exists()
    shown, page = post(
        staff.caseworker, case, "caseworkers", caseworkers=[str(staff.caseworker.pk)]
    )
    assert shown == ["Gemt."]
    assert f'id="caseworker-{staff.caseworker.pk}" checked' in page


def test_the_work_list_searches_what_a_caseworker_knows_a_case_by(
    receive: Receive, staff: Staff
) -> None:
    first = receive(property_address="Byvej 1, 9999 Testby", cadastral_number="12a")
    second = receive(
        cpr=None,
        cvr=CVR_A,
        party_name="Tømrer ApS",
        property_address="Skovvej 2, 9999 Testby",
        property_number="4711",
    )
    number = JournalEntry.objects.get(subject_id=first.pk).number
    scope = get_scope(user=staff.caseworker)

    def found(q: str) -> set[int]:
        return set(
            list_work_for(scope=scope, today=timezone.localdate(), q=q).values_list("pk", flat=True)
        )

    assert found("") == {first.pk, second.pk}
    assert found("byvej") == {first.pk}
    assert found("12A") == {first.pk}
    assert found("4711") == {second.pk}
    assert found("tømrer") == {second.pk}
    assert found(CVR_A) == {second.pk}
    assert found(number) == {first.pk}
    assert found(f"{CPR_A[:6]}-{CPR_A[6:]}") == {first.pk}
    assert found(CPR_A[:6]) == set()  # no partial CPR search
    other_scope = get_scope(user=staff.other_caseworker)
    assert not list_work_for(scope=other_scope, today=timezone.localdate(), q="byvej").exists()


def test_the_work_list_page_searches_and_logs_the_applicants_shown(
    receive: Receive, staff: Staff
) -> None:
    first = receive()
    second = receive(cpr=CPR_B, property_address="Skovvej 2, 9999 Testby")
    AccessLogEntry.objects.all().delete()
    page = staff_client(staff.caseworker).get("/cases/", {"q": "skovvej"}).content.decode()
    assert "Skovvej 2" in page and f"/cases/{first.pk}/" not in page
    assert 'value="skovvej"' in page
    assert list(AccessLogEntry.objects.values_list("party_id", "action", "via")) == [
        (second.party_id, "listed_cases", "ui")
    ]
