"""A logging filter that keeps personal data out of the log.

Two kinds of record could carry it. A database error's message repeats the values it refused
(PostgreSQL's `DETAIL: Failing row contains (…)` holds a contact's summary and a party's name),
and Django logs the error with its traceback (`django.request`). And `django.db.backends`
logs each query with its parameters at DEBUG. The filter leaves out the former's message (the
type and SQLSTATE stay, and every frame) and the latter's SQL and parameters (the time and
the database stay). Input is validated so that such errors do not arise; this is the second line.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from django.db import DatabaseError

DB_LOGGER = "django.db.backends"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _chain(error: BaseException | None) -> list[BaseException]:
    seen: list[BaseException] = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def _is_database_error(error: BaseException) -> bool:
    # psycopg's and sqlite3's errors, and Django's wrappers of them (django.db.DatabaseError).
    module = type(error).__module__
    return isinstance(error, DatabaseError) or module.startswith(("psycopg", "sqlite3"))


def _left_out(error: BaseException) -> str:
    state = getattr(error, "sqlstate", None) or getattr(
        getattr(error, "__cause__", None), "sqlstate", None
    )
    return f"[{'SQLSTATE ' + state + ': ' if state else ''}details left out of the log]"


def scrubbed_traceback(exc_info: ExcInfo) -> str:
    """The traceback as logging formats it, without the messages of database errors."""
    text = "".join(traceback.format_exception(*exc_info)).rstrip("\n")
    for error in _chain(exc_info[1]):
        message = str(error)
        if message and _is_database_error(error):
            text = text.replace(message, _left_out(error))
    return text


class NoPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(DB_LOGGER) and hasattr(record, "duration"):
            record.msg = "(%.3f) a query on %s; SQL and parameters left out of the log"
            record.args = (record.duration, getattr(record, "alias", "default"))
            record.sql = record.params = None
        if record.exc_info and record.exc_info[1] is not None:
            chain = _chain(record.exc_info[1])
            if any(_is_database_error(error) for error in chain):
                # The formatter prints exc_text as it is, rather than formatting exc_info.
                record.exc_text = scrubbed_traceback(record.exc_info)
                if isinstance(record.args, tuple):
                    record.args = tuple(
                        _left_out(arg) if isinstance(arg, BaseException) and arg in chain else arg
                        for arg in record.args
                    )
        return True
