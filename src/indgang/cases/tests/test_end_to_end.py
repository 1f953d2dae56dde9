"""One application per service-need type, walked through the API from receipt to decision: the
letters each step writes (read back from their PDFs), the deadlines set and stopped, and the
servicemål clock on fixed days."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from indgang.audit.models import AccessLogEntry
from indgang.cases.models import Case, CaseEvent
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import CPR_A, CPR_B, CVR_A, ApiFor, Org, Staff
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import deadlines_of
from indgang.journal.models import JournalEntry
from indgang.letters.models import Letter
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen, get_or_create_company

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
D = dt.date
CONTACT = "Har du spørgsmål, er du velkommen til at kontakte mig. Skriv sagsnummeret"
COMPLAINT = (
    "Du kan klage over afgørelsen til Byggeklageenheden. Vi skal have din klage senest den "
    "%s. Du klager via Klageportalen."
)


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), COPENHAGEN)


@dataclass
class FrozenClock:
    """The time every `timezone.now()` answers, moved on by the test from step to step."""

    now: dt.datetime

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        self.now = moment(day, hour)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = FrozenClock(moment(D(2026, 3, 2)))
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@dataclass
class Walk:
    """An application's walk through the API: who acts, and on which case."""

    api_for: ApiFor
    clock: FrozenClock
    caseworker: User
    case_id: int = 0

    def client(self, user: User | None = None) -> APIClient:
        return self.api_for(user or self.caseworker)

    def apply(self, day: dt.date, **fields: Any) -> dict[str, Any]:
        """Receive the application on `day`; the 201's body."""
        self.clock.at(day)
        body = {
            "area": "building",
            "category": "building-single-family",
            "received_at": moment(day, 9).isoformat(),
            "cpr": CPR_A,
            "name": "Mette Hansen",
            "property_address": "Skovvej 12, 8000 Aarhus C",
            **fields,
        }
        response = self.client().post(CASES, body, format="json")
        assert response.status_code == 201, response.json()
        self.case_id = response.json()["id"]
        return dict(response.json())

    def post(
        self, day: dt.date, what: str, body: dict[str, Any], by: User | None = None, code: int = 200
    ) -> dict[str, Any]:
        """POST to the case's endpoint `what` on `day`; the answer's body, its status checked."""
        self.clock.at(day)
        response = self.client(by).post(f"{CASES}{self.case_id}/{what}/", body, format="json")
        assert response.status_code == code, response.json()
        return dict(response.json())

    def act(self, day: dt.date, action: str, by: User | None = None, **fields: Any) -> Any:
        return self.post(day, "actions", {"action": action, **fields}, by=by)

    def letters(self) -> list[tuple[str, str, str]]:
        """Each letter of the case, oldest first: kind, recipient and the PDF's text."""
        response = self.client().get(f"{CASES}{self.case_id}/letters/")
        assert response.status_code == 200
        return [
            (letter["kind"], letter["recipient_name"], self.pdf_text(letter["pdf_url"]))
            for letter in reversed(response.json())
        ]

    def pdf_text(self, url: str) -> str:
        response = self.client().get(url)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    def deadlines(self) -> list[tuple[str, dt.date, str, dt.date | None]]:
        """The case's deadlines in the order started: kind, due date, status, day stopped."""
        case = Case.objects.get(pk=self.case_id)
        return [
            (
                deadline.kind,
                timezone.localtime(deadline.due_at, COPENHAGEN).date(),
                deadline.status,
                deadline.completed_at and timezone.localtime(deadline.completed_at).date(),
            )
            for deadline in deadlines_of(subject=case).order_by("started_at", "pk")
        ]

    def clock_on(self, day: dt.date) -> dict[str, Any]:
        self.clock.at(day, 12)
        response = self.client().get(f"{CASES}{self.case_id}/")
        assert response.status_code == 200
        return dict(response.json()["clock"])

    def counts(self) -> tuple[int, int, int, str]:
        case = Case.objects.get(pk=self.case_id)
        return (
            CaseEvent.objects.filter(case=case).count(),
            Letter.objects.count(),
            Deadline.objects.count(),
            case.state,
        )


@pytest.fixture
def walk(api_for: ApiFor, clock: FrozenClock, staff: Staff) -> Walk:
    return Walk(api_for=api_for, clock=clock, caseworker=staff.caseworker)


