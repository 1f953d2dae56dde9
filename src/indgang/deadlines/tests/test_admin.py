from __future__ import annotations

import datetime as dt

from django.test import Client

from indgang.conftest import Org
from indgang.deadlines.models import ClosedDate, DeadlineRule, MunicipalCalendar


def test_an_administrator_closes_the_town_hall_for_a_day_in_the_admin(
    administrator: Client, org: Org
) -> None:
    calendar = MunicipalCalendar.objects.create(municipality=org.frontline_dept.municipality)

    response = administrator.post(
        f"/admin/deadlines/municipalcalendar/{calendar.pk}/change/",
        {
            "municipality": org.frontline_dept.municipality_id,
            "closing_days": '["grundlovsdag"]',
            "opening_hours": '{"0": ["08:00", "15:00"]}',
            "closed_dates-TOTAL_FORMS": "1",
            "closed_dates-INITIAL_FORMS": "0",
            "closed_dates-0-date": "2026-12-28",
            "closed_dates-0-reason": "Flytning",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(ClosedDate.objects.values_list("date", "reason")) == [
        (dt.date(2026, 12, 28), "Flytning")
    ]
    assert DeadlineRule.objects.count() == 0
