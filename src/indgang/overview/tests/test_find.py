"""Finding a party as one types and recognising a caller: scoped, ranked and access-logged."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from indgang.audit.constants import Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.conftest import CPR_A, ApiFor, RegisterContact, Staff, staff_client
from indgang.contacts.models import Contact
from indgang.organisation.selectors import get_scope
from indgang.overview.selectors import find_parties_for
from indgang.parties.constants import Match
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizens, update_party

NO_REASON_HINT = "Skriv det fulde CPR- eller CVR-nummer for at åbne 360-overblikket."


def _log() -> list[tuple[str, int | None, str, str, str]]:
    return list(
        AccessLogEntry.objects.order_by("pk").values_list(
            "user__username", "party_id", "action", "purpose", "via"
        )
    )


@pytest.fixture
def karen(register: RegisterContact, staff: Staff) -> Party:
    """A citizen only the benefits department has dealt with, with a phone number."""
    contact = register(
        by=staff.other_caseworker, cpr=CPR_A, party_name="Karen Ødegaard", summary="Boligstøtte"
    )
    assert contact.party is not None
    return update_party(
        party=contact.party,
        name="Karen Ødegaard",
        email="karen@example.dk",
        phone="+45 23 45 67 89",
        address="Åboulevard 3, 8000 Aarhus C",
    )


def test_the_front_line_finds_a_citizen_by_name_and_the_search_is_logged_with_its_purpose(
    karen: Party, staff: Staff
) -> None:
    response = staff_client(staff.frontline).post(
        "/parties/find/", {"q": "karen oede", "purpose": "routing"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<li data-party="{karen.pk}">' in html
    assert "Karen Ødegaard" in html and "Åboulevard 3, 8000 Aarhus C" in html
    assert "010190-xxxx" in html and "0101901234" not in html
    # The front line has no reason to open this citizen's 360: no link, and a way to get one.
    assert f'href="/parties/{karen.pk}/' not in html and NO_REASON_HINT in html
    assert _log() == [("front", karen.pk, "found", "routing", "ui")]


def test_the_full_cpr_number_is_a_look_up_that_opens_the_360(karen: Party, staff: Staff) -> None:
    client = staff_client(staff.frontline)

    found = client.post("/parties/find/", {"q": "010190-1234"}, HTTP_HX_REQUEST="true")
    overview = client.get(f"/parties/{karen.pk}/")

    assert f'href="/parties/{karen.pk}/?purpose=contact"' in found.content.decode()
    assert overview.status_code == 200
    assert _log() == [
        ("front", karen.pk, "looked_up", "contact", "ui"),
        ("front", karen.pk, "viewed_overview", "contact", "ui"),
    ]


def test_the_department_that_dealt_with_the_citizen_may_open_the_hit(
    karen: Party, staff: Staff
) -> None:
    scope = get_scope(user=staff.other_caseworker)
    now = timezone.now()

    hits = find_parties_for(
        user=staff.other_caseworker,
        scope=scope,
        text="Aarhus",
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        now=now,
    )
    outsider = find_parties_for(
        user=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        text="Aarhus",
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        now=now,
    )

    assert [(h.party.pk, h.match, h.may_open) for h in hits] == [(karen.pk, Match.CONTAINS, True)]
    assert [(h.party.pk, h.may_open) for h in outsider] == [(karen.pk, False)]


def test_a_user_without_a_role_is_refused_and_nothing_is_logged(
    karen: Party, api_for: ApiFor, db: None
) -> None:
    nobody = User.objects.create_user("nobody", password="x-long-password-1")

    page = staff_client(nobody).post("/parties/find/", {"q": "karen"})
    caller = staff_client(nobody).post("/parties/caller/", {"caller_phone": "23456789"})
    api = api_for(nobody).get("/api/v1/parties/", {"q": "karen"})

    assert (page.status_code, caller.status_code, api.status_code) == (403, 403, 403)
    assert "Karen" not in page.content.decode() + caller.content.decode() + api.content.decode()
    assert AccessLogEntry.objects.count() == 0


def test_the_page_says_what_is_wrong_with_a_short_query_and_logs_nothing(
    karen: Party, staff: Staff
) -> None:
    client = staff_client(staff.frontline)

    page = client.get("/parties/find/")
    short = client.post("/parties/find/", {"q": "k"})
    nothing = client.post("/parties/find/", {"q": "zzz"}, HTTP_HX_REQUEST="true")

    assert page.status_code == 200 and "<h1>Find borger/virksomhed</h1>" in page.content.decode()
    assert short.status_code == 400
    assert "Skriv mindst 2 bogstaver eller cifre." in short.content.decode()
    assert "Ingen borger eller virksomhed passer." in nothing.content.decode()
    assert AccessLogEntry.objects.count() == 0


def test_the_api_finds_by_q_with_match_and_may_open_and_logs_each_party(
    karen: Party, api_for: ApiFor, staff: Staff
) -> None:
    api = api_for(staff.frontline)

    found = api.get("/api/v1/parties/", {"q": "karen@example.dk", "purpose": "integration"})
    short = api.get("/api/v1/parties/", {"q": "k"})
    both = api.get("/api/v1/parties/", {"q": "karen", "cpr": CPR_A})

    assert found.json() == {
        "count": 1,
        "results": [
            {
                "id": karen.pk,
                "kind": "citizen",
                "name": "Karen Ødegaard",
                "identifier": "010190-xxxx",
                "cvr": None,
                "email": "karen@example.dk",
                "phone": "+45 23 45 67 89",
                "address": "Åboulevard 3, 8000 Aarhus C",
                "match": "contact_detail",
                "may_open": False,
            }
        ],
    }
    assert (short.status_code, short.json()) == (
        400,
        {"q": ["Skriv mindst 2 bogstaver eller cifre."]},
    )
    assert (both.status_code, both.json()) == (
        400,
        {"non_field_errors": ["Angiv præcis én af cpr, cvr eller q."]},
    )
    assert _log() == [("front", karen.pk, "found", "integration", "api")]


def test_a_search_costs_the_same_statements_for_one_hit_as_for_twenty(
    karen: Party, staff: Staff, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    scope, now = get_scope(user=staff.caseworker), timezone.now()

    def search(text: str) -> int:
        return len(
            find_parties_for(
                user=staff.caseworker,
                scope=scope,
                text=text,
                purpose=Purpose.CONTACT,
                via=Via.UI,
                now=now,
            )
        )

    # Names' starts, words anywhere (the page is not full), the access log, the reasons.
    with django_assert_num_queries(4):
        assert search("karen") == 1
    for n, party in enumerate(
        get_or_create_citizens(cprs={f"0{n}0190123{n}" for n in range(1, 10)}).values()
    ):
        update_party(party=party, name=f"Karen {n}", email="", phone="", address="")
    with django_assert_num_queries(4):
        assert search("karen") == 10


def test_the_front_desk_recognises_a_known_callers_number(
    karen: Party, register: RegisterContact, staff: Staff
) -> None:
    client = staff_client(staff.frontline)

    desk = client.get(reverse("front-desk"))
    known = client.post("/parties/caller/", {"caller_phone": "23 45 67 89"})
    partial = client.post("/parties/caller/", {"caller_phone": "2345"})
    unknown = client.post("/parties/caller/", {"caller_phone": "+45 99 99 99 99"})

    assert 'id="caller-phone"' in desk.content.decode()
    latest = Contact.objects.get(party=karen)
    html = known.content.decode()
    assert "Kendt nummer:" in html and "<strong>Karen Ødegaard</strong>" in html
    assert (
        f"seneste henvendelse {timezone.localtime(latest.received_at):%d.%m.%Y kl. %H:%M}" in html
    )
    assert "Boligstøtte" not in html  # another department's summary stays withheld
    assert partial.content.decode().strip() == ""
    assert "Ukendt nummer." in unknown.content.decode()
    assert _log() == [("front", karen.pk, "recognised_caller", "contact", "ui")]
