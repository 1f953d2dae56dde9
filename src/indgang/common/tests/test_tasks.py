from __future__ import annotations

import threading

import pytest
from django.db import transaction
from django.test import override_settings

from indgang.common.tasks import REGISTRY, Backend, _executor, get_task, task

CALLS: list[int] = []
DONE = threading.Event()


@task(name="test.record")
def record(*, number: int) -> None:
    CALLS.append(number)
    DONE.set()


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()
    DONE.clear()


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_task_runs_only_after_its_transaction_commits() -> None:
    with transaction.atomic():
        record.enqueue(number=1)
        assert CALLS == []
    assert CALLS == [1]


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.IMMEDIATE)
def test_task_of_a_rolled_back_transaction_never_runs() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record.enqueue(number=2)
        raise RuntimeError("rolled back")
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
@override_settings(TASK_BACKEND=Backend.EMBEDDED)
def test_embedded_backend_runs_the_task_on_another_thread() -> None:
    record.enqueue(number=3)

    assert DONE.wait(timeout=10)
    assert CALLS == [3]
    _executor().submit(lambda: None).result(timeout=10)


def test_tasks_are_found_by_name_and_names_are_unique() -> None:
    assert get_task("test.record") is REGISTRY["test.record"]
    with pytest.raises(ValueError, match="Two tasks are named 'test.record'."):
        task(name="test.record")(lambda **kwargs: None)
