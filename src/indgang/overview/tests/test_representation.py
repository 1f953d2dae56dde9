"""The API's hand-written representations of contacts and the 360 equal DRF's generic ones.

ContactSerializer, ThreadViewSerializer and PartyOverviewSerializer build their output directly
for speed; their declared fields still say what it must be. These tests run DRF's generic,
field-by-field path on the same objects and compare.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, CPR_B, Org, RegisterContact, Staff
from indgang.contacts.api.serializers import ContactSerializer, represent_datetime
from indgang.contacts.constants import Direction, Outcome
from indgang.contacts.models import Contact
from indgang.contacts.selectors import list_contacts_for, with_api_fields
from indgang.organisation.requests import remember_scope
from indgang.organisation.selectors import get_scope
from indgang.overview.api.serializers import PartyOverviewSerializer, ThreadViewSerializer
from indgang.overview.selectors import get_party_overview


def _context(user: User) -> dict[str, Any]:
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    remember_scope(request, get_scope(user=user))
    return {"request": request}


def _generic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the three serializers take DRF's generic path."""
    monkeypatch.setattr(
        ContactSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    for serializer in (ThreadViewSerializer, PartyOverviewSerializer):
        monkeypatch.setattr(
            serializer, "to_representation", serializers.Serializer.to_representation
        )


@pytest.fixture
def contacts(register: RegisterContact, org: Org, tasks: dict[str, Task]) -> list[Contact]:
    """Contacts with and without party, task, topic, handler, duration and outcome."""
    first = register(cpr=CPR_A, task=tasks["heating"], duration_seconds=125)
    return [
        first,
        register(cpr=CPR_A, thread=first.thread, channel=Channel.EMAIL, summary="Igen"),
        register(
            cpr=CPR_B,
            task=tasks["groundwater"],
            unit=org.benefits_unit,
            outcome=Outcome.FORWARDED,
            direction=Direction.OUTBOUND,
        ),
        register(summary="Anonym\nmed flere linjer", outcome=Outcome.RESOLVED_AT_FIRST_CONTACT),
    ]


@pytest.mark.parametrize("reader", ["frontline", "caseworker", "other_caseworker", "admin"])
def test_contact_as_the_generic_path_writes_it(
    contacts: list[Contact], staff: Staff, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user: User = getattr(staff, reader)
    scope = get_scope(user=user)
    loaded = [
        *list_contacts_for(scope=scope),  # the display joins, as the pages load them
        *with_api_fields(list_contacts_for(scope=scope)),  # annotations, as the API does
        *Contact.objects.all(),  # nothing joined: relations load on use
    ]
    fast = [ContactSerializer(contact, context=_context(user)).data for contact in loaded]
    _generic(monkeypatch)
    generic = [ContactSerializer(contact, context=_context(user)).data for contact in loaded]

    assert fast == generic
    assert any(row["redacted"] for row in fast) == (reader != "admin")


@pytest.mark.parametrize("reader", ["frontline", "caseworker", "other_caseworker"])
def test_overview_as_the_generic_path_writes_it(
    contacts: list[Contact], staff: Staff, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user: User = getattr(staff, reader)

    def overview(party_id: int | None) -> Any:
        assert party_id is not None
        # Looked up by number first: the reason to read a 360 outside one's departments.
        log_access(
            user=user,
            party_id=party_id,
            action=AccessAction.LOOKED_UP,
            purpose=Purpose.CONTACT,
            via=Via.API,
            at=timezone.now(),
        )
        read = get_party_overview(
            user=user,
            scope=get_scope(user=user),
            party_id=party_id,
            purpose=Purpose.CONTACT,
            via=Via.API,
            now=timezone.now(),
            for_api=True,
        )
        return json.loads(json.dumps(PartyOverviewSerializer(read, context=_context(user)).data))

    parties = {contact.party_id for contact in contacts if contact.party_id}
    fast = [overview(party_id) for party_id in sorted(parties)]
    _generic(monkeypatch)
    generic = [overview(party_id) for party_id in sorted(parties)]

    assert fast == generic


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 2, 9, 15, 30, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 2, 9, 15, 30, 120, tzinfo=dt.UTC),
        dt.datetime(1901, 12, 13, 20, 45, 52, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 30, 12, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 0, 59, 59, tzinfo=dt.UTC),  # the night summer time begins
        dt.datetime(2026, 3, 2, 9, 15),  # noqa: DTZ001 - naive on purpose: DRF makes it aware
        None,
    ],
)
@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "UTC", "America/Nuuk"])
def test_datetimes_as_drf_writes_them(value: dt.datetime | None, zone: str) -> None:
    field = serializers.DateTimeField()
    with timezone.override(zone):
        expected = None if value is None else field.to_representation(value)
        if expected is not None and re.search(r"[+-]\d\d:\d\d:\d\d$", expected):
            # A local mean time (Nuuk's -03:26:40 until 1916) is written in UTC instead.
            assert value is not None
            expected = value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        assert represent_datetime(value) == expected


def test_local_mean_time_is_never_written() -> None:
    with timezone.override("Europe/Copenhagen"):
        assert represent_datetime(dt.datetime(1850, 6, 1, 12, tzinfo=dt.UTC)) == (
            "1850-06-01T12:00:00Z"
        )
        assert represent_datetime(dt.datetime(1901, 6, 1, 12, tzinfo=dt.UTC)) == (
            "1901-06-01T13:00:00+01:00"
        )
