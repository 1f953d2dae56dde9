"""Cases in the 360: the applicant's and each other party's, through the cases permission path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from indgang.audit.models import AccessLogEntry
from indgang.cases.constants import CasePartyRole
from indgang.cases.models import Case, CaseParty
from indgang.cases.services import NewApplication, receive_application
from indgang.conftest import CPR_A, CPR_B, ApiFor, Org, RegisterContact, Staff, staff_client
from indgang.organisation.selectors import get_scope
from indgang.overview.selectors import has_reason
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser(db: None) -> Party:
    return get_or_create_citizen(cpr=CPR_B, name="Rådgiver Rask")


def application(staff: Staff, org: Org, *, adviser: Party | None = None, days_ago: int = 5) -> Case:
    """A building application from CPR_A, with the adviser acting for the applicant."""
    case = receive_application(
        new=NewApplication(
            area="building",
            category_code="building-single-family",
            received_at=timezone.now() - dt.timedelta(days=days_ago),
            cpr=CPR_A,
            party_name="Karen Jensen",
            property_address="Byvej 1, 9999 Testby",
            unit=org.building_unit,
        ),
        received_by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )
    if adviser is not None:
        CaseParty.objects.create(case=case, party=adviser, role=CasePartyRole.ADVISER)
    return case


def page_for(user: User, party_id: int) -> str:
    response = staff_client(user).get(f"/parties/{party_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_360_of_the_applicant_and_of_the_adviser_show_the_case_with_the_role(
    staff: Staff, org: Org, adviser: Party
) -> None:
    case = application(staff, org, adviser=adviser)

    applicant_page = page_for(staff.caseworker, case.party_id)
    adviser_page = page_for(staff.caseworker, adviser.pk)

    row = f'<tr data-case="{case.pk}"><td><a href="/cases/{case.pk}/">Ansøgning {case.pk}'
    for page, role in ((applicant_page, "Ansøger"), (adviser_page, "Rådgiver")):
        assert row in page
        assert f"<td>{role}</td>" in page
    assert list(
        AccessLogEntry.objects.order_by("pk").values_list("party_id", "action", "detail")
    ) == [
        (case.party_id, "viewed_overview", "contacts=0 threads=0 cases=1"),
        (adviser.pk, "viewed_overview", "contacts=0 threads=0 cases=1"),
    ]


def test_the_front_line_sees_no_case_in_the_360(
    staff: Staff, org: Org, register: RegisterContact
) -> None:
    case = application(staff, org)
    register(cpr=CPR_A, summary="Spørger til sin byggesag")  # the front line's own reason

    page = page_for(staff.frontline, case.party_id)

    assert "Spørger til sin byggesag" in page
    assert f'data-case="{case.pk}"' not in page and "Ingen sager, du må se." in page


def test_a_case_role_is_a_reason_for_its_department_only(
    staff: Staff, org: Org, adviser: Party
) -> None:
    application(staff, org, adviser=adviser)
    now = timezone.now()

    def reason(user: User) -> bool:
        return has_reason(user=user, scope=get_scope(user=user), party_id=adviser.pk, now=now)

    assert (reason(staff.caseworker), reason(staff.other_caseworker)) == (True, False)


def test_the_api_360_lists_the_cases_in_constant_statements(
    api_for: ApiFor,
    staff: Staff,
    org: Org,
    adviser: Party,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    first = application(staff, org, adviser=adviser, days_ago=9)
    api = api_for(staff.caseworker)
    url = f"/api/v1/parties/{adviser.pk}/overview/"

    # token with scope, the party, its contacts, its cases, the access-log row
    with django_assert_num_queries(5):
        one = api.get(url).json()["cases"]
    second = application(staff, org, adviser=adviser, days_ago=2)
    CaseParty.objects.create(case=second, party=adviser, role=CasePartyRole.OWNER)
    with django_assert_num_queries(5):
        two = api.get(url).json()["cases"]
    refused = api_for(staff.other_caseworker).get(url)

    assert [(c["id"], c["kind"], c["state"], c["role"]) for c in one] == [
        (first.pk, "application", "received", "adviser")
    ]
    # The newest first; a party with two roles on a case shows the first in order.
    assert [(c["id"], c["role"], c["unit"]) for c in two] == [
        (second.pk, "adviser", org.building_unit.pk),
        (first.pk, "adviser", org.building_unit.pk),
    ]
    assert refused.status_code == 403