def journal_number(walk: Walk) -> str:
    return JournalEntry.objects.get(subject_id=walk.case_id).number


def header(number: str, dated: str, recipient: str = "Mette Hansen") -> str:
    """The top of every letter: date, case number, sender and the recipient's address."""
    return (
        f"Dato: {dated} Sagsnummer: {number} Kommunen CVR 00000000 {recipient} "
        "Skovvej 12, 8000 Aarhus C"
    )


def receipt_text(number: str, dated: str, received: str) -> str:
    return header(number, dated) + (
        f" Vi har modtaget din ansøgning Kære Mette Hansen Tak for din ansøgning. Vi fik den den "
        f"{received}. Nu ser vi den igennem. Mangler der noget, skriver vi til dig. Når vi har "
        "alt det, vi skal bruge, går vi i gang med sagen. Vi vil gerne give dig svar inden for "
        f"40 dage fra da. Du skal ikke gøre noget nu. {CONTACT} {number}, når du skriver til os. "
        "Venlig hilsen Byg"
    )


def set_type(walk: Walk, day: dt.date, kind: str) -> None:
    walk.post(day, "service-need", {"service_need_type": kind, "reason": "Efter screeningen"})


def test_klar_parat_decided_at_screening(walk: Walk, staff: Staff) -> None:
    created = walk.apply(D(2026, 3, 2))
    number = journal_number(walk)
    letter = Letter.objects.get()
    assert (created["journal_number"], created["receipt_letter"]) == (
        number,
        {
            "id": letter.pk,
            "kind": "receipt",
            "title": "Vi har modtaget din ansøgning",
            "case_number": number,
            "recipient": Case.objects.get(pk=walk.case_id).party_id,
            "recipient_name": "Mette Hansen",
            "created_at": moment(D(2026, 3, 2)).isoformat(),
            "pdf_url": f"{CASES}{walk.case_id}/letters/{letter.pk}/pdf/",
        },
    )
    walk.act(D(2026, 3, 3), "start_screening")
    set_type(walk, D(2026, 3, 3), "klar_parat")
    walk.act(
        D(2026, 3, 5), "decide_immediately", decision="permit", note="Carporten følger reglerne."
    )

    assert walk.clock_on(D(2026, 3, 20)) == {
        "started": True,
        "days_used": 0,
        "days_left": 40,
        "due_date": "2026-04-14",
        "on_target": True,
        "days_waiting": 0,
        "days_paused": 0,
    }
    assert walk.letters() == [
        ("receipt", "Mette Hansen", receipt_text(number, "2. marts 2026", "2. marts 2026")),
        (
            "decision",
            "Mette Hansen",
            header(number, "5. marts 2026")
            + " Afgørelse i din sag Kære Mette Hansen Vi har nu truffet afgørelse i din sag. "
            "Du får tilladelse til det, du har søgt om. Hvorfor Carporten følger reglerne. "
            "Sådan klager du " + COMPLAINT % "2. april 2026" + " Du finder den på borger.dk og "
            "virk.dk. Du logger på med MitID. Klagen kommer først til os. Vi ser på sagen igen. "
            "Holder vi fast i afgørelsen, sender vi klagen videre. Det koster et gebyr at klage. "
            "Du får pengene tilbage, hvis du får helt eller delvist ret. Vil du gå til "
            f"domstolene, skal du anlægge sag inden seks måneder fra afgørelsen. {CONTACT} "
            f"{number}, når du skriver til os. Venlig hilsen Byg",
        ),
    ]
    assert walk.deadlines() == []
    # Each read of a letter's PDF is in the access log, for the applicant.
    assert (
        AccessLogEntry.objects.filter(
            action="opened_document", detail=f"letter {letter.pk}"
        ).count()
        == 1
    )

    # An illegal transition: a decided case is not decided again; nothing changes.
    walk.act(D(2026, 3, 6), "close")
    before = walk.counts()
    refused = walk.post(
        D(2026, 3, 7),
        "actions",
        {"action": "decide_immediately", "decision": "refusal", "note": "Nej."},
        code=409,
    )
    assert refused == {
        "non_field_errors": ['Sagen har status "Lukket"; herfra kan du: Genoptag efter klage.']
    }
    assert walk.counts() == before == (5, 2, 0, "closed")


