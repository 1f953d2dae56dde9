"""The contact page's edit and re-route move a contact between the rollups' buckets (by the
database triggers, with no call from the page)."""

from __future__ import annotations

import pytest

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import CPR_A, Org, RegisterContact, Staff, staff_client
from indgang.contacts.constants import Outcome
from indgang.statistics.models import ContactCount
from indgang.statistics.services import fold_new_contact_counts
from indgang.statistics.tests.checks import assert_rollups_match_register

pytestmark = pytest.mark.django_db


def buckets() -> list[tuple[int, int, int, str, int]]:
    fold_new_contact_counts()
    return sorted(
        ContactCount.objects.filter(contacts__gt=0).values_list(
            "department_id", "unit_id", "task_id", "channel", "contacts"
        )
    )


def test_an_edit_and_a_reroute_move_the_contact_between_buckets(
    register: RegisterContact, staff: Staff, tasks: dict[str, Task], org: Org
) -> None:
    contact = register(
        by=staff.caseworker,
        cpr=CPR_A,
        task=tasks["heating"],
        outcome=Outcome.FORWARDED,
        unit=org.building_unit,
    )
    client = staff_client(staff.caseworker)
    building = (org.building_dept.pk, org.building_unit.pk, tasks["heating"].pk)
    assert buckets() == [(*building, Channel.PHONE, 1)]

    client.post(
        f"/contacts/{contact.pk}/edit/",
        {"summary": contact.summary, "channel": Channel.EMAIL, "outcome": Outcome.FORWARDED},
    )
    assert buckets() == [(*building, Channel.EMAIL, 1)]

    client.post(f"/contacts/{contact.pk}/reroute/", {"task": tasks["groundwater"].pk})

    benefits = (org.benefits_dept.pk, org.benefits_unit.pk, tasks["groundwater"].pk)
    assert buckets() == [(*benefits, Channel.EMAIL, 1)]
    assert_rollups_match_register()
