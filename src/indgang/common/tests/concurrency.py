"""Work started on several threads at once, each with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def at_once(work: Callable[[int], None], *, threads: int) -> None:
    """Run work(thread) on `threads` threads, released together; assert that none raised."""
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run(thread: int) -> None:
        try:
            start.wait(timeout=60)
            work(thread)
        except BaseException as error:  # reported below: a thread's exception is lost otherwise
            errors.append(error)
            start.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(thread,)) for thread in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