def test_vejledning_incomplete_with_neighbour_hearing_and_an_adviser(
    walk: Walk, staff: Staff
) -> None:
    walk.apply(D(2026, 3, 2))
    number = journal_number(walk)
    walk.act(D(2026, 3, 3), "start_screening")
    set_type(walk, D(2026, 3, 3), "vejledning")
    missing = ["En tegning af facaden", "Et situationsplan med mål"]
    walk.post(D(2026, 3, 4), "deficiency-letter", {"items": missing, "reply_by": "2026-03-18"})
    assert walk.deadlines() == [("deficiency_reply", D(2026, 3, 18), "open", None)]
    # Waiting for the applicant: no servicemål days yet, the waiting counted apart.
    assert walk.clock_on(D(2026, 3, 10)) == {
        "started": False,
        "days_used": 0,
        "days_left": 40,
        "due_date": None,
        "on_target": True,
        "days_waiting": 6,
        "days_paused": 0,
    }
    items = Case.objects.get(pk=walk.case_id).deficiency_items.order_by("pk")
    walk.post(
        D(2026, 3, 12),
        "deficiency-answer",
        {"answered": [{"item": item.pk} for item in items]},
    )
    assert walk.deadlines() == [("deficiency_reply", D(2026, 3, 18), "completed", D(2026, 3, 12))]
    walk.act(D(2026, 3, 13), "mark_fully_informed")

    adviser = get_or_create_company(cvr=CVR_A, name="Tegnestuen ApS")
    neighbours = [
        get_or_create_citizen(cpr=CPR_B, name="Niels Nabo"),
        get_or_create_citizen(cpr="0101901239", name="Nina Genbo"),
    ]
    walk.post(D(2026, 3, 16), "parties", {"party": adviser.pk, "role": "adviser"})
    walk.post(
        D(2026, 3, 16),
        "hearings",
        {
            "kind": "neighbour",
            "reply_by": "2026-03-30",
            "parties": [party.pk for party in neighbours],
            "note": "Din nabo vil bygge en carport på 40 m² tæt på skellet.",
        },
    )
    hearing = Case.objects.get(pk=walk.case_id).hearings.get()
    for day, party in zip((D(2026, 3, 20), D(2026, 3, 23)), neighbours, strict=True):
        assert walk.deadlines()[1][2] == "open"  # still waiting for a party
        walk.post(
            day,
            "hearing-replies",
            {
                "hearing": hearing.pk,
                "party": party.pk,
                "received_at": moment(day, 8).isoformat(),
                "objects": False,
                "summary": "Ingen bemærkninger",
            },
        )
    assert walk.deadlines()[1] == ("hearing_reply", D(2026, 3, 30), "completed", D(2026, 3, 23))
    walk.act(D(2026, 3, 24), "start_assessment")
    walk.act(
        D(2026, 3, 27),
        "decide",
        decision="permit_with_conditions",
        conditions="Carporten skal stå mindst 2,5 meter fra skellet.\nTaget skal være sort.",
        note="Carporten følger reglerne, når vilkårene er opfyldt.",
    )

    assert walk.clock_on(D(2026, 4, 2)) == {
        "started": True,
        "days_used": 14,
        "days_left": 26,
        "due_date": "2026-04-22",
        "on_target": True,
        "days_waiting": 8,
        "days_paused": 0,
    }
    letters = walk.letters()
    assert [(kind, recipient) for kind, recipient, _text in letters] == [
        ("receipt", "Mette Hansen"),
        ("deficiency", "Mette Hansen"),
        ("neighbour_hearing", "Niels Nabo"),
        ("neighbour_hearing", "Nina Genbo"),
        ("decision", "Mette Hansen"),
        ("decision", "Tegnestuen ApS"),
    ]
    # pypdf reads the list's bullets last.
    assert letters[1][2] == header(number, "4. marts 2026") + (
        " Vi mangler oplysninger til din ansøgning Kære Mette Hansen Vi har set din ansøgning "
        "igennem. Vi kan ikke behandle den endnu. Der mangler nogle ting. Send os dette: "
        "En tegning af facaden Et situationsplan med mål Vi skal have det senest den "
        "18. marts 2026. Når vi har fået det hele, går vi i gang med sagen. Hører vi ikke fra "
        "dig, kan vi lukke sagen. Du kan så søge igen senere. "
        f"{CONTACT} {number}, når du skriver til os. Venlig hilsen Byg • •"
    )
    assert letters[2][2].startswith(
        header(number, "16. marts 2026", "Niels Nabo")
        + " Din nabo vil bygge. Du kan sige din mening Kære Niels Nabo Vi har fået en ansøgning om "
        "at bygge tæt på dig. Du får dette brev, fordi byggeriet kan have betydning for dig. "
        "Din nabo vil bygge en carport på 40 m² tæt på skellet. Du kan sende os dine "
        "bemærkninger. Vi skal have dem senest den 30. marts 2026."
    )
    decision = (
        "Vi har nu truffet afgørelse i din sag. Du får tilladelse til det, du har søgt om. "
        "Tilladelsen har vilkår. Der er disse vilkår: Carporten skal stå mindst 2,5 meter fra "
        "skellet. Taget skal være sort. Hvorfor Carporten følger reglerne, når vilkårene er "
        "opfyldt. Sådan klager du " + COMPLAINT % "24. april 2026"
    )
    assert decision in letters[4][2]
    assert decision in letters[5][2]
    assert "Kære Tegnestuen ApS" in letters[5][2]


