from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from indgang.audit.models import AccessLogEntry
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, CPR_B, ApiFor, Org, RegisterContact, Staff
from indgang.contacts.api.serializers import ContactCreateSerializer
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact, Thread
from indgang.parties.models import Party
from indgang.triage.models import QueueItem, RoutingDecision

URL = "/api/v1/contacts/"


def body(**fields: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "received_at": "2026-03-02T09:15:00+01:00",
        "summary": "Spørger om byggetilladelse til carport",
        **fields,
    }


def test_two_contacts_for_one_cpr_appear_in_the_overview_and_the_read_is_logged(
    api_for: ApiFor, staff: Staff
) -> None:
    api = api_for(staff.frontline)

    phone = api.post(URL, body(cpr="010190-1234"), format="json")
    email = api.post(
        URL,
        body(channel="email", cpr=CPR_A, thread=phone.json()["thread"], summary="Sender tegninger"),
        format="json",
    )

    assert (phone.status_code, email.status_code) == (201, 201)
    party_id = phone.json()["party"]
    assert email.json()["party"] == party_id
    overview = api.get(f"/api/v1/parties/{party_id}/overview/").json()
    assert overview["contact_count"] == 2
    assert overview["channel_counts"] == {"phone": 1, "email": 1}
    assert [c["channel"] for c in overview["threads"][0]["contacts"]] == ["email", "phone"]
    assert overview["party"]["identifier"] == "010190-xxxx"
    log = api_for(staff.manager).get(f"/api/v1/parties/{party_id}/access-log/").json()
    # Reading the log is itself logged, before the entries are listed.
    assert [(e["user"], e["action"], e["purpose"], e["via"]) for e in log["results"]] == [
        ("leder", "viewed_access_log", "supervision", "api"),
        ("front", "viewed_overview", "contact", "api"),
    ]


