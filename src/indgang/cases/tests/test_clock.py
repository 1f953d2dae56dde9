"""The servicemål clock: exact examples and its invariants."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from indgang.cases.clock import Clock, servicemal_clock

D = dt.date


def test_decided_case_counts_calendar_days_from_fully_informed_to_decision() -> None:
    clock = servicemal_clock(
        fully_informed=D(2026, 3, 2), decided=D(2026, 4, 6), today=D(2026, 6, 1), target_days=40
    )
    assert clock == Clock(
        started=True,
        days_used=35,
        days_left=5,
        due_date=D(2026, 4, 11),
        on_target=True,
        days_waiting=0,
        days_paused=0,
    )


def test_open_case_runs_to_today_and_is_late_after_the_due_date() -> None:
    clock = servicemal_clock(
        fully_informed=D(2026, 1, 1), decided=None, today=D(2026, 3, 2), target_days=55
    )
    assert (clock.days_used, clock.days_left, clock.due_date, clock.on_target) == (
        60,
        -5,
        D(2026, 2, 25),
        False,
    )


def test_waiting_before_fully_informed_is_recorded_apart_and_not_on_the_clock() -> None:
    clock = servicemal_clock(
        fully_informed=D(2026, 2, 1),
        decided=D(2026, 3, 1),
        today=D(2026, 3, 5),
        target_days=40,
        waiting=[(D(2026, 1, 10), D(2026, 1, 31))],
        waiting_counts=False,
    )
    assert (clock.days_used, clock.days_waiting, clock.days_paused) == (28, 21, 0)


def test_waiting_on_the_clock_is_taken_off_when_the_area_says_it_does_not_count() -> None:
    kwargs = {
        "fully_informed": D(2026, 2, 1),
        "decided": None,
        "today": D(2026, 3, 3),
        "target_days": 40,
        "waiting": [(D(2026, 2, 10), D(2026, 2, 20)), (D(2026, 3, 1), None)],
    }
    paused = servicemal_clock(**kwargs, waiting_counts=False)  # type: ignore[arg-type]
    counted = servicemal_clock(**kwargs, waiting_counts=True)  # type: ignore[arg-type]
    assert (paused.days_used, paused.days_paused, paused.days_waiting) == (18, 12, 12)
    assert paused.due_date == D(2026, 3, 25)
    assert (counted.days_used, counted.days_paused, counted.due_date) == (30, 0, D(2026, 3, 13))


def test_not_started_before_fully_informed() -> None:
    clock = servicemal_clock(
        fully_informed=None,
        decided=None,
        today=D(2026, 1, 20),
        target_days=60,
        waiting=[(D(2026, 1, 5), None)],
    )
    assert clock == Clock(False, 0, 60, None, True, 15, 0)


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


@st.composite
def cases(draw: st.DrawFn) -> dict[str, object]:
    start = draw(dates)
    length = draw(st.integers(min_value=0, max_value=800))
    end = start + dt.timedelta(days=length)
    decided = draw(st.booleans())
    # Non-overlapping waiting periods, as the state machine makes them, from before the start.
    cuts = sorted(
        draw(
            st.lists(
                st.integers(min_value=-100, max_value=length), min_size=0, max_size=6, unique=True
            )
        )
    )
    if len(cuts) % 2:
        cuts = cuts[:-1]
    waiting = [
        (start + dt.timedelta(days=a), start + dt.timedelta(days=b))
        for a, b in zip(cuts[::2], cuts[1::2], strict=True)
    ]
    return {
        "fully_informed": start,
        "decided": end if decided else None,
        "today": end + dt.timedelta(days=draw(st.integers(0, 30))) if decided else end,
        "target_days": draw(st.integers(min_value=1, max_value=400)),
        "waiting": waiting,
    }


@given(case=cases(), waiting_counts=st.booleans())
def test_invariants(case: dict[str, object], waiting_counts: bool) -> None:
    clock = servicemal_clock(**case, waiting_counts=waiting_counts)  # type: ignore[arg-type]
    start = case["fully_informed"]
    end = case["decided"] or case["today"]
    assert isinstance(start, dt.date) and isinstance(end, dt.date)
    assert clock.started
    assert clock.days_used + clock.days_left == case["target_days"]
    assert 0 <= clock.days_used <= (end - start).days
    assert clock.days_used + clock.days_paused == (end - start).days
    assert clock.days_paused <= clock.days_waiting
    assert clock.on_target == (clock.days_left >= 0)
    assert clock.due_date == start + dt.timedelta(days=case["target_days"] + clock.days_paused)  # type: ignore[operator]
    if waiting_counts:
        assert clock.days_paused == 0


@given(case=cases())
def test_not_counting_waiting_never_uses_more_days(case: dict[str, object]) -> None:
    paused = servicemal_clock(**case, waiting_counts=False)  # type: ignore[arg-type]
    counted = servicemal_clock(**case, waiting_counts=True)  # type: ignore[arg-type]
    assert paused.days_used <= counted.days_used
    assert paused.days_waiting == counted.days_waiting