def review_walk(walk: Walk, second: User) -> None:
    """A princip or obs case to review: decided by the second caseworker, not the submitter."""
    walk.act(D(2026, 3, 16), "submit_for_review")
    before = walk.counts()
    refused = walk.post(
        D(2026, 3, 17),
        "actions",
        {"action": "decide", "decision": "refusal", "note": "Projektet er for højt."},
        code=409,
    )
    assert refused == {
        "non_field_errors": [
            "Afgørelsen kræver en anden sagsbehandler: du sendte selv sagen til kvalitetssikring."
        ]
    }
    assert walk.counts() == before
    walk.act(D(2026, 3, 18), "decide", by=second, decision="refusal", note="Projektet er for højt.")


def test_princip_with_party_hearing_review_and_reopening_on_appeal(
    walk: Walk, second_caseworker: User
) -> None:
    walk.apply(D(2026, 3, 2))
    walk.act(D(2026, 3, 3), "start_screening")
    set_type(walk, D(2026, 3, 3), "princip")
    walk.act(D(2026, 3, 4), "mark_fully_informed")
    walk.act(D(2026, 3, 5), "start_assessment")
    applicant = Case.objects.get(pk=walk.case_id).party
    walk.post(
        D(2026, 3, 6),
        "hearings",
        {
            "kind": "party",
            "reply_by": "2026-03-20",
            "parties": [applicant.pk],
            "note": "Vi overvejer at give dig afslag, fordi carporten er over 2,5 meter høj.",
        },
    )
    # Assessment starts before the applicant replied: the reply is no longer awaited.
    walk.act(D(2026, 3, 13), "start_assessment")
    assert walk.deadlines() == [("hearing_reply", D(2026, 3, 20), "completed", D(2026, 3, 13))]
    review_walk(walk, second_caseworker)
    assert walk.clock_on(D(2026, 3, 18)) == {
        "started": True,
        "days_used": 14,
        "days_left": 26,
        "due_date": "2026-04-13",
        "on_target": True,
        "days_waiting": 0,
        "days_paused": 0,
    }

    # Reopened on appeal: the history and letters stay; the new decision is a new letter.
    walk.act(D(2026, 4, 20), "reopen", note="Klage fra ansøger")
    walk.act(D(2026, 4, 21), "start_assessment")
    walk.act(D(2026, 4, 22), "submit_for_review")
    walk.act(
        D(2026, 4, 23), "decide", by=second_caseworker, decision="permit", note="Ny vurdering."
    )
    case = Case.objects.get(pk=walk.case_id)
    assert list(
        case.events.filter(kind="transition")
        .order_by("at", "pk")
        .values_list("action", "by__username")
    ) == [
        ("start_screening", "byg"),
        ("mark_fully_informed", "byg"),
        ("start_assessment", "byg"),
        ("start_hearing", "byg"),
        ("start_assessment", "byg"),
        ("submit_for_review", "byg"),
        ("decide", "byg2"),
        ("reopen", "byg"),
        ("start_assessment", "byg"),
        ("submit_for_review", "byg"),
        ("decide", "byg2"),
    ]
    assert (case.decided_at, case.decision) == (moment(D(2026, 3, 18)), "permit")
    letters = walk.letters()
    assert [kind for kind, _recipient, _text in letters] == [
        "receipt",
        "party_hearing",
        "decision",
        "decision",
    ]
    assert (
        "Vi overvejer at give dig afslag, fordi carporten er over 2,5 meter høj." in letters[1][2]
    )
    assert "Vi skal have dem senest den 20. marts 2026." in letters[1][2]
    assert "Du får afslag på din ansøgning. Hvorfor Projektet er for højt." in letters[2][2]
    assert COMPLAINT % "15. april 2026" in letters[2][2]
    assert "Du får tilladelse til det, du har søgt om. Hvorfor Ny vurdering." in letters[3][2]
    assert COMPLAINT % "21. maj 2026" in letters[3][2]


