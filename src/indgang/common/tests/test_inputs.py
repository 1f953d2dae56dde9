"""Every input is bounded, and refused input gets a 4xx with a Danish message and changes
nothing (common.inputs, common.parsers, common.api, common.forms).

Each case below was a 500, or was accepted, before (issue 18).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from indgang.common.logs import NoPersonalData
from indgang.conftest import ApiFor, RegisterContact, Staff
from indgang.contacts.models import Contact, Thread
from indgang.contacts.tests.test_api import body as contact
from indgang.deadlines.models import Deadline
from indgang.parties.models import Party

CONTACTS = "/api/v1/contacts/"
NOT_BLANK = "Dette felt må ikke være tomt."
DATE_RANGE = "Angiv en dato mellem 1900 og 2099."
CONTROL = "Teksten indeholder et kontroltegn (fx NUL), og det er ikke tilladt."
WITH_ZONE = "Angiv tidspunktet i ISO 8601 med tidszone, fx 2026-03-02T09:15:00+01:00."


def stored() -> tuple[int, int, int, int]:
    return (
        Contact.objects.count(),
        Thread.objects.count(),
        Party.objects.count(),
        Deadline.objects.count(),
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        # 2**32 was stored as 0; from 2**31 PostgreSQL refused it with a 500.
        (
            {"duration_seconds": 4_294_967_296},
            {"duration_seconds": ["Tjek at værdien er mindre end eller lig med 86400."]},
        ),
        (
            {"duration_seconds": 2**31},
            {"duration_seconds": ["Tjek at værdien er mindre end eller lig med 86400."]},
        ),
        ({"received_at": "0002-01-01T10:00:00+01:00"}, {"received_at": [DATE_RANGE]}),
        ({"received_at": "2026-03-02T09:15:00"}, {"received_at": [WITH_ZONE]}),
        ({"summary": "\u200b\u200b\ufeff \u2060"}, {"summary": [NOT_BLANK]}),
        ({"summary": 12}, {"summary": ["Skal være en tekst."]}),
    ],
)
def test_out_of_range_or_blank_input_is_refused_in_danish_and_nothing_is_stored(
    api_for: ApiFor, staff: Staff, fields: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    before = stored()

    response = api_for(staff.frontline).post(CONTACTS, contact(**fields), format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert response["Content-Language"] == "da"
    assert stored() == before


@pytest.mark.parametrize(
    "fields", [{"kle_topic": "13.03\u000020"}, {"summary": "Varme\u000b i stuen"}]
)
def test_a_control_character_is_refused_in_danish(
    api_for: ApiFor, staff: Staff, fields: dict[str, Any]
) -> None:
    before = stored()

    response = api_for(staff.frontline).post(CONTACTS, contact(**fields), format="json")

    assert (response.status_code, response.json()) == (400, {"detail": CONTROL})
    assert stored() == before


def test_a_control_character_in_the_api_query_string_is_refused_in_danish(
    api_for: ApiFor, staff: Staff
) -> None:
    response = api_for(staff.frontline).get(f"{CONTACTS}?channel=phone%00")

    assert (response.status_code, response.json()) == (400, {"detail": CONTROL})


def test_text_is_stored_without_invisible_characters_at_its_ends(
    api_for: ApiFor, staff: Staff
) -> None:
    response = api_for(staff.frontline).post(
        CONTACTS,
        contact(summary="\ufeff\u200bVarme i\u200bstuen\nRing \u200b"),
        format="json",
    )

    assert response.status_code == 201
    assert Contact.objects.get().summary == "Varme i\u200bstuen\nRing"


def test_json_nested_100000_deep_is_refused_in_danish(api_for: ApiFor, staff: Staff) -> None:
    before = stored()

    response = api_for(staff.frontline).generic(
        "POST", CONTACTS, "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Indholdet er ikke gyldig JSON (i UTF-8, højst 1.024 niveauer dybt)."},
    )
    assert stored() == before


def test_a_body_over_the_limit_is_refused_with_413_in_json(api_for: ApiFor, staff: Staff) -> None:
    before = stored()

    response = api_for(staff.frontline).post(
        CONTACTS, contact(summary="x" * 3_000_000), format="json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Forespørgslen er for stor: højst 1,048,576 bytes."}
    assert stored() == before


def test_a_form_over_the_limit_gets_a_413_page(staff: Staff) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(staff.frontline)
    before = stored()

    response = client.post("/front-desk/", {"summary": "x" * 2_000_000, "channel": "phone"})

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "Forespørgslen er for stor: højst 1,048,576 bytes." in response.content.decode()
    assert stored() == before


def test_a_deadline_starting_in_year_9990_is_refused_in_danish(
    api_for: ApiFor, staff: Staff, register: RegisterContact
) -> None:
    subject = register(by=staff.caseworker)
    before = stored()

    response = api_for(staff.caseworker).post(
        "/api/v1/deadlines/",
        {"contact": subject.pk, "kind": "aktindsigt", "started_at": "9990-01-01T10:00:00+01:00"},
        format="json",
    )

    assert (response.status_code, response.json()) == (400, {"started_at": [DATE_RANGE]})
    assert stored() == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/contacts/?party=99999999999999999999",
        "/api/v1/deadlines/?unit=-170929300287036545495046553600",
        "/api/v1/contacts/?received_to=9466-07-22T12:44:31Z",
        "/api/v1/catalogue/tasks/?page_size=" + "9" * 5000,
    ],
)
def test_numbers_and_times_out_of_range_in_a_query_are_400_not_500(
    api_for: ApiFor, staff: Staff, url: str
) -> None:
    response = api_for(staff.manager).get(url)

    assert response.status_code == 400
    message = next(iter(response.json().values()))[0]
    assert message in {
        "Tjek at værdien er mindre end eller lig med 9223372036854775807.",
        "Tjek at værdien er større end eller lig med 1.",
        DATE_RANGE,
        "page_size er et helt tal fra 1 til 500.",
    }


def test_an_id_past_the_bigint_range_in_a_path_is_a_json_404(api_for: ApiFor, staff: Staff) -> None:
    response = api_for(staff.manager).get(
        "/api/v1/knowledge/guides/22797462964042010466325570508554240/history/"
    )

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Findes ikke, eller du må ikke se den."},
    )


def test_a_superscript_two_as_party_on_the_html_list_is_ignored_not_a_500(
    staff: Staff, register: RegisterContact
) -> None:
    register()
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(staff.frontline)

    contacts = client.get("/contacts/?party=%C2%B2")
    overdue = client.get("/deadlines/overdue/?unit=%C2%B2")

    assert (contacts.status_code, overdue.status_code) == (200, 200)
    assert "Spørger om fjernvarme" in contacts.content.decode()


def test_control_characters_in_a_browser_query_or_form_are_removed(
    staff: Staff, register: RegisterContact
) -> None:
    register(summary="Ringede om varme")
    register(summary="Skrev om affald", channel="email")
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(staff.frontline)

    before = stored()

    listed = client.get("/contacts/?channel=phone%00")
    blank = client.post(
        "/front-desk/",
        {"channel": "phone", "summary": "\u200b\u000b\ufeff", "outcome": "forwarded"},
    )
    pasted = client.post(  # as a browser posts a form: urlencoded
        "/front-desk/",
        urlencode(
            {
                "channel": "phone",
                "summary": "Varme\u000b i stuen\u200b",
                "outcome": "resolved_at_first_contact",
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )

    assert listed.status_code == 200
    page = listed.content.decode()
    assert "Ringede om varme" in page
    assert "Skrev om affald" not in page
    assert blank.status_code == 400
    assert "Skriv et kort resumé af henvendelsen." in blank.content.decode()
    assert pasted.status_code == 302
    assert stored()[0] == before[0] + 1
    assert Contact.objects.latest("pk").summary == "Varme i stuen"


def test_a_completed_deadline_completed_again_is_a_409(
    api_for: ApiFor, staff: Staff, register: RegisterContact
) -> None:
    subject = register(by=staff.caseworker)
    client = api_for(staff.caseworker)
    deadline = client.post(
        "/api/v1/deadlines/", {"contact": subject.pk, "kind": "aktindsigt"}, format="json"
    ).json()["id"]
    client.post(f"/api/v1/deadlines/{deadline}/complete/", {}, format="json")

    again = client.post(f"/api/v1/deadlines/{deadline}/complete/", {}, format="json")

    assert (again.status_code, again.json()) == (
        409,
        {"status": ["Fristen er allerede afsluttet."]},
    )


def test_a_database_error_reaches_the_log_without_the_refused_row(
    register: RegisterContact,
) -> None:
    """The second line behind validation: a real constraint violation (the duration's CHECK),
    logged as Django logs a request's error, is written without the database's detail, which
    repeats the refused row."""
    summary = "Borgeren Jens Hansen, Vesterbrogade 1, spørger om sin sag"
    existing = register(summary=summary)
    handler = logging.StreamHandler()
    handler.addFilter(NoPersonalData())
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Contact.objects.filter(pk=existing.pk).update(duration_seconds=-1, summary=summary + "!")
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/api/v1/contacts/",),
        (refused.type, refused.value, refused.tb),
    )

    assert handler.filter(record)
    line = handler.format(record)

    assert line.startswith("Internal Server Error: /api/v1/contacts/\nTraceback")
    assert "IntegrityError: [" in line
    assert "details left out of the log]" in line
    assert str(refused.value) not in line
    assert "Jens Hansen" not in line


def test_query_parameters_of_the_database_logger_are_left_out() -> None:
    record = logging.LogRecord(
        "django.db.backends",
        logging.DEBUG,
        __file__,
        1,
        "(%.3f) %s; args=%s; alias=%s",
        (0.002, "SELECT … WHERE cpr_digest = 'abc'", ("abc",), "default"),
        None,
    )
    record.duration, record.alias, record.sql, record.params = 0.002, "default", "SQL", ("abc",)

    assert NoPersonalData().filter(record)

    assert record.getMessage() == (
        "(0.002) a query on default; SQL and parameters left out of the log"
    )


def test_a_password_keeps_its_spaces(staff: Staff) -> None:
    staff.frontline.set_password(" kode med mellemrum ")
    staff.frontline.save()

    response = Client().post(
        "/login/", {"username": staff.frontline.username, "password": " kode med mellemrum "}
    )

    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.mark.parametrize("page", ["", "last", "0", "²"])
def test_a_page_that_is_not_a_number_from_1_is_a_404(
    api_for: ApiFor, staff: Staff, page: str
) -> None:
    response = api_for(staff.manager).get(f"/api/v1/kle/topics/?page={page}")

    assert (response.status_code, response.json()) == (404, {"detail": "Ugyldig side"})
