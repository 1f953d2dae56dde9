"""Queue numbers drawn and visitors called at once, on PostgreSQL (collected there only)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from indgang.bookings.models import Desk, Visit
from indgang.bookings.queue import call_next, draw_number
from indgang.common.tests.concurrency import at_once
from indgang.conftest import Org, Staff

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_numbers_drawn_at_once_are_each_given_once(org: Org, staff: Staff) -> None:
    unit = Desk.objects.create(unit=org.contact_centre, name="Skranke 1").unit
    now = timezone.now()

    def draw_five(_thread: int) -> None:
        for _ in range(5):
            draw_number(unit=unit, drawn_by=staff.frontline, now=now)

    at_once(draw_five, threads=THREADS)

    assert sorted(Visit.objects.values_list("number", flat=True)) == list(range(1, 101))


@pytest.mark.django_db(transaction=True)
def test_desks_calling_at_once_each_get_their_own_visitor(org: Org, staff: Staff) -> None:
    desks = [
        Desk.objects.create(unit=org.contact_centre, name=f"Skranke {n}") for n in range(THREADS)
    ]
    now = timezone.now()
    for _ in range(THREADS // 2):
        draw_number(unit=org.contact_centre, drawn_by=staff.frontline, now=now)
    called: dict[int, str] = {}
    refused: dict[int, list[str]] = {}

    def call(thread: int) -> None:
        try:
            called[thread] = call_next(desk=desks[thread], called_by=staff.frontline, now=now).label
        except ValidationError as error:
            refused[thread] = error.messages

    at_once(call, threads=THREADS)

    assert sorted(called.values()) == [f"A{n:03d}" for n in range(1, THREADS // 2 + 1)]
    assert refused == {
        thread: [f"Ingen venter på Skranke {thread}."]
        for thread in range(THREADS)
        if thread not in called
    }
    assert dict(Visit.objects.values_list("desk__name", "number")) == {
        f"Skranke {thread}": int(label[1:]) for thread, label in called.items()
    }
