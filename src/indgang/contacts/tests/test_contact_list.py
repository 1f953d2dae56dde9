"""The contact list: filters, sorting, pages, its CSV export, and the summary's length limit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indgang.audit.models import AccessLogEntry
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import CPR_A, CPR_B, ApiFor, Org, RegisterContact, Staff
from indgang.contacts.constants import SUMMARY_MAX_LENGTH, Outcome
from indgang.contacts.models import Contact

pytestmark = pytest.mark.django_db
LIST = "/contacts/"
EXPORT = "/contacts/export/"
MONDAY = dt.datetime(2026, 11, 16, 10, 0, tzinfo=COPENHAGEN)


def client_for(staff_member: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(staff_member)  # type: ignore[arg-type]
    return client


def summaries(html: str) -> list[str]:
    """The summaries listed, in order."""
    return re.findall(r'<td class="summary">([^<]*)</td>', html)


@pytest.fixture
def register_five(
    register: RegisterContact, staff: Staff, org: Org, tasks: dict[str, Task]
) -> list[Contact]:
    """Five contacts the admin sees in full, on four days, two units, two tasks, three
    channels and three outcomes."""
    return [
        register(
            received_at=MONDAY,
            summary="Fjernvarme: tilslutning",
            task=tasks["heating"],
            channel=Channel.PHONE,
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
            cpr=CPR_A,
            party_name="Anna Berg",
        ),
        register(
            received_at=MONDAY + dt.timedelta(days=1),
            summary="Grundvand ved byggeri",
            task=tasks["groundwater"],
            unit=org.benefits_unit,
            channel=Channel.EMAIL,
            outcome=Outcome.FORWARDED,
            cpr=CPR_B,
            party_name="Bo Dahl",
        ),
        register(
            received_at=MONDAY + dt.timedelta(days=2),
            summary="Fjernvarme: regning",
            task=tasks["heating"],
            channel=Channel.EMAIL,
            outcome=Outcome.CALLBACK_PROMISED,
        ),
        register(
            received_at=MONDAY + dt.timedelta(days=2, hours=1),
            summary="Carport og fjernvarme",
            unit=org.building_unit,
            channel=Channel.PERSONAL,
            outcome=Outcome.FORWARDED,
        ),
        register(
            received_at=MONDAY + dt.timedelta(days=3),
            summary="Affald",
            channel=Channel.PHONE,
            outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
        ),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "Affald",
                "Carport og fjernvarme",
                "Fjernvarme: regning",
                "Grundvand ved byggeri",
                "Fjernvarme: tilslutning",
            ],
        ),
        (
            {"received_from": "2026-11-17", "received_to": "2026-11-18"},
            ["Carport og fjernvarme", "Fjernvarme: regning", "Grundvand ved byggeri"],
        ),
        ({"received_to": "2026-11-16"}, ["Fjernvarme: tilslutning"]),
        ({"channel": "email"}, ["Fjernvarme: regning", "Grundvand ved byggeri"]),
        ({"outcome": "forwarded"}, ["Carport og fjernvarme", "Grundvand ved byggeri"]),
        (
            {"text": "FJERNVARME"},
            ["Carport og fjernvarme", "Fjernvarme: regning", "Fjernvarme: tilslutning"],
        ),
        ({"text": "fjernvarme regning"}, ["Fjernvarme: regning"]),
        ({"channel": "email", "outcome": "callback_promised"}, ["Fjernvarme: regning"]),
    ],
)
def test_the_list_shows_exactly_the_contacts_the_filters_find(
    staff: Staff, register_five: list[Contact], query: dict[str, str], expected: list[str]
) -> None:
    response = client_for(staff.admin).get(LIST, query)

    assert response.status_code == 200
    assert summaries(response.content.decode()) == expected


def test_unit_and_task_filters(
    staff: Staff, org: Org, tasks: dict[str, Task], register_five: list[Contact]
) -> None:
    client = client_for(staff.admin)

    by_unit = client.get(LIST, {"unit": org.building_unit.pk}).content.decode()
    by_task = client.get(LIST, {"task": tasks["heating"].pk}).content.decode()

    assert summaries(by_unit) == ["Carport og fjernvarme"]
    assert summaries(by_task) == ["Fjernvarme: regning", "Fjernvarme: tilslutning"]


def test_text_never_finds_a_contact_whose_summary_the_reader_may_not_read(
    staff: Staff, register_five: list[Contact]
) -> None:
    # The front line sees the building contact for routing, without its summary.
    client = client_for(staff.frontline)

    everything = client.get(LIST).content.decode()
    searched = client.get(LIST, {"text": "carport"}).content.decode()

    assert everything.count("En anden forvaltnings henvendelse") == 2
    assert summaries(searched) == []
    assert "0 henvendelser" in searched


def test_sorting_by_a_column_and_back(staff: Staff, register_five: list[Contact]) -> None:
    client = client_for(staff.admin)

    by_task = client.get(LIST, {"sort": "task", "channel": "email"}).content.decode()
    reversed_ = client.get(LIST, {"sort": "-task", "channel": "email"}).content.decode()
    oldest = client.get(LIST, {"sort": "received"}).content.decode()
    unknown = client.get(LIST, {"sort": "summary"}).content.decode()

    # Bortledning af grundvand before Tilslutning til fjernvarme.
    assert summaries(by_task) == ["Grundvand ved byggeri", "Fjernvarme: regning"]
    assert summaries(reversed_) == ["Fjernvarme: regning", "Grundvand ved byggeri"]
    assert summaries(oldest)[0] == "Fjernvarme: tilslutning"
    assert summaries(unknown)[0] == "Affald"  # the default: newest first
    # The sorted column says so, and its link (keeping the filter) reverses the order.
    assert '<th scope="col" aria-sort="ascending"><a href="?channel=email&amp;sort=-task">' in (
        by_task
    )
    assert '<th scope="col" aria-sort="none"><a href="?channel=email&amp;sort=-received">' in (
        by_task
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"received_from": "2026-11-18", "received_to": "2026-11-16"},
            "Slutdatoen skal være samme dag som eller efter startdatoen.",
        ),
        ({"received_from": "18.13.2026"}, "Indtast en gyldig dato."),
        (
            {"channel": "fax"},
            "Marker en gyldig valgmulighed. fax er ikke en af de tilgængelige valgmuligheder.",
        ),
        (
            {"unit": "999999"},
            "Marker en gyldig valgmulighed. Det valg, du har foretaget, er ikke "
            "blandt de tilgængelige valgmuligheder.",
        ),
    ],
)
def test_a_refused_filter_says_why_in_danish_and_lists_nothing(
    staff: Staff, register_five: list[Contact], query: dict[str, str], message: str
) -> None:
    response = client_for(staff.admin).get(LIST, query)

    html = response.content.decode()
    assert response.status_code == 400
    assert f'<span class="field-error">{message}</span>' in html
    assert summaries(html) == []
    assert AccessLogEntry.objects.count() == 0


def test_pages_keep_the_filters(register: RegisterContact, staff: Staff) -> None:
    for n in range(51):
        register(received_at=MONDAY + dt.timedelta(minutes=n), summary=f"Varme {n}")
    register(received_at=MONDAY, summary="Affald")

    first = client_for(staff.admin).get(LIST, {"text": "varme"}).content.decode()
    second = client_for(staff.admin).get(LIST, {"text": "varme", "page": "2"}).content.decode()

    assert "51 henvendelser" in first
    assert 'href="?text=varme&amp;page=2"' in first
    assert summaries(second) == ["Varme 0"]


def test_the_list_costs_the_same_statements_for_2_or_40_rows(
    register: RegisterContact,
    staff: Staff,
    org: Org,
    tasks: dict[str, Task],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(staff.admin)
    query = {"received_from": "2026-11-16", "sort": "unit"}

    def add(n: int) -> None:
        for i in range(n):
            register(
                received_at=MONDAY + dt.timedelta(minutes=i),
                cpr=CPR_A if i % 2 else CPR_B,
                task=tasks["heating"],
                unit=org.building_unit,
                outcome=Outcome.FORWARDED,
            )

    add(2)
    client.get(LIST, query)  # the session and the scope are cached after the first request
    with django_assert_num_queries(9) as few:
        client.get(LIST, query)
    add(38)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(summaries(client.get(LIST, query).content.decode())) == 40


def exported(response: object) -> list[list[str]]:
    content = (
        b"".join(response.streaming_content)
        if hasattr(response, "streaming_content")
        else (
            response.content  # type: ignore[attr-defined]
        )
    )
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_export_holds_exactly_the_filtered_rows_and_logs_each_party(
    staff: Staff, register_five: list[Contact], tasks: dict[str, Task]
) -> None:
    first, second = register_five[0], register_five[1]

    response = client_for(staff.admin).get(
        EXPORT, {"received_to": "2026-11-17", "sort": "received"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="henvendelser-')
    assert exported(response) == [
        [
            "Nummer",
            "Modtaget",
            "Kanal",
            "Borger eller virksomhed",
            "Resumé",
            "Opgave",
            "KLE-emne",
            "Enhed",
            "Udfald",
            "Varighed (sekunder)",
        ],
        [
            str(first.pk),
            "2026-11-16 10:00",
            "Telefon",
            "Anna Berg",
            "Fjernvarme: tilslutning",
            "Tilslutning til fjernvarme",
            "13.03.00",
            "Kontaktcenter (KBS)",
            "Løst ved første kontakt",
            "",
        ],
        [
            str(second.pk),
            "2026-11-17 10:00",
            "E-mail",
            "Bo Dahl",
            "Grundvand ved byggeri",
            "Bortledning af grundvand",
            "13.02.17",
            "Ydelser (FAF)",
            "Videresendt til enhed",
            "",
        ],
    ]
    assert sorted(
        AccessLogEntry.objects.values_list("user__username", "party_id", "action", "purpose", "via")
    ) == sorted(
        [
            ("admin", first.party_id, "exported_contacts", "contact", "ui"),
            ("admin", second.party_id, "exported_contacts", "contact", "ui"),
        ]
    )


def test_the_export_withholds_what_the_list_withholds_and_defuses_formulas(
    register: RegisterContact, staff: Staff, org: Org
) -> None:
    own = register(
        received_at=MONDAY, summary='=HYPERLINK("http://x")', cpr=CPR_A, party_name="@Anna"
    )
    theirs = register(
        received_at=MONDAY + dt.timedelta(hours=1),
        summary="Carport",
        cpr=CPR_B,
        unit=org.building_unit,
        outcome=Outcome.FORWARDED,
    )

    rows = exported(client_for(staff.frontline).get(EXPORT, {"sort": "received"}))

    assert [row[:5] for row in rows[1:]] == [
        [str(own.pk), "2026-11-16 10:00", "Telefon", "'@Anna", '\'=HYPERLINK("http://x")'],
        [str(theirs.pk), "2026-11-16 11:00", "Telefon", "Tilbageholdt", "Tilbageholdt"],
    ]
    # The withheld contact's party is not logged as read by the export.
    assert list(AccessLogEntry.objects.values_list("party_id", flat=True)) == [own.party_id]


def test_an_export_larger_than_the_limit_is_refused_not_cut(
    register: RegisterContact, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indgang.contacts.views.EXPORT_LIMIT", 2)
    for n in range(3):
        register(received_at=MONDAY + dt.timedelta(minutes=n), cpr=CPR_A)

    response = client_for(staff.admin).get(EXPORT, {"channel": "phone"}, follow=True)

    assert response.redirect_chain == [("/contacts/?channel=phone", 302)]
    assert (
        "Mere end 2 henvendelser passer. Afgræns filtrene for at eksportere dem."
        in response.content.decode()
    )
    assert AccessLogEntry.objects.filter(action="exported_contacts").count() == 0


def test_a_summary_longer_than_the_limit_is_refused_by_service_api_and_form_alike(
    register: RegisterContact, staff: Staff, api_for: ApiFor
) -> None:
    longest, too_long = "x" * SUMMARY_MAX_LENGTH, "x" * (SUMMARY_MAX_LENGTH + 1)
    message = (
        "Resuméet må højst være på 4000 tegn (det er på 4001); læg en længere tekst på "
        "forløbet som et dokument."
    )
    register(summary=longest)
    with pytest.raises(ValidationError) as refused:
        register(summary=too_long)
    api = api_for(staff.frontline).post(
        "/api/v1/contacts/",
        {"channel": "phone", "received_at": "2026-11-16T10:00:00+01:00", "summary": too_long},
        format="json",
    )
    form = client_for(staff.frontline).post(
        reverse("front-desk"),
        {"channel": "phone", "summary": too_long, "outcome": "resolved_at_first_contact"},
    )

    assert refused.value.message_dict == {"summary": [message]}
    assert api.status_code == 400
    assert api.json() == {"summary": ["Tjek at dette felt ikke indeholder flere end 4000 tegn."]}
    assert form.status_code == 400
    assert "Denne værdi må højst have 4000 tegn (den har 4001)." in (form.content.decode())
    assert list(Contact.objects.values_list("summary", flat=True)) == [longest]


def test_the_api_filters_the_register_as_the_list_does(
    api_for: ApiFor, staff: Staff, org: Org, tasks: dict[str, Task], register_five: list[Contact]
) -> None:
    api = api_for(staff.admin)

    def listed(**query: str | int) -> list[str]:
        return [c["summary"] for c in api.get("/api/v1/contacts/", query).json()["results"]]

    assert listed(unit=org.building_unit.pk) == ["Carport og fjernvarme"]
    assert listed(task=tasks["groundwater"].pk) == ["Grundvand ved byggeri"]
    assert listed(outcome="callback_promised") == ["Fjernvarme: regning"]
    assert listed(text="fjernvarme tilslutning") == ["Fjernvarme: tilslutning"]
    refused = api.get("/api/v1/contacts/", {"outcome": "lost"})
    assert refused.status_code == 400
    assert refused.json() == {"outcome": ['"lost" er ikke et gyldigt valg.']}
