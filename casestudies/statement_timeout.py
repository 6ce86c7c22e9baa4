"""A time limit on every database statement, so one slow search cannot hold a worker.

`settings.DATABASE_STATEMENT_TIMEOUT_MS` (0: no limit; management commands have none) is set on
each new connection, once, not per request:

- PostgreSQL: its own `statement_timeout`, which cancels a longer statement.
- SQLite: a progress handler that interrupts a statement running past the limit.

A stopped statement raises Django's `OperationalError`; `is_statement_timeout()` recognises it,
so a page can answer with a plain message (the case study list does) instead of an error.
"""

import sqlite3
import time

from django.conf import settings
from django.db.backends.signals import connection_created

QUERY_CANCELED = "57014"  # PostgreSQL's error code for a statement stopped by its timeout
SQLITE_INTERRUPTED = "interrupted"
# SQLite calls the progress handler after every this many of its virtual machine's steps.
SQLITE_STEPS = 10_000
# What a person is told when their search was stopped (the list page says it in its template).
SEARCH_TOO_LONG = "The search took too long. Try fewer or more specific words."


def limit_statements(sender, connection, **kwargs):
    """Give a new connection the statement time limit from the settings."""
    milliseconds = settings.DATABASE_STATEMENT_TIMEOUT_MS
    if not milliseconds:
        return
    if connection.vendor == "postgresql":
        # On the driver's own connection: a setting of the session, not one of the page's
        # queries (Django's query log and query counts do not see it).
        connection.connection.execute(f"SET statement_timeout = {int(milliseconds)}")
    elif connection.vendor == "sqlite":
        _limit_sqlite(connection.connection, milliseconds / 1000)


def _limit_sqlite(raw_connection, seconds):
    deadline = None

    def statement_started(sql):
        nonlocal deadline
        deadline = time.monotonic() + seconds

    def past_deadline():
        return deadline is not None and time.monotonic() > deadline

    raw_connection.set_trace_callback(statement_started)
    raw_connection.set_progress_handler(past_deadline, SQLITE_STEPS)


def is_statement_timeout(error):
    """Whether a database error is a statement stopped by the time limit."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == QUERY_CANCELED:
        return True
    return isinstance(cause, sqlite3.OperationalError) and str(cause) == SQLITE_INTERRUPTED


def limit_statements_on_connect():
    connection_created.connect(limit_statements, dispatch_uid="casestudies.statement_timeout")
