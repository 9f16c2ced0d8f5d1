"""Is the database ready to serve? Reachable, and migrated to the revision this code needs.

The service starts whatever state its database is in. On an empty database, or one at an
older migration, it logs what to run, `/health` says so (503), and every other route answers
a 503 naming the command, until the database is migrated: then it serves at once, without a
restart. Once the schema is found current it is not checked again.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.db import current_revision, head_revision
from app.http.errors import ServiceUnavailable
from app.http.state import engine_of
from app.store.changes import data_version
from app.store.search import search_ranking

logger = logging.getLogger("app.readiness")
UNGUARDED_PATHS = frozenset({"/health"})
MIGRATE_COMMAND = "`alembic upgrade head` (or `python -m seed`, which migrates first)"


@dataclass(frozen=True, slots=True)
class Readiness:
    reachable: bool
    revision: str | None
    head: str | None

    @property
    def current(self) -> bool:
        return self.reachable and self.revision == self.head

    @property
    def message(self) -> str | None:
        if not self.reachable:
            return "The database cannot be reached"
        if self.revision is None:
            return f"The database is empty (no migrations applied): run {MIGRATE_COMMAND}"
        if self.revision != self.head:
            return (
                f"The database schema is at migration {self.revision}; this service needs "
                f"{self.head}: run {MIGRATE_COMMAND}"
            )
        return None


@lru_cache(maxsize=1)
def _head() -> str | None:
    return head_revision()


def check(engine: Engine) -> Readiness:
    try:
        revision = current_revision(engine)
    except SQLAlchemyError:
        return Readiness(False, None, _head())
    return Readiness(True, revision, _head())


class SchemaGate:
    """Remembers, per app, that the schema was found current."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current = False

    @property
    def current(self) -> bool:
        return self._current

    def readiness(self, engine: Engine) -> Readiness:
        if self._current:
            head = _head()
            return Readiness(True, head, head)
        found = check(engine)
        if found.current:
            with self._lock:
                self._current = True
        return found


def gate_of(request: Request) -> SchemaGate:
    gate: SchemaGate = request.app.state.schema_gate
    return gate


async def require_current_schema(request: Request) -> None:
    """App-wide dependency: a 503 naming what to run while the database is not migrated.
    Once the schema was found current this costs nothing (no thread, no query)."""
    route = request.scope.get("route")
    gate = gate_of(request)
    if gate.current or not isinstance(route, APIRoute) or route.path in UNGUARDED_PATHS:
        return
    found = await run_in_threadpool(gate.readiness, engine_of(request))
    if not found.current:
        raise ServiceUnavailable(found.message or "The database is not ready")


def health_report(request: Request) -> tuple[int, dict[str, object]]:
    """The /health body and status: 200 when the database is reachable and current."""
    engine = engine_of(request)
    found = gate_of(request).readiness(engine)
    version: int | None = None
    ranking: str | None = None
    if found.current:
        try:
            with engine.connect() as connection:
                version = data_version(connection).version
                ranking = search_ranking(connection).value
        except SQLAlchemyError:
            found = Readiness(False, None, found.head)
    if found.current:
        status = "ok"
    elif found.reachable:
        status = "migration_needed"
    else:
        status = "unavailable"
    body: dict[str, object] = {
        "status": status,
        "database": "ok" if found.reachable else "unreachable",
        "schema_revision": found.revision,
        "data_version": version,
        "search_ranking": ranking,
    }
    if found.message is not None:
        body["message"] = found.message
    return (200 if found.current else 503), body


def log_readiness(engine: Engine) -> Readiness:
    """At startup: say what state the database is in and, if it is not ready, what to run."""
    found = check(engine)
    url = engine.url.render_as_string(hide_password=True)
    if found.current:
        logger.info("database ready", extra={"database": url, "schema_revision": found.revision})
    else:
        logger.warning(found.message or "database not ready", extra={"database": url})
    return found


__all__ = [
    "Readiness",
    "SchemaGate",
    "check",
    "health_report",
    "log_readiness",
    "require_current_schema",
]
