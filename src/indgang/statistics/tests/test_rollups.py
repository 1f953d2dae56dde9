"""The rollups equal a GROUP BY over the register after any sequence of writes to it.

The writes are the product's own (registration alone and in bulk, triage's routing, knowledge
uses) and plain queryset updates and deletes, as a data fix or a future service would make them,
and a task's self-service link set or removed in the catalogue.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.tests.concurrency import at_once
from indgang.conftest import Org, Staff
from indgang.contacts.constants import Direction, Outcome
from indgang.contacts.models import Contact
from indgang.contacts.services import (
    NewContact,
    received_on,
    register_contact,
    register_contacts_in_bulk,
)
from indgang.knowledge.models import KnowledgeUse
from indgang.knowledge.services import record_knowledge_used
from indgang.knowledge.tests.fixtures import MakeArticle
from indgang.organisation.models import Unit
from indgang.organisation.selectors import get_scope
from indgang.statistics.models import (
    ContactCount,
    DayContactCount,
    TaskMonthContactCount,
    UnitContactCount,
    UnitMonthContactCount,
)
from indgang.statistics.services import (
    GRAINS,
    ContactBuckets,
    add_contact_buckets,
    counting_taken_over,
    fold_new_contact_counts,
    rebuild_contact_counts,
)
from indgang.statistics.tests.checks import assert_rollups_match_register
from indgang.triage.services import record_routing

pytestmark = pytest.mark.django_db

# Three days around the change to summer time (29 March 2026), so the Danish day matters.
FIRST = dt.datetime(2026, 3, 28, 20, tzinfo=dt.UTC)
# Across the end of March: the month grains have two months, and contacts move between them.
HOURS = st.integers(min_value=0, max_value=110)
CHANNELS = st.sampled_from(list(Channel))
OUTCOMES = st.sampled_from([None, *Outcome])
DURATIONS = st.one_of(st.none(), st.integers(min_value=0, max_value=3600))
SELF_SERVICE_LINKS = [
    "",
    "https://selvbetjening.example.dk/a",
    "https://selvbetjening.example.dk/b",
]


def test_rollups_follow_every_write_to_the_register(
    org: Org, staff: Staff, tasks: dict[str, Task], make_article: MakeArticle
) -> None:
    article = make_article()
    units = [org.contact_centre, org.building_unit, org.benefits_unit]
    task_list = list(tasks.values())
    registrars = [staff.frontline, staff.caseworker]
    now = timezone.now()

    def new_contact(data: st.DataObject, *, unit: Unit | None = None) -> NewContact:
        outcome = data.draw(OUTCOMES)
        if outcome == Outcome.FORWARDED and unit is None:
            unit = data.draw(st.sampled_from(units))
        return NewContact(
            channel=data.draw(CHANNELS),
            direction=data.draw(st.sampled_from(list(Direction))),
            received_at=FIRST + dt.timedelta(hours=data.draw(HOURS)),
            summary="Spørger om fjernvarme",
            outcome=outcome,
            unit=unit,
            task=data.draw(st.sampled_from([None, *task_list])),
            duration_seconds=data.draw(DURATIONS),
        )

    def some_contacts(data: st.DataObject) -> list[int]:
        ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True))
        return data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))

    def one_contact(data: st.DataObject) -> Contact:
        return Contact.objects.get(pk=some_contacts(data)[0])

    def registrar(data: st.DataObject) -> User:
        return data.draw(st.sampled_from(registrars))

    class Register(RuleBasedStateMachine):
        """Each run starts from the fixtures: its writes are rolled back at teardown, so that
        the same draws make the same writes (Hypothesis replays them to shrink a failure)."""

        def __init__(self) -> None:
            super().__init__()
            self.run = transaction.atomic()
            self.run.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.run.__exit__(None, None, None)

        @rule(data=st.data())
        def register(self, data: st.DataObject) -> None:
            by = registrar(data)
            register_contact(
                new=new_contact(data), registered_by=by, registrar=get_scope(user=by), now=now
            )

        @rule(data=st.data(), count=st.integers(min_value=1, max_value=5))
        def register_in_bulk(self, data: st.DataObject, count: int) -> None:
            by = registrar(data)
            new = [new_contact(data, unit=data.draw(st.sampled_from(units))) for _ in range(count)]
            register_contacts_in_bulk(
                contacts=new, registered_by=by, registrar=get_scope(user=by), now=now
            )

        @precondition(lambda self: Contact.objects.exists())
        @rule(data=st.data())
        def route_through_triage(self, data: st.DataObject) -> None:
            record_routing(
                contact=one_contact(data),
                task=data.draw(st.sampled_from(task_list)),
                unit=data.draw(st.sampled_from([None, *units])),
                decided_by=staff.caseworker,
                now=now,
            )

        @precondition(lambda self: Contact.objects.exists())
        @rule(data=st.data())
        def move_plainly(self, data: st.DataObject) -> None:
            unit = data.draw(st.sampled_from([None, *units]))
            Contact.objects.filter(pk__in=some_contacts(data)).update(
                unit=unit,
                department_id=unit.department_id if unit else None,
                task=data.draw(st.sampled_from([None, *task_list])),
            )

        @precondition(lambda self: Contact.objects.exists())
        @rule(data=st.data())
        def change_what_happened(self, data: st.DataObject) -> None:
            received_at = FIRST + dt.timedelta(hours=data.draw(HOURS))
            Contact.objects.filter(pk__in=some_contacts(data)).update(
                channel=data.draw(CHANNELS),
                outcome=data.draw(OUTCOMES) or "",
                duration_seconds=data.draw(DURATIONS),
                received_at=received_at,
                received_on=received_on(received_at),
            )

        @precondition(lambda self: Contact.objects.exists())
        @rule(data=st.data())
        def change_nothing_counted(self, data: st.DataObject) -> None:
            Contact.objects.filter(pk__in=some_contacts(data)).update(summary="Rettet resumé")

        @precondition(lambda self: Contact.objects.exists())
        @rule(data=st.data())
        def use_knowledge(self, data: st.DataObject) -> None:
            record_knowledge_used(
                contact=one_contact(data), article=article, by=staff.frontline, now=now
            )

        @precondition(lambda self: KnowledgeUse.objects.exists())
        @rule(data=st.data())
        def forget_knowledge(self, data: st.DataObject) -> None:
            ids = list(KnowledgeUse.objects.order_by("pk").values_list("pk", flat=True))
            KnowledgeUse.objects.filter(pk=data.draw(st.sampled_from(ids))).delete()

        @rule(data=st.data())
        def change_self_service_link(self, data: st.DataObject) -> None:
            # Blank or not moves the task's contacts between the self-service buckets; another
            # address moves nothing.
            Task.objects.filter(pk=data.draw(st.sampled_from(task_list)).pk).update(
                self_service_url=data.draw(st.sampled_from(SELF_SERVICE_LINKS))
            )

        @rule()
        def fold_new_contacts(self) -> None:
            assert_rollups_match_register()

        @precondition(lambda self: Contact.objects.exists())
        @rule(data=st.data())
        def delete(self, data: st.DataObject) -> None:
            Contact.objects.filter(pk__in=some_contacts(data)).delete()

        @invariant()
        def rollups_match_the_register(self) -> None:
            # Folded only by the rule below: changes meet contacts that still wait, too.
            assert_rollups_match_register(fold=False)

    Register.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    Register.TestCase().runTest()


def test_rebuild_repairs_the_rollups_of_the_days_given(
    org: Org, staff: Staff, register: Any
) -> None:
    for hours in (0, 30, 50):
        register(received_at=FIRST + dt.timedelta(hours=hours), duration_seconds=hours)
    fold_new_contact_counts()
    for grain in GRAINS:
        grain.objects.update(contacts=99)
    second = received_on(FIRST + dt.timedelta(hours=30))
    assert rebuild_contact_counts(start=second, end=second) == 1
    assert {row.day: row.contacts for row in DayContactCount.objects.all()} == {
        received_on(FIRST): 99,
        second: 1,
        received_on(FIRST + dt.timedelta(hours=50)): 99,
    }
    # A month grain's bucket counts the whole month, so the day's month is recounted.
    for grain in (UnitMonthContactCount, TaskMonthContactCount):
        assert {row.month: row.contacts for row in grain.objects.all()} == {dt.date(2026, 3, 1): 3}
    seen: list[tuple[dt.date, dt.date, int]] = []
    assert rebuild_contact_counts(progress=lambda *month: seen.append(month)) == 3
    assert seen == [(dt.date(2026, 3, 28), dt.date(2026, 3, 31), 3)]
    assert_rollups_match_register()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_into_one_bucket_all_count(staff: Staff) -> None:
    """Each registration's trigger adds to the same buckets at once: none is lost."""
    threads, each = 4, 10
    scope = get_scope(user=staff.frontline)

    def registrations(_thread: int) -> None:
        for _ in range(each):
            register_contact(
                new=NewContact(channel=Channel.PHONE, received_at=FIRST, summary="Opkald"),
                registered_by=staff.frontline,
                registrar=scope,
                now=timezone.now(),
            )

    at_once(registrations, threads=threads)
    fold_new_contact_counts()
    for grain in GRAINS:
        assert list(grain.objects.values_list("contacts", flat=True)) == [threads * each]
    assert_rollups_match_register()


