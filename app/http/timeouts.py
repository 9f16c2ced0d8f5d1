"""A time limit on every database statement, so a pathological query cannot hold a worker.

PostgreSQL: `SET statement_timeout` on each new connection; the server cancels a statement
that runs longer (SQLSTATE 57014, query_canceled).

SQLite has no statement timeout, so a progress handler does the same: SQLite calls it every
few thousand virtual-machine instructions while it is working on a statement, and the handler
aborts the statement (sqlite3.OperationalError "interrupted") once the time spent inside
SQLite since the statement was executed passes the limit. Time spent waiting for the caller
(a slow client reading a streamed CSV) is not counted, only time SQLite spends working.

Either way the request is answered with a 503 `query_timeout` and Retry-After (see
app/http/errors.py).
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

SQLITE_PROGRESS_INSTRUCTIONS = 100_000
"""SQLite VM instructions between two calls of the progress handler (about a millisecond):
each call takes the GIL, so much more often would slow SQLite down under load."""
_IDLE_GAP = 0.05
"""A gap this long between two handler calls means SQLite was idle (waiting for the caller
to fetch more rows), not working: it is not counted."""
_BUDGET_KEY = "statement_budget"
_QUERY_CANCELED = "57014"

_limits: weakref.WeakKeyDictionary[Engine, _Limit] = weakref.WeakKeyDictionary()


class _Limit:
    """The limit in force on one engine: changing it applies to its next statements."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class _Budget:
    """Time SQLite has spent on the current statement of one connection."""

    __slots__ = ("last", "limit", "spent")

    def __init__(self, limit: _Limit) -> None:
        self.limit = limit
        self.spent = 0.0
        self.last = time.monotonic()

    def reset(self) -> None:
        self.spent = 0.0
        self.last = time.monotonic()

    def check(self) -> int:
        """The progress handler: non-zero aborts the statement."""
        now = time.monotonic()
        gap = now - self.last
        self.last = now
        if gap < _IDLE_GAP:
            self.spent += gap
        return 1 if self.spent > self.limit.seconds else 0


def _sqlite_listeners(limit: _Limit) -> tuple[Any, Any]:
    def on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        budget = _Budget(limit)
        record.info[_BUDGET_KEY] = budget
        dbapi_connection.set_progress_handler(budget.check, SQLITE_PROGRESS_INSTRUCTIONS)

    def before_execute(connection: Any, *_args: Any) -> None:
        budget = connection.info.get(_BUDGET_KEY)
        if budget is not None:
            budget.reset()

    return on_connect, before_execute


def _postgresql_listener(limit: _Limit) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        milliseconds = max(1, round(limit.seconds * 1000))
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {milliseconds}")
        dbapi_connection.commit()

    return on_connect


def install_statement_timeout(engine: Engine, seconds: float) -> None:
    """Limit every statement `engine` runs to `seconds`. Connections already in the pool are
    closed, so every connection handed out from now on carries the limit."""
    installed = _limits.get(engine)
    if installed is not None:
        if installed.seconds == seconds:
            return
        installed.seconds = seconds
    else:
        installed = _limits[engine] = _Limit(seconds)
        if engine.dialect.name == "sqlite":
            on_connect, before_execute = _sqlite_listeners(installed)
            event.listen(engine, "connect", on_connect)
            event.listen(engine, "before_cursor_execute", before_execute)
        elif engine.dialect.name == "postgresql":
            event.listen(engine, "connect", _postgresql_listener(installed))
    if engine.url.database not in (None, "", ":memory:"):  # disposing would lose the data
        engine.dispose()


def is_statement_timeout(exc: BaseException) -> bool:
    """True when a database error is a statement stopped by the time limit."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(original, sqlite3.OperationalError):
        return str(original) == "interrupted"
    return getattr(original, "sqlstate", None) == _QUERY_CANCELED


__all__ = ["install_statement_timeout", "is_statement_timeout"]
