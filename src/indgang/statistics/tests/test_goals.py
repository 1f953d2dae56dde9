"""KPIs of a slice against their goals: contact shares from the rollups, deadlines kept from the
deadline engine, with the trend per period and the goal in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.constants import Direction, Outcome
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.services import complete_deadline, start_deadline
from indgang.knowledge.services import ArticleData, create_article, record_knowledge_used
from indgang.organisation.selectors import get_scope
from indgang.statistics.constants import GoalMetric
from indgang.statistics.goals import KpiRow, TrendPoint, goal_book, kpi_map, list_kpis
from indgang.statistics.models import Goal
from indgang.statistics.selectors import Slice, StatisticsRefused

# The seeded goals and unit-cost tables: a transactional test that ran before may have flushed them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_data")]
DK = ZoneInfo("Europe/Copenhagen")
MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
SPRING = Slice(start=MARCH, end=dt.date(2026, 4, 30))
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=DK)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=DK)


def test_albertslunds_goals_are_seeded() -> None:
    seeded = {
        (goal.metric, goal.department_id, goal.valid_from, goal.target)
        for goal in Goal.objects.all()
    }
    assert seeded == {
        (GoalMetric.DIGITAL_SHARE, None, dt.date(2015, 1, 1), Decimal("0.5000")),
        (GoalMetric.SELF_SERVICE_SHARE, None, dt.date(2015, 1, 1), Decimal("0.8000")),
        (GoalMetric.CALLBACKS_KEPT, None, dt.date(2013, 1, 1), Decimal("1.0000")),
    }


def test_a_departments_goal_in_force_overrides_the_municipalitys(org: Org) -> None:
    Goal.objects.create(
        metric=GoalMetric.DIGITAL_SHARE,
        department=org.building_dept,
        target=Decimal("0.7"),
        valid_from=dt.date(2026, 4, 1),
    )
    Goal.objects.create(
        metric=GoalMetric.DIGITAL_SHARE, target=Decimal("0.6"), valid_from=dt.date(2026, 1, 1)
    )
    building = goal_book(department_id=org.building_dept.pk)
    assert building.goal_on(GoalMetric.DIGITAL_SHARE, dt.date(2025, 12, 31)) == Decimal("0.5")
    assert building.goal_on(GoalMetric.DIGITAL_SHARE, dt.date(2026, 3, 31)) == Decimal("0.6")
    assert building.goal_on(GoalMetric.DIGITAL_SHARE, dt.date(2026, 4, 1)) == Decimal("0.7")
    benefits = goal_book(department_id=org.benefits_dept.pk)
    assert benefits.goal_on(GoalMetric.DIGITAL_SHARE, dt.date(2026, 4, 1)) == Decimal("0.6")
    assert benefits.goal_on(GoalMetric.DEADLINES_KEPT, dt.date(2026, 4, 1)) is None


@pytest.fixture
def spring(register: RegisterContact, staff: Staff, tasks: dict[str, Task], org: Org) -> None:
    """March: 5 inbound (2 self-service and an e-mail: 3 digital; a phone call and a visit
    resolved at first contact, the call with the knowledge base) and an outbound call. April:
    3 inbound (2 calls, 1 web form: 1 digital). The heating task has a self-service link: 2 of
    its 3 contacts came by self-service."""
    heating = tasks["heating"]
    Task.objects.filter(pk=heating.pk).update(self_service_url="https://selvbetjening.example.dk/")
    register(received_at=at(3, 2), channel=Channel.SELFSERVICE, task=heating)
    register(received_at=at(3, 3), channel=Channel.SELFSERVICE, task=heating)
    register(received_at=at(3, 4), channel=Channel.EMAIL, task=tasks["groundwater"])
    helped = register(
        received_at=at(3, 5),
        channel=Channel.PHONE,
        task=heating,
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
    )
    register(
        received_at=at(3, 6), channel=Channel.PERSONAL, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT
    )
    register(received_at=at(3, 9), channel=Channel.PHONE, direction=Direction.OUTBOUND)
    register(received_at=at(4, 1), channel=Channel.PHONE)
    register(received_at=at(4, 2), channel=Channel.PHONE)
    register(received_at=at(4, 3), channel=Channel.WEB)
    article = create_article(
        data=ArticleData(
            title="Fjernvarme",
            answer="Sådan tilslutter du dig.",
            owner_unit=org.contact_centre,
            review_on=dt.date(2027, 1, 1),
        ),
        by=staff.admin,
        scope=get_scope(user=staff.admin),
        now=NOW,
    )
    record_knowledge_used(contact=helped, article=article, by=staff.frontline, now=NOW)


def trend(*points: tuple[dt.date, int, int, str | None]) -> tuple[TrendPoint, ...]:
    return tuple(
        TrendPoint(
            period=period,
            numerator=num,
            denominator=den,
            value=num / den if den else None,
            goal=None if goal is None else Decimal(goal),
        )
        for period, num, den, goal in points
    )


@pytest.mark.usefixtures("spring")
def test_digital_share_against_its_goal_with_its_monthly_trend(staff: Staff) -> None:
    kpis = kpi_map(list_kpis(scope=get_scope(user=staff.admin), slice=SPRING, now=NOW))
    assert kpis[GoalMetric.DIGITAL_SHARE] == KpiRow(
        metric="digital_share",
        label="Digital andel af henvendelser",
        numerator=4,
        denominator=8,
        value=0.5,
        goal=Decimal("0.5000"),
        met=True,
        trend=trend((MARCH, 3, 5, "0.5"), (APRIL, 1, 3, "0.5")),
    )
    self_service = kpis[GoalMetric.SELF_SERVICE_SHARE]
    assert (self_service.numerator, self_service.denominator, self_service.goal) == (
        2,
        3,
        Decimal("0.8"),
    )
    assert self_service.met is False
    assert self_service.trend == trend((MARCH, 2, 3, "0.8"))


@pytest.mark.usefixtures("spring")
def test_first_contact_knowledge_and_channel_mix(staff: Staff) -> None:
    kpis = kpi_map(
        list_kpis(scope=get_scope(user=staff.admin), slice=SPRING, period="quarter", now=NOW)
    )

    def figures(metric: str) -> tuple[int, int, float | None, bool | None]:
        kpi = kpis[metric]
        return kpi.numerator, kpi.denominator, kpi.value, kpi.met

    assert figures(GoalMetric.RESOLVED_AT_FIRST_CONTACT) == (2, 8, 0.25, None)
    assert figures(GoalMetric.RESOLVED_WITH_KNOWLEDGE) == (1, 8, 0.125, None)
    assert figures("channel_group:phone") == (3, 8, 0.375, None)
    assert figures("channel_group:selfservice") == (2, 8, 0.25, None)
    assert figures("channel_group:digital_written") == (2, 8, 0.25, None)
    assert figures("channel:web") == (1, 8, 0.125, None)
    assert figures("channel:letter") == (0, 8, 0.0, None)
    assert kpis["channel:phone"].trend == trend(
        (dt.date(2026, 1, 1), 1, 5, None), (APRIL, 2, 3, None)
    )
    assert [kpi.metric for kpi in kpis.values()][:7] == [
        "digital_share",
        "self_service_share",
        "resolved_at_first_contact",
        "resolved_with_knowledge",
        "callbacks_kept",
        "deadlines_kept",
        "servicemal_on_target",
    ]


@pytest.mark.usefixtures("spring")
def test_a_task_slice_leaves_out_deadlines_and_servicemal(
    staff: Staff, tasks: dict[str, Task]
) -> None:
    heating = Slice(start=MARCH, end=dt.date(2026, 4, 30), task_id=tasks["heating"].pk)
    kpis = kpi_map(list_kpis(scope=get_scope(user=staff.admin), slice=heating, now=NOW))
    assert GoalMetric.DEADLINES_KEPT not in kpis
    assert GoalMetric.SERVICEMAL_ON_TARGET not in kpis
    assert (kpis["digital_share"].numerator, kpis["digital_share"].denominator) == (2, 3)


def test_call_backs_kept_within_their_due_time_in_the_managers_departments(
    register: RegisterContact, staff: Staff
) -> None:
    now = at(3, 20, 12)

    def call_back(due: dt.datetime, by: object = None, done: dt.datetime | None = None) -> None:
        contact = register(received_at=at(3, 2, 9), by=by)
        deadline = start_deadline(
            subject=contact, kind=DeadlineKind.CALLBACK, by=staff.frontline, now=now, due_at=due
        )
        if done is not None:
            complete_deadline(deadline=deadline, by=staff.frontline, now=done)

    call_back(at(3, 3), done=at(3, 3, 9))  # kept
    call_back(at(3, 3), done=at(3, 3))  # kept, at the due time
    call_back(at(3, 3), done=at(3, 3, 11))  # late
    call_back(at(3, 10))  # open, past due: missed
    call_back(at(4, 1), done=at(3, 19))  # due after the slice
    call_back(at(3, 25))  # open, not yet due: not counted
    call_back(at(3, 3), by=staff.caseworker, done=at(3, 4))  # another department's
    # Deadlines kept counts every kind of deadline, not only call-backs: a complaint kept.
    complaint = start_deadline(
        subject=register(received_at=at(3, 2, 9)),
        kind=DeadlineKind.COMPLAINT,
        by=staff.frontline,
        now=now,
        due_at=at(3, 5),
    )
    complete_deadline(deadline=complaint, by=staff.frontline, now=at(3, 4))
    march = Slice(start=MARCH, end=dt.date(2026, 3, 31))

    kpis = kpi_map(list_kpis(scope=get_scope(user=staff.manager), slice=march, now=now))
    callbacks = kpis[GoalMetric.CALLBACKS_KEPT]
    assert (callbacks.numerator, callbacks.denominator, callbacks.value) == (2, 4, 0.5)
    assert (callbacks.goal, callbacks.met) == (Decimal("1.0000"), False)
    assert callbacks.trend == trend((MARCH, 2, 4, "1"))
    deadlines = kpis[GoalMetric.DEADLINES_KEPT]
    assert (deadlines.numerator, deadlines.denominator, deadlines.goal) == (3, 5, None)
    everyone = kpi_map(list_kpis(scope=get_scope(user=staff.admin), slice=march, now=now))
    assert everyone[GoalMetric.CALLBACKS_KEPT].denominator == 5
    assert everyone[GoalMetric.SERVICEMAL_ON_TARGET].denominator == 0
    assert everyone[GoalMetric.SERVICEMAL_ON_TARGET].value is None


def test_statistics_are_refused_outside_the_users_departments(staff: Staff, org: Org) -> None:
    with pytest.raises(StatisticsRefused):
        list_kpis(scope=get_scope(user=staff.frontline), slice=SPRING, now=NOW)
    building = Slice(start=MARCH, end=APRIL, department_id=org.building_dept.pk)
    with pytest.raises(StatisticsRefused):
        list_kpis(scope=get_scope(user=staff.manager), slice=building, now=NOW)
    with pytest.raises(StatisticsRefused):
        list_kpis(
            scope=get_scope(user=staff.manager),
            slice=Slice(start=MARCH, end=APRIL, unit_id=org.building_unit.pk),
            now=NOW,
        )
