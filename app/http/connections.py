"""The engine, and the connection a request reads on.

Kept apart from app/http/state.py, which imports the store, so that the listing code (which
the store imports) can take a request's connection too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from sqlalchemy import Connection
from sqlalchemy.engine import Engine


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


_HELD = "ofsted.connection"
"""The scope key of what a request holds (`holding_a_connection`)."""


class _Held:
    """The connection a request holds: none until it first reads."""

    __slots__ = ("connection",)

    def __init__(self) -> None:
        self.connection: Connection | None = None


@contextmanager
def holding_a_connection(request: Request) -> Iterator[None]:
    """Hold one connection for the whole of a request answered in one call (the fast path,
    app/http/fastpath.py): its data version and its page are read on it, so the request
    checks one connection out of the pool, not two; on PostgreSQL that is one pre-ping
    round trip, not two. It is checked out when the request first reads, and returned to
    the pool when the block ends."""
    held = _Held()
    request.scope[_HELD] = held
    try:
        yield
    finally:
        del request.scope[_HELD]
        if held.connection is not None:
            held.connection.close()


@contextmanager
def connection_of(request: Request) -> Iterator[Connection]:
    """The connection to read this request's data on: the one the request holds
    (`holding_a_connection`), left open for the rest of the request, or else a new one for
    this block."""
    held: _Held | None = request.scope.get(_HELD)
    if held is None:
        with engine_of(request).connect() as connection:
            yield connection
        return
    if held.connection is None:
        held.connection = engine_of(request).connect()
    yield held.connection


__all__ = ["connection_of", "engine_of", "holding_a_connection"]
