"""Queue numbers drawn and visitors called at once, on PostgreSQL (collected there only)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from indgang.bookings.models import Desk, Visit
from indgang.bookings.queue import call_next, draw_number
from indgang.conftest import Org, Staff

THREADS = 20


def at_once(work: Callable[[int], None]) -> None:
    """Run work(thread) on THREADS threads, each with its own connection, released together."""
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def run(thread: int) -> None:
        try:
            start.wait(timeout=60)
            work(thread)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
            start.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(thread,)) for thread in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_numbers_drawn_at_once_are_each_given_once(org: Org, staff: Staff) -> None:
    unit = Desk.objects.create(unit=org.contact_centre, name="Skranke 1").unit
    now = timezone.now()

    def draw_five(_thread: int) -> None:
        for _ in range(5):
            draw_number(unit=unit, drawn_by=staff.frontline, now=now)

    at_once(draw_five)

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

    at_once(call)

    assert sorted(called.values()) == [f"A{n:03d}" for n in range(1, THREADS // 2 + 1)]
    assert refused == {
        thread: [f"Ingen venter på Skranke {thread}."]
        for thread in range(THREADS)
        if thread not in called
    }
    assert dict(Visit.objects.values_list("desk__name", "number")) == {
        f"Skranke {thread}": int(label[1:]) for thread, label in called.items()
    }
