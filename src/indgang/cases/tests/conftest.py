"""Fixtures for the cases app: an application received through the service, and a walker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from indgang.cases.models import Case
from indgang.cases.services import NewApplication, receive_application, take_action
from indgang.conftest import CPR_A, PASSWORD, Org, Staff
from indgang.organisation.constants import Role
from indgang.organisation.selectors import get_scope
from indgang.organisation.services import ensure_staff_user

Receive = Callable[..., Case]
Act = Callable[..., Case]

# The reasons every decision states (forvaltningsloven § 22); its letter prints them.
REASONS = "Projektet følger reglerne i bygningsreglementet."


def noon(days_ago: int) -> dt.datetime:
    """Noon on the Danish calendar day `days_ago` days back: whole calendar days apart whatever
    the time of day and the change to or from summer time (the servicemål clock counts Danish
    calendar days; stepping back in UTC hours can land on the next one late in the evening)."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def second_caseworker(org: Org) -> User:
    """Another caseworker of the building unit: the second pair of eyes."""
    return ensure_staff_user(
        username="byg2",
        password=PASSWORD,
        full_name="Byg To",
        roles=[(Role.CASEWORKER, org.building_dept, org.building_unit)],
    )


@pytest.fixture
def receive(staff: Staff, org: Org) -> Receive:
    """Receive an application in the building unit, 60 days ago unless told otherwise."""

    def _receive(by: User | None = None, **fields: Any) -> Case:
        by = by or staff.caseworker
        fields.setdefault("area", "building")
        fields.setdefault("category_code", "building-single-family")
        fields.setdefault("received_at", timezone.now() - dt.timedelta(days=60))
        fields.setdefault("cpr", CPR_A)
        fields.setdefault("property_address", "Byvej 1, 9999 Testby")
        fields.setdefault("unit", org.building_unit)
        return receive_application(
            new=NewApplication(**fields),
            received_by=by,
            scope=get_scope(user=by),
            now=timezone.now(),
        )

    return _receive


@pytest.fixture
def act(staff: Staff) -> Act:
    """Take an action on a case as a user (the building caseworker unless told otherwise)."""

    def _act(case: Case, action: str, by: User | None = None, **fields: Any) -> Case:
        by = by or staff.caseworker
        return take_action(
            case_id=case.pk,
            action=action,
            by=by,
            scope=get_scope(user=by),
            now=fields.pop("now", timezone.now()),
            **fields,
        )

    return _act
