"""What a web process remembers of the API's frequent answers, and for how long."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from pytest_django.fixtures import Settings

from indgang.common import caching
from indgang.common.caching import Rows, remembered_rows


def loader(rows: Rows, calls: list[str]) -> Callable[[], Rows]:
    def load() -> Rows:
        calls.append("load")
        return rows

    return load


def test_a_found_answer_is_remembered_for_the_set_time_and_then_read_again(
    settings: Settings,
) -> None:
    settings.API_CACHE_SECONDS = 0.2
    calls: list[str] = []
    load = loader([(1, "a")], calls)

    assert remembered_rows("kind", "key", load) == [(1, "a")]
    assert remembered_rows("kind", "key", load) == [(1, "a")]
    assert remembered_rows("other kind", "key", load) == [(1, "a")]
    assert calls == ["load", "load"]
    time.sleep(0.25)
    assert remembered_rows("kind", "key", load) == [(1, "a")]
    assert calls == ["load", "load", "load"]


def test_nothing_found_and_a_zero_time_are_never_remembered(settings: Settings) -> None:
    calls: list[str] = []
    settings.API_CACHE_SECONDS = 10
    remembered_rows("kind", "missing", loader([], calls))
    remembered_rows("kind", "missing", loader([], calls))
    settings.API_CACHE_SECONDS = 0
    remembered_rows("kind", "key", loader([(1,)], calls))
    remembered_rows("kind", "key", loader([(1,)], calls))

    assert calls == ["load"] * 4


def test_past_its_bound_the_memory_drops_expired_answers_then_all(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caching, "MAX_REMEMBERED", 3)
    settings.API_CACHE_SECONDS = 0.1
    for key in ("a", "b"):
        remembered_rows("kind", key, loader([(key,)], []))
    time.sleep(0.15)
    settings.API_CACHE_SECONDS = 10
    for key in ("c", "d", "e"):
        remembered_rows("kind", key, loader([(key,)], []))
    # At "d" the bound was reached: the expired "a" and "b" went, "c" stayed.
    assert sorted(key for _kind, key in caching._remembered) == ["c", "d", "e"]

    remembered_rows("kind", "f", loader([("f",)], []))
    # At "f" nothing had expired: everything went, and "f" came in.
    assert list(caching._remembered) == [("kind", "f")]