def test_created_contact_is_returned_as_the_register_shows_it(
    api_for: ApiFor, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    response = api_for(staff.frontline).post(
        URL,
        body(
            cpr=CPR_A,
            task=tasks["heating"].pk,
            outcome="resolved_at_first_contact",
            duration_seconds=240,
        ),
        format="json",
    )

    assert response.status_code == 201
    data = response.json()
    contact = Contact.objects.get()
    assert data == {
        "id": contact.pk,
        "channel": "phone",
        "direction": "in",
        "received_at": "2026-03-02T09:15:00+01:00",
        "party": contact.party_id,
        "summary": "Spørger om byggetilladelse til carport",
        "stated_name": "",
        "redacted": False,
        "task": tasks["heating"].pk,
        "kle_topic": "13.03.00",
        "unit": org.contact_centre.pk,
        "department": org.frontline_dept.pk,
        "outcome": "resolved_at_first_contact",
        "thread": contact.thread_id,
        "duration_seconds": 240,
        "handled_by": "front",
        "created_at": data["created_at"],
    }


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"cpr": "3213901234"}, {"cpr": ["CPR-nummeret begynder ikke med en gyldig fødselsdato."]}),
        ({"cpr": "12345"}, {"cpr": ["Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX)."]}),
        (
            {"cpr": None, "cvr": "13585491"},
            {"cvr": ["CVR-nummerets kontrolciffer passer ikke; tjek nummeret."]},
        ),
        (
            {"cpr": "3213901234", "channel": "fax"},
            {"channel": ['"fax" er ikke et gyldigt valg.']},  # the number's own check comes after
        ),
        ({"channel": "fax"}, {"channel": ['"fax" er ikke et gyldigt valg.']}),
        ({"task": 999999}, {"task": ["Opgave 999999 findes ikke i opgavekataloget."]}),
        ({"kle_topic": "99.99.99"}, {"kle_topic": ["KLE-emnet 99.99.99 findes ikke."]}),
        ({"unit": 999999}, {"unit": ["Enheden 999999 findes ikke."]}),
        ({"thread": 999999}, {"thread": ["Forløbet 999999 findes ikke."]}),
        (
            {"cpr": None, "party": 999999},
            {"party": ["Der findes ingen borger eller virksomhed 999999."]},
        ),
        (
            {"received_at": "2099-01-01T10:00:00+01:00"},
            {"received_at": ["Modtagelsestidspunktet kan ikke ligge i fremtiden."]},
        ),
        (
            {"received_at": "i går"},
            {
                "received_at": [
                    "Angiv tidspunktet i ISO 8601 med tidszone, fx 2026-03-02T09:15:00+01:00."
                ]
            },
        ),
        ({"outcome": "forwarded"}, {"unit": ["Vælg den enhed, henvendelsen videresendes til."]}),
        ({"outcome": "lost"}, {"outcome": ['"lost" er ikke et gyldigt valg.']}),
        ({"direction": "sideways"}, {"direction": ['"sideways" er ikke et gyldigt valg.']}),
        (
            {"duration_seconds": -1},
            {"duration_seconds": ["Tjek at værdien er større end eller lig med 0."]},
        ),
        ({"name": "x" * 201}, {"name": ["Tjek at dette felt ikke indeholder flere end 200 tegn."]}),
        (
            {"cpr": CPR_A, "cvr": "13585490"},
            {"cvr": ["Angiv parten med én af party, cpr eller cvr, ikke flere."]},
        ),
    ],
)
def test_invalid_input_gives_400_with_a_danish_message_and_stores_nothing(
    api_for: ApiFor,
    staff: Staff,
    tasks: dict[str, Task],
    fields: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    given = {key: value for key, value in {"cpr": CPR_B, **fields}.items() if value is not None}

    response = api_for(staff.frontline).post(URL, body(**given), format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert (Contact.objects.count(), Thread.objects.count(), Party.objects.count()) == (0, 0, 0)


def test_a_contact_without_its_required_fields_is_refused_field_by_field(
    api_for: ApiFor, staff: Staff
) -> None:
    response = api_for(staff.frontline).post(URL, {"cpr": CPR_B}, format="json")

    assert response.status_code == 400
    required = ["Dette felt er påkrævet."]
    assert response.json() == {"channel": required, "received_at": required, "summary": required}
    assert Party.objects.count() == 0


def test_the_schema_shows_every_field_a_contact_may_give() -> None:
    # Validating a body binds only the fields it gives, must give or has a default for.
    assert list(ContactCreateSerializer().fields) == list(ContactCreateSerializer._declared_fields)
    given = ContactCreateSerializer(data=body(cpr=CPR_B)).fields
    assert list(given) == ["channel", "direction", "received_at", "summary", "cpr"]


def test_user_without_a_role_is_refused(api_for: ApiFor, staff: Staff) -> None:
    staff.frontline.role_assignments.all().delete()

    response = api_for(staff.frontline).post(URL, body(cpr=CPR_A), format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Du har ingen rolle i kommunen og kan ikke bruge API’et."}
    assert Contact.objects.count() == 0


def test_anonymous_request_is_refused(staff: Staff) -> None:
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code == 401


def _department_contacts(
    register: RegisterContact, org: Org, staff: Staff
) -> tuple[Contact, Contact]:
    building = register(
        cpr=CPR_A, unit=org.building_unit, outcome=Outcome.FORWARDED, summary="Carport"
    )
    benefits = register(
        cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED, summary="Boligstøtte"
    )
    return building, benefits


def test_caseworker_lists_and_reads_only_their_departments_contacts(
    api_for: ApiFor, register: RegisterContact, org: Org, staff: Staff
) -> None:
    building, benefits = _department_contacts(register, org, staff)
    api = api_for(staff.caseworker)

    listed = api.get(URL).json()

    assert [c["id"] for c in listed["results"]] == [building.pk]
    assert api.get(f"{URL}{building.pk}/").status_code == 200
    hidden = api.get(f"{URL}{benefits.pk}/")
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "Findes ikke, eller du må ikke se den."}
    overview = api.get(f"/api/v1/parties/{building.party_id}/overview/").json()
    assert [c["summary"] for t in overview["threads"] for c in t["contacts"]] == ["Carport"]


def test_front_line_sees_every_contact_but_other_departments_content_is_redacted(
    api_for: ApiFor, register: RegisterContact, org: Org, staff: Staff
) -> None:
    building, benefits = _department_contacts(register, org, staff)
    own = register(cpr=CPR_A, summary="Nyt sundhedskort")

    listed = api_for(staff.frontline).get(URL).json()["results"]

    assert [(c["id"], c["summary"], c["redacted"]) for c in listed] == [
        (own.pk, "Nyt sundhedskort", False),
        (benefits.pk, None, True),
        (building.pk, None, True),
    ]
    assert [c["unit"] for c in listed] == [
        org.contact_centre.pk,
        org.benefits_unit.pk,
        org.building_unit.pk,
    ]


def test_a_name_without_a_number_is_the_contacts_stated_name_withheld_with_its_summary(
    api_for: ApiFor, org: Org, staff: Staff
) -> None:
    anonymous = api_for(staff.frontline).post(URL, body(name=" Anna Hansen "), format="json")
    named = api_for(staff.frontline).post(URL, body(cpr=CPR_A, name="Karen Jensen"), format="json")
    elsewhere = api_for(staff.caseworker).post(URL, body(name="Ole Olsen"), format="json")

    assert (anonymous.status_code, named.status_code, elsewhere.status_code) == (201, 201, 201)
    assert (anonymous.json()["party"], anonymous.json()["stated_name"]) == (None, "Anna Hansen")
    # With a number the name names the new party, as before; the contact keeps none of its own.
    assert named.json()["stated_name"] == ""
    assert Party.objects.get().name == "Karen Jensen"
    listed = api_for(staff.frontline).get(URL).json()["results"]
    assert [(c["stated_name"], c["redacted"]) for c in listed] == [
        (None, True),  # the building department's contact: its content is withheld
        ("", False),
        ("Anna Hansen", False),
    ]
    detail = api_for(staff.caseworker).get(f"{URL}{elsewhere.json()['id']}/")
    assert detail.json()["stated_name"] == "Ole Olsen"


def test_admin_sees_every_contact_in_full(
    api_for: ApiFor, register: RegisterContact, org: Org, staff: Staff
) -> None:
    _department_contacts(register, org, staff)

    listed = api_for(staff.admin).get(URL).json()["results"]

    assert [c["summary"] for c in listed] == ["Boligstøtte", "Carport"]


def test_list_filters_by_party_and_channel(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    mine = register(cpr=CPR_A, channel="email")
    register(cpr=CPR_A, channel="phone")
    register(cpr=CPR_B, channel="email")

    filters = {"party": str(mine.party_id), "channel": "email"}
    listed = api_for(staff.admin).get(URL, filters).json()

    assert [c["id"] for c in listed["results"]] == [mine.pk]
    bad = api_for(staff.admin).get(URL, {"channel": "fax"})
    assert (bad.status_code, bad.json()) == (400, {"channel": ['"fax" er ikke et gyldigt valg.']})


def test_list_spends_the_same_few_queries_whatever_the_number_of_contacts(
    api_for: ApiFor,
    register: RegisterContact,
    staff: Staff,
    tasks: dict[str, Task],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    api = api_for(staff.frontline)
    register(cpr=CPR_A, task=tasks["heating"])
    # token+user+scope in one, the page (no count), one insert into the access log
    with django_assert_num_queries(3):
        api.get(URL)
    for n in range(20):
        register(cpr=CPR_B if n % 2 else CPR_A, task=tasks["heating"], summary=f"Nr. {n}")
    with django_assert_num_queries(3):
        assert len(api.get(URL).json()["results"]) == 21


def test_post_spends_a_constant_handful_of_queries(
    api_for: ApiFor,
    staff: Staff,
    register: RegisterContact,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    api = api_for(staff.frontline)
    register(cpr=CPR_A)
    with django_assert_max_num_queries(8):
        assert api.post(URL, body(cpr=CPR_A), format="json").status_code == 201


def test_a_task_is_remembered_briefly_so_a_retired_one_is_refused_within_that_time(
    api_for: ApiFor,
    staff: Staff,
    tasks: dict[str, Task],
    settings: Settings,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    settings.API_CACHE_SECONDS = 0.5
    api = api_for(staff.frontline)
    heating = tasks["heating"]
    assert api.post(URL, body(cpr=CPR_A, task=heating.pk), format="json").status_code == 201
    Task.objects.filter(pk=heating.pk).update(is_active=False)

    # Token and task remembered: the registration's one statement (SQLite: its savepoint, the
    # party's look-up, thread and contact).
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
        assert api.post(URL, body(cpr=CPR_A, task=heating.pk), format="json").status_code == 201
    time.sleep(0.6)
    refused = api.post(URL, body(cpr=CPR_B, task=heating.pk), format="json")

    assert (refused.status_code, refused.json()) == (
        400,
        {"task": [f"Opgaven {heating.title} er ikke længere i brug."]},
    )
    assert Contact.objects.count() == 2


def test_retrieve_uses_the_lists_permission_path_and_logs_the_read(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    contact = register(cpr=CPR_A)

    assert api_for(staff.caseworker).get(f"{URL}{contact.pk}/").status_code == 404
    assert AccessLogEntry.objects.count() == 0
    seen = api_for(staff.frontline).get(f"{URL}{contact.pk}/", {"purpose": "casework"})
    assert seen.json()["summary"] == "Spørger om fjernvarme"
    assert list(AccessLogEntry.objects.values_list("party_id", "action", "purpose")) == [
        (contact.party_id, "viewed_contact", "casework")
    ]


def test_listing_logs_one_read_per_party_on_the_page(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    first = register(cpr=CPR_A)
    register(cpr=CPR_A)
    second = register(cpr=CPR_B)
    register(summary="Anonym")

    api_for(staff.frontline).get(URL)

    assert sorted(
        AccessLogEntry.objects.values_list("party_id", "action", "user__username", "via")
    ) == sorted(
        [
            (first.party_id, "listed_contacts", "front", "api"),
            (second.party_id, "listed_contacts", "front", "api"),
        ]
    )


def test_a_caseworker_cannot_join_a_thread_of_another_department(
    api_for: ApiFor, register: RegisterContact, org: Org, staff: Staff
) -> None:
    theirs = register(cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED)

    response = api_for(staff.caseworker).post(
        URL, body(cpr=CPR_A, thread=theirs.thread_id), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"thread": [f"Forløbet {theirs.thread_id} findes ikke."]}
    assert Contact.objects.count() == 1


def test_a_contact_without_a_task_is_triaged_in_the_background(
    api_for: ApiFor,
    staff: Staff,
    tasks: dict[str, Task],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(staff.frontline).post(
            URL, body(cpr=CPR_A, summary="Tilslutning til fjernvarme i ny bolig"), format="json"
        )

    contact_id = response.json()["id"]
    triaged = (
        RoutingDecision.objects.filter(contact_id=contact_id).count()
        + QueueItem.objects.filter(contact_id=contact_id).count()
    )
    assert triaged == 1
