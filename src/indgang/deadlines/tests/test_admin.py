from __future__ import annotations

import datetime as dt
import json

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
            "closing_days": '["constitution_day"]',
            "opening_hours": json.dumps([["08:00", "15:00"]] * 4 + [["08:00", "13:00"]]),
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


def test_the_admin_refuses_a_calendar_the_deadlines_cannot_read(
    administrator: Client, org: Org
) -> None:
    calendar = MunicipalCalendar.objects.create(municipality=org.frontline_dept.municipality)
    before = (calendar.closing_days, calendar.opening_hours)

    response = administrator.post(
        f"/admin/deadlines/municipalcalendar/{calendar.pk}/change/",
        {
            "municipality": org.frontline_dept.municipality_id,
            "closing_days": '["grundlovsdag"]',
            "opening_hours": '{"mandag": ["08:00", "15:00"]}',
            "closed_dates-TOTAL_FORMS": "0",
            "closed_dates-INITIAL_FORMS": "0",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Angiv lukkedagene som koder blandt: christmas_eve, constitution_day" in html
    assert "Angiv åbningstiderne mandag til fredag som fem par" in html
    calendar.refresh_from_db()
    assert (calendar.closing_days, calendar.opening_hours) == before
