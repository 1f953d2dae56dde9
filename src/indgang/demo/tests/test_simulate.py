"""indgang simulate: a synthetic period written straight into the register, rollups included."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Never

import numpy as np
import numpy.typing as npt
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F, Max, Q, Sum
from stdnum.dk import cpr as stdnum_cpr

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.workdays import DEFAULT_CALENDAR
from indgang.conftest import Org
from indgang.contacts.models import Contact, Thread
from indgang.contacts.services import received_on
from indgang.demo.services import CHANNEL_WEIGHTS, simulate_demo_year
from indgang.demo.simulate import (
    ANONYMOUS,
    DIGITAL_HOURS,
    FUNNEL_STEPS,
    NATIONAL_SHARES,
    OFFICE_CHANNELS,
    PRESETS,
    FunnelWriter,
    IntArray,
    expected_per_day,
    pool_cpr,
    pool_cvr,
    simulate,
    year_days,
)
from indgang.parties.constants import PartyKind
from indgang.parties.identifiers import clean_cvr, cpr_digest
from indgang.parties.matching import search_text
from indgang.parties.models import Party
from indgang.statistics.funnels import FunnelEventIn
from indgang.statistics.models import (
    MEASURES,
    ContactCount,
    DayContactCount,
    FunnelDayCount,
    FunnelEvent,
    SelfServiceSolution,
    UnitContactCount,
)
from indgang.statistics.services import GRAINS, dimensions, rebuild_contact_counts

pytestmark = pytest.mark.django_db
Year = tuple[list[tuple[object, ...]], dict[str, set[tuple[object, ...]]], set[tuple[object, ...]]]
FUNNEL_COUNT = (
    "day",
    "solution__external_id",
    "step",
    "started",
    "reached",
    "completed",
    "abandoned",
)
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
# Two weeks around Easter 2025: Maundy Thursday, Good Friday and Easter Monday are closed.
EASTER = [dt.date(2025, 4, 12) + dt.timedelta(days=n) for n in range(14)]
CLOSED = {dt.date(2025, 4, 17), dt.date(2025, 4, 18), dt.date(2025, 4, 21)}


def _run(seed: int = 5, contacts: int = 20_000) -> None:
    simulate(days=EASTER, contacts=contacts, shares=NATIONAL_SHARES, seed=seed, now=NOW)


def _rows() -> list[tuple[object, ...]]:
    return list(
        Contact.objects.order_by("id").values_list(
            "channel", "received_at", "party__cpr_digest", "task", "outcome", "duration_seconds"
        )
    )


def test_a_fortnight_follows_the_calendar_and_the_channel_shares(tasks: dict[str, Task]) -> None:
    _run()

    contacts = Contact.objects.all()
    assert 19_000 < contacts.count() < 21_000  # 20,000 expected in Poisson draws
    days = {day for day in contacts.values_list("received_on", flat=True)}
    assert days == set(EASTER)
    # Closed days and weekends get only digital contacts; the office channels only working days.
    office_days = set(
        contacts.filter(channel__in=OFFICE_CHANNELS).values_list("received_on", flat=True)
    )
    assert office_days == {day for day in EASTER if DEFAULT_CALENDAR.is_working_day(day)}
    assert not office_days & CLOSED
    # Every contact's day is its Danish day, as the register's own writes set it.
    for received_at, day in contacts.values_list("received_at", "received_on")[:2000]:
        assert received_on(received_at) == day
    # Calls and meetings have a duration, nothing else has.
    timed = set(contacts.filter(duration_seconds__isnull=False).values_list("channel", flat=True))
    assert timed == {Channel.PHONE, Channel.PERSONAL}
    # The channel shares of seed 004's table 5, within the draws' noise.
    shares = Counter(contacts.values_list("channel", flat=True))
    total = sum(NATIONAL_SHARES.values())
    for channel, share in NATIONAL_SHARES.items():
        assert abs(shares[channel] / contacts.count() - share / total) < 0.02, channel


def test_the_rollups_fill_themselves_from_the_simulated_rows(tasks: dict[str, Task]) -> None:
    _run(contacts=3000)

    by_day = dict(
        Contact.objects.values("received_on")
        .annotate(n=Count("id"))
        .values_list("received_on", "n")
    )
    rolled = dict(
        DayContactCount.objects.values("day").annotate(n=Sum("contacts")).values_list("day", "n")
    )
    assert rolled == by_day
    keys = ("channel", "direction", "outcome", "department_id", "unit_id", "task_id")
    rollup = {
        (row["day"], *(row[key] for key in keys)): row["contacts"]
        for row in ContactCount.objects.values("day", *keys, "contacts")
    }
    register = Counter(
        (row["received_on"], *(row[key] or (0 if key.endswith("_id") else "") for key in keys))
        for row in Contact.objects.values("received_on", *keys)
    )
    assert rollup == dict(register)
    duration = Contact.objects.aggregate(total=Sum("duration_seconds"))["total"]
    assert ContactCount.objects.aggregate(total=Sum("duration_seconds"))["total"] == duration
    assert UnitContactCount.objects.aggregate(total=Sum("contacts"))["total"] == sum(
        register.values()
    )
    # And the three grains, every measure, are what the repair recomputes from the register.
    simulated = _grains()
    assert rebuild_contact_counts() == sum(register.values())
    assert _grains() == simulated


def _grains() -> dict[str, set[tuple[object, ...]]]:
    return {
        grain.__name__: set(grain.objects.values_list(*dimensions(grain), *MEASURES))
        for grain in GRAINS
    }


def test_threads_parties_and_routing_are_consistent(org: Org, tasks: dict[str, Task]) -> None:
    _run(contacts=4000)

    # A thread's last contact is its newest contact; some threads carry a follow-up.
    threads = Thread.objects.annotate(newest=Max("contacts__received_at"), n=Count("contacts"))
    assert not threads.exclude(last_contact_at=F("newest")).exists()
    assert not threads.exclude(created_at__lte=F("last_contact_at")).exists()
    assert threads.filter(n__gt=1).count() > 100
    # A follow-up comes from the thread's own party.
    assert (
        not Contact.objects.exclude(party=F("thread__party"))
        .exclude(party__isnull=True, thread__party__isnull=True)
        .exists()
    )
    # Citizens come several times; some contacts are anonymous; companies too.
    citizens = Party.objects.filter(kind=PartyKind.CITIZEN)
    assert citizens.count() == round(4000 * _identified() / 25)
    assert Contact.objects.filter(party__isnull=True).count() > 200
    assert Contact.objects.filter(party__kind=PartyKind.COMPANY).exists()
    assert Contact.objects.filter(party__kind=PartyKind.CITIZEN).count() / citizens.count() > 4
    # Synthetic people are found as one types, like everyone else.
    for party in Party.objects.all():
        assert party.search_text == search_text(
            name=party.name, address="", email="", phone="", cvr=party.cvr
        )
    # The front line keeps what it resolves (not self-service or letters); the rest goes to the
    # task's unit: the forwarded contacts are in the unit of their task, handled by nobody yet.
    frontline = Contact.objects.filter(unit=org.contact_centre)
    assert frontline.exists()
    assert not frontline.filter(direction="in").exclude(
        outcome__in=["resolved_at_first_contact", "callback_promised"]
    )
    forwarded = Contact.objects.filter(outcome="forwarded")
    assert not forwarded.exclude(unit=F("task__unit")).exists()
    assert not forwarded.filter(handled_by__isnull=False).exists()
    assert not Contact.objects.filter(Q(channel=Channel.SELFSERVICE) & ~Q(outcome="")).exists()


def _identified() -> float:
    total = sum(NATIONAL_SHARES.values())
    return sum(
        share / total * (1 - ANONYMOUS[channel]) for channel, share in NATIONAL_SHARES.items()
    )


def test_the_same_seed_gives_the_same_contacts_and_a_second_run_reuses_its_citizens(
    tasks: dict[str, Task],
) -> None:
    _run(seed=9, contacts=1500)
    first, parties = _rows(), Party.objects.count()
    Contact.objects.all().delete()
    Thread.objects.all().delete()

    _run(seed=9, contacts=1500)

    assert _rows() == first
    assert Party.objects.count() == parties  # the same synthetic citizens, found again


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_writes_on_a_thread_of_its_own_the_same_year(
    tasks: dict[str, Task],
) -> None:
    threads_seen: list[set[str]] = []

    def year() -> Year:
        funnels = FunnelWriter(seed=3, now=NOW)

        def hook(
            day: dt.date, task_ids: IntArray, at: npt.NDArray[np.datetime64]
        ) -> list[FunnelEventIn]:
            threads_seen.append({thread.name for thread in threading.enumerate()})
            return funnels(day, task_ids, at)

        simulate(
            days=EASTER,
            contacts=3000,
            shares=NATIONAL_SHARES,
            seed=3,
            now=NOW,
            on_self_service=hook,
        )
        written = (_rows(), _grains(), set(FunnelDayCount.objects.values_list(*FUNNEL_COUNT)))
        written_to: list[type[models.Model]] = [
            Contact,
            Thread,
            *GRAINS,
            FunnelEvent,
            FunnelDayCount,
        ]
        for model in written_to:
            model._default_manager.all().delete()
        return written

    in_background = year()
    with transaction.atomic():  # the caller's transaction: written in it, at once
        inline = year()

    assert in_background == inline
    assert len(in_background[0]) > 2800
    assert FunnelEvent.objects.count() == 0 < len(in_background[2])
    # The writer is a thread of its own on PostgreSQL outside a transaction, and only there.
    background = connection.vendor == "postgresql"
    assert {"simulate-writer" in names for names in threads_seen[: len(EASTER)]} == {background}
    assert {"simulate-writer" in names for names in threads_seen[len(EASTER) :]} == {False}


@pytest.mark.django_db(transaction=True)
def test_a_batch_the_writer_cannot_write_fails_the_simulation_and_nothing_after_it_is_written(
    tasks: dict[str, Task],
) -> None:
    def hook(day: dt.date, task_ids: IntArray, at: npt.NDArray[np.datetime64]) -> list[Never]:
        if day == EASTER[0]:  # a task taken away after the catalogue was read
            Task.objects.filter(pk=tasks["heating"].pk).delete()
        return []

    # PostgreSQL's writer checks each batch's references as a set; SQLite's at COMMIT.
    found = (
        f"task_id = {tasks['heating'].pk} names no row of catalogue_task"
        if connection.vendor == "postgresql"
        else "FOREIGN KEY constraint failed"
    )
    with pytest.raises(IntegrityError, match=found):
        simulate(
            days=EASTER,
            contacts=3000,
            shares=NATIONAL_SHARES,
            seed=3,
            now=NOW,
            on_self_service=hook,
        )

    assert Contact.objects.count() == Thread.objects.count() == 0
    assert not any(grain.objects.exists() for grain in GRAINS)


def test_synthetic_identifiers_are_valid_distinct_and_fictitious() -> None:
    cprs = [pool_cpr(index, seed=1) for index in range(30_000)]
    assert len(set(cprs)) == len(cprs)
    for cpr in cprs[:3000]:
        born = stdnum_cpr.get_birth_date(stdnum_cpr.validate(cpr))
        assert dt.date(1930, 1, 1) <= born <= dt.date(1999, 12, 31)
    cvrs = [pool_cvr(index, seed=1) for index in range(500)]
    assert len(set(cvrs)) == 500
    assert [clean_cvr(cvr) for cvr in cvrs] == cvrs
    assert len({cpr_digest(cpr) for cpr in cprs[:100]}) == 100


def test_copenhagen_preset_is_seed_004s_year() -> None:
    copenhagen = PRESETS["koebenhavn"]
    assert copenhagen.contacts == 10_526_000  # seed 004, table 4
    assert PRESETS["landsplan"].contacts == 165_000_000  # seed 004, table 5
    days = year_days(2025)
    yearly = {Channel.PHONE: 3650.0, Channel.EMAIL: 3650.0}
    expected = expected_per_day(days, yearly, DEFAULT_CALENDAR)
    phone, email = list(Channel).index(Channel.PHONE), list(Channel).index(Channel.EMAIL)
    assert expected[:, phone].sum() == pytest.approx(3650.0)
    assert expected[:, email].sum() == pytest.approx(3650.0)
    christmas = days.index(dt.date(2025, 12, 25))
    assert expected[christmas, phone] == 0
    assert expected[christmas, email] > 0
    assert len(DIGITAL_HOURS) == 24


def test_the_command_writes_a_year_and_refuses_without_tasks(
    org: Org, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="Opgavekataloget er tomt"):
        call_command("simulate", "--municipality", "vallensbaek", "--year", "2025")

    Task.objects.create(
        title="Pas", department=org.frontline_dept, unit=org.contact_centre, depth=1
    )
    call_command("simulate", "--municipality", "vallensbaek", "--year", "2025", "--contacts", "800")

    output = capsys.readouterr().out
    count = Contact.objects.count()
    assert f"Simulerede {count} henvendelser" in output
    assert 700 < count < 900
    assert {day.year for day in Contact.objects.values_list("received_on", flat=True)} == {2025}


def test_the_self_service_hook_sees_each_completed_self_service_contact(
    tasks: dict[str, Task],
) -> None:
    seen: list[tuple[dt.date, list[int], list[str]]] = []

    def hook(day: dt.date, task_ids: IntArray, at: npt.NDArray[np.datetime64]) -> list[Never]:
        seen.append((day, task_ids.tolist(), [str(moment) for moment in at]))
        return []  # no funnel events

    simulate(
        days=EASTER,
        contacts=3000,
        shares={Channel.SELFSERVICE: 1, Channel.PHONE: 1},
        seed=4,
        now=NOW,
        on_self_service=hook,
    )

    self_service = Contact.objects.filter(channel=Channel.SELFSERVICE)
    assert [day for day, _tasks, _at in seen] == EASTER
    assert sum(len(task_ids) for _day, task_ids, _at in seen) == self_service.count() > 1000
    # Only tasks that offer self-service (the heating connection) are done by self-service.
    assert {task for _day, task_ids, _at in seen for task in task_ids} == {tasks["heating"].pk}


def test_the_command_records_the_funnel_behind_each_self_service_contact(
    tasks: dict[str, Task],
) -> None:
    call_command(
        "simulate", "--municipality", "koebenhavn", "--year", "2025", "--contacts", "20000"
    )

    done = Contact.objects.filter(channel=Channel.SELFSERVICE).count()
    funnel = FunnelDayCount.objects.filter(step="").aggregate(
        started=Sum("started"), completed=Sum("completed")
    )
    by_step = {
        step: (reached, abandoned)
        for step, reached, abandoned in FunnelDayCount.objects.exclude(step="")
        .values("step")
        .annotate(reached=Sum("reached"), abandoned=Sum("abandoned"))
        .values_list("step", "reached", "abandoned")
    }
    abandoned = sum(given_up for _reached, given_up in by_step.values())
    # Seed 002: 3.75 abandoned attempts for each completed one (3 or 4 drawn, 3 in 4 times 4).
    assert funnel == {"started": done + abandoned, "completed": done}
    assert (done, abandoned) == (200, 749)
    # Every attempt logs in; fewer reach each later step, as many as did not give up before.
    assert by_step == {
        "Log ind": (949, 312),
        "Oplysninger": (637, 202),
        "Bilag": (435, 156),
        "Godkend og send": (279, 79),
    }
    assert SelfServiceSolution.objects.get().steps == list(FUNNEL_STEPS)
    assert SelfServiceSolution.objects.get().task == tasks["heating"]


def test_the_demo_year_has_every_channel_in_every_month_and_the_front_line_answers_in_writing(
    tasks: dict[str, Task], org: Org
) -> None:
    simulate_demo_year(now=NOW, contacts=6000)

    months = {(day.year, day.month) for day in year_days(2026)[:-31]} | {(2025, 12)}
    seen = set(Contact.objects.values_list("channel", "received_on"))
    by_channel = {
        channel: {(day.year, day.month) for name, day in seen if name == channel}
        for channel in CHANNEL_WEIGHTS
    }
    # The year 2025-12-01 to 2026-11-30: each of the demo's channels in each of its 12 months.
    assert len(months) == 12
    assert by_channel == dict.fromkeys(CHANNEL_WEIGHTS, months)
    # The front line keeps what it resolves in writing too, every month.
    frontline = set(
        Contact.objects.filter(unit=org.contact_centre).values_list("channel", "received_on")
    )
    for channel in (Channel.EMAIL, Channel.WEB, Channel.CHAT):
        assert {(day.year, day.month) for name, day in frontline if name == channel} == months
    assert not Contact.objects.filter(
        unit=org.contact_centre, channel__in=[Channel.SELFSERVICE, Channel.LETTER]
    ).exists()
