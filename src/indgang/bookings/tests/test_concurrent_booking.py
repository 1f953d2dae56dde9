"""200 booking requests at once for 50 free slots, on PostgreSQL (collected there only)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, Q
from rest_framework.test import APIClient

from indgang.bookings.constants import BookingStatus
from indgang.bookings.models import Booking, Slot
from indgang.bookings.tests.conftest import publish
from indgang.conftest import Org, Staff, token_secret

TAKEN = "Tiden er lige blevet booket af en anden. Vælg en anden tid."
CONTENDERS = 4  # requests per slot
THREADS = 20  # each with its own connection; 5 slots contended per round
# Fictitious, valid CPR numbers (python-stdnum accepts them): one citizen per request.
CPRS = [f"0101{year:02d}{serial:04d}" for year in range(80, 100) for serial in range(1000, 1010)]


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_requests_for_50_slots_book_each_slot_once(
    org: Org,
    staff: Staff,
    seed_data: None,  # each winner's receipt letter is written from the seeded templates
) -> None:
    slots = publish(org, staff, dt.date(2030, 1, 7), dt.date(2030, 1, 21), minutes=60)[:50]
    assert len(slots) == 50
    # Round r: thread t asks for slot r * 5 + t // 4, so each slot's four requests race.
    rounds = len(slots) * CONTENDERS // THREADS
    start = threading.Barrier(THREADS)
    token = token_secret(staff.frontline)
    answers: list[tuple[int, int, object]] = []
    errors: list[BaseException] = []

    def ask(thread: int) -> None:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            for round_ in range(rounds):
                slot = slots[round_ * THREADS // CONTENDERS + thread // CONTENDERS]
                request = round_ * THREADS + thread
                start.wait(timeout=60)
                response = api.post(
                    "/api/v1/bookings/",
                    {"slot": slot.pk, "cpr": CPRS[request]},
                    format="json",
                )
                answers.append((slot.pk, response.status_code, response.json()))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
            start.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=ask, args=(thread,)) for thread in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert Counter(status for _slot, status, _body in answers) == {201: 50, 409: 150}
    assert {str(body) for _slot, status, body in answers if status == 409} == {
        str({"non_field_errors": [TAKEN]})
    }
    assert sorted(slot for slot, status, _body in answers if status == 201) == sorted(
        slot.pk for slot in slots
    )
    held = Slot.objects.annotate(
        active=Count("bookings", filter=Q(bookings__status=BookingStatus.ACTIVE))
    )
    assert sorted(held.values_list("active", flat=True)) == [0] * (held.count() - 50) + [1] * 50
    assert Booking.objects.count() == 50
