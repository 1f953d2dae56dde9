"""A party's 360 and access log need a reason: the leaks issue 18 found, closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.conftest import (
    CPR_A,
    CPR_B,
    ApiFor,
    Org,
    RegisterContact,
    Staff,
    staff_client,
)
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.services import start_deadline
from indgang.organisation.selectors import get_scope
from indgang.overview.selectors import LOOKUP_REASON, has_reason

NO_REASON = (
    "Du har ingen grund til at se denne borger eller virksomhed: slå dem op på det fulde CPR- "
    "eller CVR-nummer med et formål."
)
NOT_DEALT_WITH = (
    "Du må kun læse adgangsloggen for borgere og virksomheder, som dine forvaltninger har haft "
    "med at gøre."
)


@pytest.fixture
def benefits_citizen(register: RegisterContact, staff: Staff) -> Contact:
    """A citizen only the benefits department has dealt with."""
    return register(
        by=staff.other_caseworker, cpr=CPR_A, party_name="Karen Jensen", summary="Boligstøtte"
    )


def test_a_caseworker_may_not_read_the_360_of_a_party_their_department_never_dealt_with(
    api_for: ApiFor, staff: Staff, benefits_citizen: Contact
) -> None:
    party_id = benefits_citizen.party_id

    api = api_for(staff.caseworker).get(f"/api/v1/parties/{party_id}/overview/")
    page = staff_client(staff.caseworker).get(f"/parties/{party_id}/")

    assert (api.status_code, api.json()) == (403, {"detail": NO_REASON})
    assert page.status_code == 403
    html = page.content.decode()
    assert NO_REASON in html and "Karen Jensen" not in html and "Boligstøtte" not in html
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.parametrize("via", ["api", "ui"])
def test_a_look_up_by_exact_number_with_a_purpose_opens_the_360_for_an_hour(
    api_for: ApiFor, staff: Staff, benefits_citizen: Contact, via: str
) -> None:
    party_id = benefits_citizen.party_id
    api = api_for(staff.caseworker)
    if via == "api":
        found = api.get("/api/v1/parties/", {"cpr": CPR_A, "purpose": "casework"})
        assert found.json()["results"][0]["name"] == "Karen Jensen"
    else:
        page = staff_client(staff.caseworker).post("/parties/lookup/", {"identifier": CPR_A})
        assert "Karen Jensen" in page.content.decode()

    overview = api.get(f"/api/v1/parties/{party_id}/overview/", {"purpose": "casework"})

    assert overview.status_code == 200
    body = overview.json()
    assert body["party"]["name"] == "Karen Jensen"
    assert body["threads"] == []  # the look-up opens the party, not another department's contacts
    assert list(AccessLogEntry.objects.order_by("pk").values_list("action", "purpose", "via")) == [
        ("looked_up", "casework" if via == "api" else "contact", via),
        ("viewed_overview", "casework", "api"),
    ]
    # An hour later the look-up no longer counts.
    AccessLogEntry.objects.filter(action=AccessAction.LOOKED_UP).update(
        at=timezone.now() - LOOKUP_REASON - dt.timedelta(seconds=1)
    )
    assert api.get(f"/api/v1/parties/{party_id}/overview/").status_code == 403


def test_another_users_look_up_is_no_reason(
    api_for: ApiFor, staff: Staff, benefits_citizen: Contact
) -> None:
    api_for(staff.frontline).get("/api/v1/parties/", {"cpr": CPR_A})

    response = api_for(staff.caseworker).get(
        f"/api/v1/parties/{benefits_citizen.party_id}/overview/"
    )

    assert response.status_code == 403


def test_the_front_line_keeps_the_360_of_a_contact_it_registered_and_forwarded(
    staff: Staff, org: Org, register: RegisterContact
) -> None:
    forwarded = register(
        cpr=CPR_A, unit=org.benefits_unit, outcome=Outcome.FORWARDED, summary="Hemmeligt"
    )

    page = staff_client(staff.frontline).get(f"/parties/{forwarded.party_id}/")
    someone_elses = staff_client(staff.manager).get(f"/parties/{forwarded.party_id}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Hemmeligt" not in html and "En anden forvaltnings henvendelse" in html
    assert someone_elses.status_code == 403


def test_a_deadline_of_the_department_on_the_partys_thread_is_a_reason(
    staff: Staff, org: Org, benefits_citizen: Contact
) -> None:
    scope = get_scope(user=staff.caseworker)
    party_id = benefits_citizen.party_id
    assert party_id is not None
    assert not has_reason(user=staff.caseworker, scope=scope, party_id=party_id, now=timezone.now())

    deadline = start_deadline(
        kind=DeadlineKind.INQUIRY,
        subject=benefits_citizen.thread,
        by=staff.other_caseworker,
        now=timezone.now(),
        length=10,
    )
    deadline.department = org.building_dept  # as if the building department kept the clock
    deadline.save(update_fields=["department"])

    assert has_reason(user=staff.caseworker, scope=scope, party_id=party_id, now=timezone.now())


def test_the_reason_costs_no_statement_when_a_contact_read_is_one_and_one_when_not(
    api_for: ApiFor,
    staff: Staff,
    register: RegisterContact,
    benefits_citizen: Contact,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    own = register(by=staff.caseworker, cpr=CPR_B, summary="Carport")
    api = api_for(staff.caseworker)
    api.get("/api/v1/parties/", {"cpr": CPR_A})  # a look-up: the reason for the other citizen

    # token with scope, the party, its contacts (compiled), its cases, the access-log row
    with django_assert_num_queries(5):
        assert api.get(f"/api/v1/parties/{own.party_id}/overview/").status_code == 200
    # no contact the caseworker sees: one EXISTS query finds the look-up
    with django_assert_num_queries(6):
        response = api.get(f"/api/v1/parties/{benefits_citizen.party_id}/overview/")
        assert response.status_code == 200


def test_a_manager_reads_the_access_log_only_of_parties_their_departments_dealt_with(
    api_for: ApiFor, staff: Staff, register: RegisterContact, benefits_citizen: Contact
) -> None:
    own = register(by=staff.frontline, cpr=CPR_B, summary="Sundhedskort")
    api = api_for(staff.manager)  # manager of the front line's department

    dealt_with = api.get(f"/api/v1/parties/{own.party_id}/access-log/")
    other = api.get(f"/api/v1/parties/{benefits_citizen.party_id}/access-log/")
    page = staff_client(staff.manager).get(f"/parties/{benefits_citizen.party_id}/access-log/")
    unknown = api.get("/api/v1/parties/999999/access-log/")
    beyond_any_id = api.get(f"/api/v1/parties/{2**63}/access-log/")
    by_admin = api_for(staff.admin).get(f"/api/v1/parties/{benefits_citizen.party_id}/access-log/")

    assert dealt_with.status_code == 200
    assert (other.status_code, other.json()) == (403, {"detail": NOT_DEALT_WITH})
    assert page.status_code == 403 and NOT_DEALT_WITH in page.content.decode()
    assert (unknown.status_code, beyond_any_id.status_code) == (404, 404)
    assert by_admin.status_code == 200
    assert list(
        AccessLogEntry.objects.order_by("pk").values_list(
            "party_id", "user__username", "purpose", "via"
        )
    ) == [
        (own.party_id, "leder", Purpose.SUPERVISION, Via.API),
        (benefits_citizen.party_id, "admin", Purpose.SUPERVISION, Via.API),
    ]
