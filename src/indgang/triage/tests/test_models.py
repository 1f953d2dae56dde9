"""How routing decisions are stored: the two foreign keys most decisions leave empty."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from indgang.catalogue.models import Task
from indgang.conftest import RegisterContact, Staff
from indgang.triage.models import RoutingDecision
from indgang.triage.services import record_routing, triage_contact


def _plan(queryset: QuerySet[RoutingDecision]) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The tables are tiny, where a scan is cheapest: ask whether the index can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_deleting_a_user_or_a_successor_looks_up_decisions_by_the_partial_indexes(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff
) -> None:
    automatic = triage_contact(
        contact=register(summary="Der er rotter i haven"), now=timezone.now()
    )
    contact = register(summary="Rotter ved skraldespandene")
    earlier = record_routing(
        contact=contact, task=catalogue["rats"], decided_by=staff.frontline, now=timezone.now()
    )
    later = record_routing(
        contact=contact, task=catalogue["building"], decided_by=staff.caseworker, now=timezone.now()
    )

    by_user = RoutingDecision.objects.filter(decided_by__in=[staff.caseworker])
    by_successor = RoutingDecision.objects.filter(superseded_by__in=[later])
    assert "triage_decision_decided_by" in _plan(by_user)
    assert "triage_decision_superseded_by" in _plan(by_successor)

    with pytest.raises(ProtectedError):
        staff.caseworker.delete()
    later.delete()
    earlier.refresh_from_db()
    assert earlier.superseded_by is None
    assert isinstance(automatic, RoutingDecision)
    assert (automatic.decided_by, automatic.superseded_by) == (None, None)
    assert list(RoutingDecision.objects.values_list("pk", flat=True)) == [earlier.pk, automatic.pk]
