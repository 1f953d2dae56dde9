"""An application linked to its pre-application meeting, and the servicemål report's
comparison of cases with and without one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from indgang.bookings.models import Booking, Slot
from indgang.bookings.tests.conftest import publish
from indgang.cases.models import Case
from indgang.cases.reports import servicemal_report
from indgang.cases.tests.conftest import Act, Receive
from indgang.cases.tests.test_reports_api import decide
from indgang.conftest import CPR_B, Org, Staff
from indgang.organisation.selectors import get_scope
from indgang.parties.services import get_or_create_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org: Org, staff: Staff) -> Booking:
    today = timezone.localdate()
    slot: Slot = publish(org, staff, today - dt.timedelta(days=90), today - dt.timedelta(days=80))[
        0
    ]
    return Booking.objects.create(
        slot=slot,
        party=get_or_create_citizen(cpr=CPR_B, name="Rådgiver Jensen"),
        booked_at=slot.starts_at - dt.timedelta(days=7),
        booked_by=staff.frontline,
    )


def test_an_application_from_a_meeting_links_it_and_takes_its_party(
    receive: Receive, meeting: Booking
) -> None:
    case = receive(cpr=None, meeting_id=meeting.pk)

    assert (case.meeting, case.party) == (meeting, meeting.party)


def test_a_meeting_the_user_may_not_see_is_refused_and_nothing_is_stored(
    receive: Receive, meeting: Booking, staff: Staff, org: Org
) -> None:
    with pytest.raises(ValidationError) as refused:
        receive(by=staff.other_caseworker, cpr=None, meeting_id=meeting.pk, unit=org.benefits_unit)

    assert refused.value.message_dict["meeting"] == [
        "Der er ikke noget sådant forhåndsdialogmøde, som du må se."
    ]
    assert not Case.objects.exists()


def test_the_report_counts_a_linked_meeting_as_with_one(
    receive: Receive, act: Act, meeting: Booking, staff: Staff
) -> None:
    decide(act, receive(), informed_days_ago=50, decided_days_ago=20)  # 30 days
    linked = receive(meeting_id=meeting.pk)
    decide(act, linked, informed_days_ago=55, decided_days_ago=10)  # 45 days: over 40
    dated = receive()
    Case.objects.filter(pk=dated.pk).update(pre_meeting_on=dt.date(2026, 1, 5))
    decide(act, dated, informed_days_ago=45, decided_days_ago=10)  # 35 days
    today = timezone.localdate()

    report = servicemal_report(
        scope=get_scope(user=staff.caseworker),
        decided_from=today - dt.timedelta(days=30),
        decided_to=today,
        today=today,
    )

    assert [
        (row.key, row.decided, row.on_target, row.median_days) for row in report.by_pre_meeting
    ] == [("with", 2, 1, 40.0), ("without", 1, 1, 30.0)]
