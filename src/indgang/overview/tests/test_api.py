from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.conftest import CPR_A, ApiFor, Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.overview.selectors import OVERVIEW_CONTACT_LIMIT


def test_front_line_sees_another_departments_thread_without_its_subject(
    api_for: ApiFor, register: RegisterContact, org: Org, staff: Staff
) -> None:
    forwarded = register(
        cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED, summary="Boligstøtte"
    )

    overview = api_for(staff.frontline).get(f"/api/v1/parties/{forwarded.party_id}/overview/")

    thread = overview.json()["threads"][0]
    assert thread["subject"] is None
    assert [(c["summary"], c["redacted"], c["unit"]) for c in thread["contacts"]] == [
        (None, True, org.benefits_unit.pk)
    ]


def test_caseworker_of_the_department_sees_the_subject(
    api_for: ApiFor, register: RegisterContact, org: Org, staff: Staff
) -> None:
    contact = register(
        cpr=CPR_A, unit=org.building_unit, outcome=Outcome.FORWARDED, summary="Carport\nmere"
    )

    thread = api_for(staff.caseworker).get(f"/api/v1/parties/{contact.party_id}/overview/")

    assert thread.json()["threads"][0]["subject"] == "Carport"


def test_overview_records_the_purpose_given(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    contact = register(cpr=CPR_A)

    api_for(staff.frontline).get(
        f"/api/v1/parties/{contact.party_id}/overview/", {"purpose": "routing"}
    )

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.purpose, entry.via, entry.detail) == (
        staff.frontline,
        "viewed_overview",
        "routing",
        "api",
        "contacts=1 threads=1 cases=0",
    )


def test_unknown_purpose_or_party_is_refused_without_a_log_entry(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    contact = register(cpr=CPR_A)
    api = api_for(staff.frontline)

    bad_purpose = api.get(f"/api/v1/parties/{contact.party_id}/overview/", {"purpose": "nysgerrig"})
    unknown = api.get("/api/v1/parties/999999/overview/")
    beyond_any_id = api.get(f"/api/v1/parties/{2**63}/overview/")

    assert (bad_purpose.status_code, bad_purpose.json()) == (
        400,
        {"purpose": ['"nysgerrig" er ikke et gyldigt valg.']},
    )
    for refused in (unknown, beyond_any_id):
        assert (refused.status_code, refused.json()) == (
            404,
            {"detail": "Findes ikke, eller du må ikke se den."},
        )
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["frontline", "caseworker"])
def test_only_managers_and_administrators_read_the_access_log(
    api_for: ApiFor, register: RegisterContact, staff: Staff, role: str
) -> None:
    contact = register(cpr=CPR_A)

    response = api_for(getattr(staff, role)).get(f"/api/v1/parties/{contact.party_id}/access-log/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Kun ledere og administratorer må læse adgangsloggen."}
    assert AccessLogEntry.objects.count() == 0


def test_party_lookup_by_exact_cpr_is_logged_and_partial_numbers_are_refused(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    contact = register(cpr=CPR_A, party_name="Karen Jensen")
    api = api_for(staff.frontline)

    found = api.get("/api/v1/parties/", {"cpr": "010190-1234"})
    partial = api.get("/api/v1/parties/", {"cpr": "010190"})
    neither = api.get("/api/v1/parties/")
    unknown = api.get("/api/v1/parties/", {"cvr": "29604010"})

    assert found.json() == {
        "count": 1,
        "results": [
            {
                "id": contact.party_id,
                "kind": "citizen",
                "name": "Karen Jensen",
                "identifier": "010190-xxxx",
                "cvr": None,
                "email": "",
                "phone": "",
                "address": "",
                "match": "number",
                "may_open": True,
            }
        ],
    }
    assert (partial.status_code, partial.json()) == (
        400,
        {"cpr": ["Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX)."]},
    )
    assert (neither.status_code, neither.json()) == (
        400,
        {"non_field_errors": ["Angiv præcis én af cpr, cvr eller q."]},
    )
    assert unknown.json() == {"count": 0, "results": []}
    assert list(AccessLogEntry.objects.values_list("action", "via")) == [("looked_up", "api")]


def test_a_busy_partys_360_shows_the_newest_fifty_and_says_there_are_more(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    start = timezone.now() - dt.timedelta(days=1)
    contacts = [
        register(cpr=CPR_A, summary=f"Henvendelse {n}", received_at=start + dt.timedelta(minutes=n))
        for n in range(OVERVIEW_CONTACT_LIMIT + 1)
    ]
    party_id = contacts[0].party_id

    overview = api_for(staff.frontline).get(f"/api/v1/parties/{party_id}/overview/").json()

    shown = [c["id"] for thread in overview["threads"] for c in thread["contacts"]]
    assert OVERVIEW_CONTACT_LIMIT == 50
    assert shown == [c.pk for c in reversed(contacts[1:])]
    assert (overview["contact_count"], overview["truncated"]) == (50, True)
    api = api_for(staff.frontline)
    first = api.get(f"/api/v1/contacts/?party={party_id}").json()
    rest = api.get(first["next"]).json()
    assert [c["id"] for c in first["results"] + rest["results"]] == [
        c.pk for c in reversed(contacts)
    ]
    assert rest["next"] is None
