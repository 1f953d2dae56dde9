"""The clock key stored on the case gives servicemal_clock's days left, and so its order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indgang.cases.clock import Period, servicemal_clock, sort_key
from indgang.cases.constants import CaseState
from indgang.cases.models import Case
from indgang.cases.reports import days_left_of, list_work_for
from indgang.cases.tests.conftest import Receive
from indgang.conftest import Staff
from indgang.organisation.selectors import get_scope

START = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class Story:
    """One case's clock inputs, in the order a case can live them, and a day to look."""

    fully_informed: dt.date | None
    decided: dt.date | None
    waiting: tuple[Period, ...]
    target_days: int
    waiting_counts: bool
    today: dt.date

    def clock_days_left(self, on: dt.date | None = None) -> int:
        return servicemal_clock(
            fully_informed=self.fully_informed,
            decided=self.decided,
            today=on or self.today,
            target_days=self.target_days,
            waiting=self.waiting,
            waiting_counts=self.waiting_counts,
        ).days_left


@st.composite
def stories(draw: st.DrawFn) -> Story:
    """Waiting periods one after another (the last perhaps still open), fully informed before,
    between or after them, a decision only when nothing is awaited, and a later day to look."""
    day = START + dt.timedelta(days=draw(st.integers(0, 30)))
    days = [day]
    periods: list[Period] = []
    for _ in range(draw(st.integers(0, 3))):
        start = days[-1] + dt.timedelta(days=draw(st.integers(0, 20)))
        until = start + dt.timedelta(days=draw(st.integers(0, 20)))
        periods.append((start, until))
        days += [start, until]
    still_waiting = bool(periods) and draw(st.booleans())
    if still_waiting:
        periods[-1] = (periods[-1][0], None)
        days.pop()
    fully_informed = draw(st.none() | st.sampled_from(days))
    decided = None
    if fully_informed is not None and not still_waiting and draw(st.booleans()):
        decided = max(days) + dt.timedelta(days=draw(st.integers(0, 90)))
        days.append(decided)
    return Story(
        fully_informed=fully_informed,
        decided=decided,
        waiting=tuple(periods),
        target_days=draw(st.sampled_from([40, 50, 55, 60, 130, 180, 200])),
        waiting_counts=draw(st.booleans()),
        today=max(days) + dt.timedelta(days=draw(st.integers(0, 400))),
    )


def key_of(story: Story) -> tuple[dt.date | None, dt.date | None, int | None]:
    key = sort_key(
        fully_informed=story.fully_informed,
        decided=story.decided,
        target_days=story.target_days,
        waiting=story.waiting,
        waiting_counts=story.waiting_counts,
    )
    return key.due_on, key.stopped_on, key.days_used


@given(stories())
@settings(max_examples=500)
def test_the_key_gives_the_clocks_days_left_on_any_later_day(story: Story) -> None:
    due_on, stopped_on, days_used = key_of(story)
    if story.fully_informed is None:
        assert (due_on, stopped_on, days_used) == (None, None, None)
        return
    assert due_on is not None
    assert (due_on - (stopped_on or story.today)).days == story.clock_days_left()
    if story.decided is not None:
        assert days_used == story.target_days - story.clock_days_left()


@pytest.mark.django_db
@given(st.lists(stories(), min_size=1, max_size=8))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_database_orders_the_work_list_as_the_clock_does(
    receive: Receive, staff: Staff, stories_: list[Story]
) -> None:
    """Cases stored with their keys come out of list_work_for most urgent first, as the clock
    ranks them on the same day; cases whose clock has not started follow by received time."""
    template = receive()
    Case.objects.all().delete()
    today = max(story.today for story in stories_)
    cases = Case.objects.bulk_create(
        Case(
            kind=template.kind,
            area=template.area,
            party_id=template.party_id,
            category_id=template.category_id,
            department_id=template.department_id,
            unit_id=template.unit_id,
            state=CaseState.ASSESSMENT,
            received_at=template.received_at - dt.timedelta(hours=number),
            clock_due_on=key_of(story)[0],
            clock_stopped_on=key_of(story)[1],
        )
        for number, story in enumerate(stories_)
    )
    expected = sorted(
        zip(cases, stories_, strict=True),
        key=lambda pair: (
            (0, pair[1].clock_days_left(today), pair[0].received_at, pair[0].pk)
            if pair[1].fully_informed
            else (1, 0, pair[0].received_at, pair[0].pk)
        ),
    )
    work = list_work_for(scope=get_scope(user=staff.caseworker), today=today)
    assert [(case.pk, days_left_of(case)) for case in work] == [
        (case.pk, story.clock_days_left(today) if story.fully_informed else None)
        for case, story in expected
    ]