def test_rows_written_outside_django_count_too(staff: Staff, register: Any) -> None:
    """A COPY into the register (PostgreSQL; a plain INSERT on SQLite) fills the rollups."""
    first = register(received_at=FIRST, channel=Channel.EMAIL, duration_seconds=10)
    columns = (
        "channel, direction, received_at, received_on, summary, registered_by_id, outcome, "
        "thread_id, awaiting_triage, created_at, duration_seconds, department_id, unit_id"
    )
    rows = [
        (
            channel,
            "in",
            FIRST,
            received_on(FIRST),
            "Indlæst",
            staff.frontline.pk,
            "",
            first.thread_id,
            False,
            FIRST,
            duration,
            first.department_id,
            first.unit_id,
        )
        for channel, duration in (("email", 20), ("email", None), ("letter", 5))
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY contacts_contact ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO contacts_contact ({columns}) VALUES ({', '.join(['%s'] * 13)})",  # noqa: S608 - constant text
                rows,
            )

    day = received_on(FIRST)
    fold_new_contact_counts()
    assert sorted(
        DayContactCount.objects.values_list(
            "day", "channel", "contacts", "duration_seconds", "timed"
        )
    ) == [(day, "email", 3, 30, 2), (day, "letter", 1, 5, 1)]
    assert_rollups_match_register()


