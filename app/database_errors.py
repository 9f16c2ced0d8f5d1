"""One classification of database errors, for every route and every streamed export.

What a database error means for the client (never its SQL):

- a statement stopped by the time limit: `503 query_timeout` with `Retry-After` (the server's
  own limit, not the client's fault; a narrower query, or a retry when the server is less
  busy, may succeed);
- a value the database will not store or compare (too long for a full-text index, a NUL in
  a text, a number out of range: PostgreSQL's classes 22 and 54): `422 not_storable`,
  naming the problem;
- no free connection in the pool: `503 busy`, `Retry-After: 1`;
- the database unreachable, restarting, out of connections, locked, or a transaction that
  lost a conflict (PostgreSQL's classes 08, 40, 53, 57P01-57P05 and 55P03; SQLite busy,
  locked, cannot open, I/O error): `503 database_unavailable`, `Retry-After: 5`;
- anything else (a missing table, bad SQL: a bug): the last-resort `500`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.timeouts import is_statement_timeout

_SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "malformed", "readonly")
_UNAVAILABLE_CLASSES = ("08", "40", "53")
"""PostgreSQL SQLSTATE classes: connection exception, transaction rollback (serialization
failure, deadlock), insufficient resources (too many connections, disk full)."""
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "57P04", "57P05", "55P03"})
"""Administrator shutdown, crash shutdown, cannot connect now, database dropped, idle session
timeout; lock not available."""
_NOT_STORABLE_CLASSES = ("22", "54")
"""Data exception (a value out of range, a NUL in a text), program limit exceeded (a string
too long for tsvector, an index row too large)."""


@dataclass(frozen=True, slots=True)
class DatabaseProblem:
    """What to answer for a database error."""

    status: int
    error: str
    message: str
    retry_after: int | None = None

    @property
    def headers(self) -> dict[str, str] | None:
        return None if self.retry_after is None else {"Retry-After": str(self.retry_after)}


BUSY = DatabaseProblem(
    503,
    "busy",
    "The service is busy: no database connection came free in time; retry shortly",
    retry_after=1,
)
UNAVAILABLE = DatabaseProblem(
    503, "database_unavailable", "The database is unavailable; retry shortly", retry_after=5
)


QUERY_RETRY_AFTER = 5
"""Seconds a client is asked to wait before asking again a question that ran out of time."""


def timeout_message(seconds: float) -> str:
    return (
        f"The query took longer than the server's limit of {seconds:g} s and was stopped: "
        "retry later, or narrow it with more filters or a search with fewer OR and prefix terms"
    )


def _sqlstate(exc: DBAPIError) -> str | None:
    state = getattr(exc.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def _first_line(exc: DBAPIError) -> str:
    """The database's own one-line message (PostgreSQL's primary message), without SQL."""
    diag = getattr(exc.orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    text = primary if isinstance(primary, str) and primary else str(exc.orig)
    return text.strip().splitlines()[0] if text.strip() else type(exc.orig).__name__


def classify(exc: BaseException, statement_timeout: float) -> DatabaseProblem | None:
    """The answer for a database error, or None for a bug (the last-resort 500)."""
    if isinstance(exc, PoolTimeout):
        return BUSY
    if not isinstance(exc, DBAPIError):
        return None
    if is_statement_timeout(exc):
        return DatabaseProblem(
            503, "query_timeout", timeout_message(statement_timeout), retry_after=QUERY_RETRY_AFTER
        )
    if exc.connection_invalidated:
        return UNAVAILABLE
    original = exc.orig
    if isinstance(original, sqlite3.Error):
        message = str(original).lower()
        if any(part in message for part in _SQLITE_UNAVAILABLE):
            return UNAVAILABLE
        if isinstance(original, sqlite3.DataError):
            return _not_storable(exc)
        return None
    state = _sqlstate(exc)
    if state is None:
        # psycopg refuses some values itself (a NUL in a text) and raises connection
        # failures (refused, reset, server gone) without a state.
        if isinstance(exc, DataError):
            return _not_storable(exc)
        return UNAVAILABLE if isinstance(exc, OperationalError) else None
    if state.startswith(_UNAVAILABLE_CLASSES) or state in _UNAVAILABLE_STATES:
        return UNAVAILABLE
    if state.startswith(_NOT_STORABLE_CLASSES):
        return _not_storable(exc)
    return None


def _not_storable(exc: DBAPIError) -> DatabaseProblem:
    return DatabaseProblem(
        422, "not_storable", f"The database cannot store or compare a value: {_first_line(exc)}"
    )


__all__ = ["BUSY", "UNAVAILABLE", "DatabaseProblem", "classify", "timeout_message"]
