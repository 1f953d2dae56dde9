"""Django's PostgreSQL backend, with a health check that costs no round trip.

With persistent connections and CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first
query of every request. Here the check looks at the connection's socket instead: a server that
ended the connection (a restart, a failover, `pg_terminate_backend`) has sent its goodbye and
closed the socket, which then reads as ready. An idle, healthy connection has nothing to read.
The connection is then replaced before the request uses it, as with Django's check. After a
failed query Django asks the same question: a query error leaves the socket quiet and the
connection in use; a lost connection is closed.

Every API request paid one round trip for `SELECT 1`: about a tenth of the CPU of registering
a contact. Neither check sees a connection cut without a word (the network gone): the first
query then fails, and Django closes the connection at the end of that request.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        """Django asks this before a request's first query, and after a query failed."""
        return self.connection is not None and not server_has_closed(self.connection.pgconn)


def server_has_closed(pgconn: pq.abc.PGconn) -> bool:
    """Whether the server ended this idle connection: it is broken, or its socket has something
    to read (a closed socket reads as ready; an idle connection gets no messages here)."""
    if pgconn.status != pq.ConnStatus.OK:
        return True
    try:
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError, psycopg.Error):  # no socket any more
        return True
    return bool(readable)