def test_the_rebuild_command_shows_its_progress(register: Any) -> None:
    register(received_at=FIRST)
    register(received_at=FIRST + dt.timedelta(days=5))
    for grain in GRAINS:
        grain.objects.all().delete()
    out = io.StringIO()
    call_command("statistics-rebuild", "--from", "2026-03-01", "--to", "2026-04-30", stdout=out)
    assert out.getvalue().splitlines() == [
        "2026-03-01..2026-03-31 1",
        "2026-04-01..2026-04-30 1",
        "contacts=2",
    ]
    assert_rollups_match_register()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2026-03-01"], "Angiv både --from og --to, eller ingen af dem."),
        (["--from", "2026-03-02", "--to", "2026-03-01"], "--from må ikke ligge efter --to."),
    ],
)
def test_the_rebuild_command_refuses_a_half_or_reversed_period(
    arguments: list[str], message: str
) -> None:
    with translation.override("da"), pytest.raises(CommandError) as refused:
        call_command("statistics-rebuild", *arguments)
    assert str(refused.value) == message


@pytest.mark.django_db(transaction=True)
def test_a_bulk_writer_adds_its_buckets_to_every_grain_and_the_switch_ends_with_its_block(
    staff: Staff, tasks: dict[str, Task]
) -> None:
    heating = tasks["heating"]
    Task.objects.filter(pk=heating.pk).update(self_service_url="https://selvbetjening.example.dk/")
    day = dt.date(2026, 3, 2)
    buckets = ContactBuckets(
        day=[day, day],
        channel=[Channel.PHONE, Channel.PHONE],
        direction=[Direction.INBOUND, Direction.INBOUND],
        outcome=[Outcome.FORWARDED, Outcome.FORWARDED],
        department_id=[7, 7],
        unit_id=[3, 4],
        task_id=[0, heating.pk],
        contacts=[2, 5],
        duration_seconds=[100, 0],
        timed=[1, 0],
    )
    with transaction.atomic(), counting_taken_over() as took_over:
        add_contact_buckets(buckets)
        add_contact_buckets(buckets)
    # The writer's buckets do not say which task has self-service: the catalogue does.
    assert sorted(
        DayContactCount.objects.filter(day=day).values_list(
            "self_service_task", "contacts", "duration_seconds", "timed"
        )
    ) == [(False, 4, 200, 2), (True, 10, 0, 0)]
    assert sorted(
        UnitContactCount.objects.filter(day=day).values_list(
            "unit_id", "self_service_task", "contacts"
        )
    ) == [(3, False, 4), (4, True, 10)]
    assert sorted(
        ContactCount.objects.filter(day=day).values_list(
            "task_id", "self_service_task", "contacts", "with_knowledge"
        )
    ) == [(0, False, 4, 0), (heating.pk, True, 10, 0)]
    assert took_over is (connection.vendor == "postgresql")
    # After the block the trigger counts again, also in the same outer transaction (a test's,
    # load-demo's), where SET LOCAL alone would last until that transaction ends.
    DayContactCount.objects.all().delete()
    with transaction.atomic():
        with counting_taken_over():
            pass
        register_contact(
            new=NewContact(channel=Channel.PHONE, received_at=FIRST, summary="Opkald"),
            registered_by=staff.frontline,
            registrar=get_scope(user=staff.frontline),
            now=FIRST,
        )
    fold_new_contact_counts()
    assert DayContactCount.objects.get().contacts == 1