def test_obs_back_dated_by_an_administrator_and_reviewed(
    walk: Walk, staff: Staff, second_caseworker: User
) -> None:
    # On paper on 20 February, registered on 2 March; an administrator dates the first steps.
    walk.apply(D(2026, 3, 2), received_at=moment(D(2026, 2, 20), 9).isoformat())
    number = journal_number(walk)
    refused = walk.post(
        D(2026, 3, 2),
        "actions",
        {"action": "start_screening", "at": moment(D(2026, 2, 23)).isoformat()},
        code=400,
    )
    assert refused == {"at": ["Kun administratorer må tilbagedatere en handling."]}
    walk.act(
        D(2026, 3, 2), "start_screening", by=staff.admin, at=moment(D(2026, 2, 23)).isoformat()
    )
    walk.act(
        D(2026, 3, 2), "mark_fully_informed", by=staff.admin, at=moment(D(2026, 2, 25)).isoformat()
    )
    set_type(walk, D(2026, 3, 3), "obs")
    walk.act(D(2026, 3, 5), "start_assessment")
    review_walk(walk, second_caseworker)

    assert walk.clock_on(D(2026, 3, 20)) == {
        "started": True,
        "days_used": 21,
        "days_left": 19,
        "due_date": "2026-04-06",
        "on_target": True,
        "days_waiting": 0,
        "days_paused": 0,
    }
    letters = walk.letters()
    assert letters[0] == (
        "receipt",
        "Mette Hansen",
        receipt_text(number, "2. marts 2026", "20. februar 2026"),
    )
    assert [kind for kind, _recipient, _text in letters] == ["receipt", "decision"]
    assert COMPLAINT % "15. april 2026" in letters[1][2]
    assert walk.deadlines() == []


def test_an_application_refused_at_intake_stores_no_letter_number_or_party(
    walk: Walk, org: Org
) -> None:
    walk.clock.at(D(2026, 3, 2))
    response = walk.client().post(
        CASES,
        {
            "area": "building",
            "category": "no-such-category",
            "received_at": moment(D(2026, 3, 2), 9).isoformat(),
            "cpr": CPR_B,
            "name": "Ny Ansøger",
            "property_address": "Skovvej 12, 8000 Aarhus C",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "category": ["Der er ingen servicemålskategori no-such-category i brug."]
    }
    assert (
        Case.objects.count(),
        Letter.objects.count(),
        JournalEntry.objects.count(),
        Party.objects.exists(),
    ) == (0, 0, 0, False)


def test_letters_of_a_case_you_may_not_see_are_not_found(walk: Walk, staff: Staff) -> None:
    walk.apply(D(2026, 3, 2))
    letter = Letter.objects.get()
    outsider = walk.client(staff.other_caseworker)
    assert outsider.get(f"{CASES}{walk.case_id}/letters/").status_code == 404
    assert outsider.get(f"{CASES}{walk.case_id}/letters/{letter.pk}/pdf/").status_code == 404
    assert walk.client().get(f"{CASES}{walk.case_id}/letters/0/pdf/").status_code == 404
    assert not AccessLogEntry.objects.filter(user=staff.other_caseworker).exists()
