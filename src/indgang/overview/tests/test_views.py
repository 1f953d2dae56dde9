from __future__ import annotations

from django.test import Client

from indgang.audit.models import AccessLogEntry
from indgang.conftest import CPR_A, CPR_B, PASSWORD, Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact, Thread
from indgang.overview.selectors import OVERVIEW_CONTACT_LIMIT
from indgang.parties.models import Party


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=username, password=PASSWORD)
    return client


def test_360_page_shows_own_content_redacts_the_rest_and_logs_the_read(
    register: RegisterContact, org: Org, staff: Staff
) -> None:
    register(cpr=CPR_A, party_name="Karen Jensen", summary="Nyt sundhedskort")
    other = register(
        cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED, summary="Hemmeligt"
    )

    page = client_for("front").get(f"/parties/{other.party_id}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Nyt sundhedskort" in html
    assert "Hemmeligt" not in html
    assert "En anden forvaltnings henvendelse" in html
    assert "010190-xxxx" in html and CPR_A not in html
    assert AccessLogEntry.objects.filter(action="viewed_overview", via="ui").count() == 1


def test_access_log_page_is_for_managers(register: RegisterContact, staff: Staff) -> None:
    party_id = register(cpr=CPR_A).party_id

    assert client_for("front").get(f"/parties/{party_id}/access-log/").status_code == 403
    page = client_for("leder").get(f"/parties/{party_id}/access-log/")
    assert page.status_code == 200
    assert "Så adgangsloggen" in page.content.decode()


def test_front_desk_registers_a_contact_and_redirects_to_the_360(
    staff: Staff, tasks: dict[str, object]
) -> None:
    response = client_for("front").post(
        "/front-desk/",
        {
            "identifier": "010190-1234",
            "name": "Karen Jensen",
            "channel": "personal",
            "summary": "Møder op om fjernvarme",
            "outcome": "resolved_at_first_contact",
        },
    )

    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/parties/{contact.party_id}/"
    assert (contact.channel, contact.party.name if contact.party else None) == (
        "personal",
        "Karen Jensen",
    )


def test_front_desk_shows_danish_errors_and_stores_nothing(staff: Staff) -> None:
    response = client_for("front").post(
        "/front-desk/",
        {"identifier": "3213901234", "channel": "phone", "summary": "", "outcome": "forwarded"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "CPR-nummeret begynder ikke med en gyldig fødselsdato." in html
    assert "Dette felt er påkrævet." in html
    assert (Contact.objects.count(), Party.objects.count()) == (0, 0)


def test_forwarding_without_a_unit_is_refused_on_the_form(staff: Staff) -> None:
    response = client_for("front").post(
        "/front-desk/",
        {"identifier": "", "channel": "phone", "summary": "Om noget", "outcome": "forwarded"},
    )

    assert response.status_code == 400
    assert "Vælg den enhed, henvendelsen videresendes til." in response.content.decode()
    assert Contact.objects.count() == 0


def test_anonymous_contact_returns_to_the_front_desk(staff: Staff) -> None:
    response = client_for("front").post(
        "/front-desk/",
        {"channel": "phone", "summary": "Åbningstider?", "outcome": "resolved_at_first_contact"},
    )

    assert (response.status_code, response["Location"]) == (302, "/front-desk/")
    assert Contact.objects.get().party is None


def test_party_lookup_is_a_post_and_logs_a_hit(register: RegisterContact, staff: Staff) -> None:
    register(cpr=CPR_A, party_name="Karen Jensen")
    client = client_for("front")

    assert client.get("/parties/lookup/", {"identifier": CPR_A}).status_code == 405
    hit = client.post("/parties/lookup/", {"identifier": "010190 1234"})
    miss = client.post("/parties/lookup/", {"identifier": "2402851237"})
    typing = client.post("/parties/lookup/", {"identifier": "0101"})

    assert "Karen Jensen" in hit.content.decode()
    assert "Ukendt borger" in miss.content.decode()
    assert typing.content.decode().strip() == ""
    assert AccessLogEntry.objects.filter(action="looked_up", via="ui").count() == 1


def test_staff_pages_need_a_login_and_a_role(staff: Staff) -> None:
    assert Client().get("/front-desk/").status_code == 302
    staff.caseworker.role_assignments.all().delete()
    assert client_for("byg").get("/front-desk/").status_code == 403


def test_catalogue_search_finds_tasks_by_word_and_kle_number(
    staff: Staff, tasks: dict[str, object]
) -> None:
    client = client_for("front")

    by_word = client.get("/catalogue/search/", {"task_q": "fjernvarme"}).content.decode()
    by_number = client.get("/catalogue/search/", {"task_q": "13.02"}).content.decode()

    assert "Tilslutning til fjernvarme" in by_word and "grundvand" not in by_word
    assert "Bortledning af grundvand" in by_number


def test_the_360_of_a_busy_party_links_to_all_its_contacts_page_by_page(
    register: RegisterContact, staff: Staff
) -> None:
    for number in range(OVERVIEW_CONTACT_LIMIT + 1):
        register(cpr=CPR_A, summary=f"Henvendelse nummer {number}")
    register(cpr=CPR_B, summary="En anden borgers henvendelse")
    party = Party.objects.get(cpr_masked="010190-xxxx")
    client = client_for("front")

    overview = client.get(f"/parties/{party.pk}/").content.decode()
    listed = client.get("/contacts/", {"party": party.pk})

    assert f'href="/contacts/?party={party.pk}"' in overview
    assert "De 50 nyeste henvendelser" in overview
    html = listed.content.decode()
    assert "51 henvendelser" in html
    assert "En anden borgers henvendelse" not in html
    assert f'href="?party={party.pk}&amp;page=2"' in html
    assert list(
        AccessLogEntry.objects.filter(action="listed_contacts").values_list("party", flat=True)
    ) == [party.pk]


def test_the_look_up_offers_the_partys_recent_threads_to_continue(
    register: RegisterContact, org: Org, staff: Staff
) -> None:
    own = register(cpr=CPR_A, party_name="Karen Jensen", summary="Nyt sundhedskort")
    theirs = register(
        cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED, summary="Boligstøtte"
    )

    html = client_for("front").post("/parties/lookup/", {"identifier": CPR_A}).content.decode()

    assert "Fortsætter den et tidligere forløb?" in html
    assert html.index(f'value="{theirs.thread_id}"') < html.index(f'value="{own.thread_id}"')
    assert "Nyt sundhedskort" in html
    assert "Boligstøtte" not in html and "En anden forvaltnings forløb" in html
    assert 'value="" checked' in html  # a new matter unless staff choose a thread


def test_front_desk_continues_a_chosen_thread(register: RegisterContact, staff: Staff) -> None:
    earlier = register(cpr=CPR_A, summary="Spørger om fjernvarme")

    response = client_for("front").post(
        "/front-desk/",
        {
            "identifier": CPR_A,
            "channel": "email",
            "summary": "Sender det lovede billede af måleren",
            "thread": earlier.thread_id,
            "outcome": "resolved_at_first_contact",
        },
    )

    assert response.status_code == 302
    follow_up = Contact.objects.exclude(pk=earlier.pk).get()
    assert follow_up.thread_id == earlier.thread_id
    assert Thread.objects.count() == 1


def test_front_desk_refuses_another_partys_thread_and_keeps_the_look_up(
    register: RegisterContact, staff: Staff
) -> None:
    others = register(cpr=CPR_B, summary="En anden borgers sag")
    register(cpr=CPR_A, party_name="Karen Jensen", summary="Spørger om fjernvarme")

    response = client_for("front").post(
        "/front-desk/",
        {
            "identifier": CPR_A,
            "channel": "phone",
            "summary": "Opfølgning",
            "thread": others.thread_id,
            "outcome": "resolved_at_first_contact",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Forløbet tilhører en anden borger eller virksomhed." in html
    assert "Karen Jensen" in html and 'name="thread"' in html
    assert Contact.objects.count() == 2
