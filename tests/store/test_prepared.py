"""Statements built and compiled once per shape (app/store/prepared.py): each query of a
shape gets the answer of its own values, a page on PostgreSQL is one round trip, a quick
SQLite page is read on the event loop, and the statement time-out stops a prepared
statement as it stops any other."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from psycopg import pq
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from app.http.timeouts import install_statement_timeout, is_statement_timeout
from app.params import FindingQuery
from app.store.authorities import AuthorityIndex
from app.store.findings import findings_statement
from app.store.prepared import Prepared, prepared
from tests.api.helpers import walk


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


def ids_in_date_order(engine: Engine, slug: str) -> list[int]:
    """The oracle: an authority's findings in the list's order, by plain SQL."""
    with engine.connect() as connection:
        return list(
            connection.scalars(
                text(
                    "SELECT f.id FROM findings f JOIN authorities a ON a.id = f.authority_id "
                    "WHERE a.slug = :slug ORDER BY f.start_date, f.id"
                ),
                {"slug": slug},
            )
        )


def test_each_query_of_a_shape_gets_its_own_values(client: TestClient) -> None:
    """One authority, then another, then the first again: the same statement (compiled
    once) with each request's values, first pages and pages after a cursor alike."""
    engine = engine_of(client)
    for slug, total in [
        ("cheshire-east", 116),
        ("cheshire-west-and-chester", 14),
        ("cheshire-east", 116),
    ]:
        walked = walk(client, f"/findings?authority={slug}&count=false&limit=5")
        assert [item["id"] for item in walked] == ids_in_date_order(engine, slug)
        assert len(walked) == total
        assert {item["authority"]["slug"] for item in walked} == {slug}
    for year, total in [(2010, 33), (2013, 74), (2010, 33)]:
        body = client.get(f"/findings?year={year}&limit=1").json()
        assert body["total"] == total
        assert body["items"][0]["year"] == year


@contextmanager
def round_trips(driver: Any) -> Iterator[list[str]]:
    """PostgreSQL: the requests the client sent the server inside the block, from libpq's
    protocol trace: a statement of the extended protocol ends with a Sync, a command of the
    simple one (psycopg's BEGIN) is a Query."""
    sent: list[str] = []
    with tempfile.TemporaryFile("w+") as trace:
        driver.pgconn.trace(trace.fileno())
        driver.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            yield sent
        finally:
            driver.pgconn.untrace()
            trace.seek(0)
            lines = [line.split("\t") for line in trace.read().splitlines()]
    requests = ("Sync", "Query")
    sent.extend(fields[2] for fields in lines if fields[0] == "F" and fields[2] in requests)


def test_a_page_opens_no_transaction_and_is_one_round_trip(seeded_engine: Engine) -> None:
    """A page read outside a transaction stays outside one: on PostgreSQL psycopg sends no
    BEGIN before it and the pool no ROLLBACK after it, so the page is one round trip."""
    query = FindingQuery.model_validate({"authority": ["cheshire-east"]})
    index = AuthorityIndex()
    with seeded_engine.connect() as connection:
        index.all(connection)  # the register in memory, as in a running service
    with seeded_engine.connect() as connection:
        found = findings_statement(connection, index, query, None)
        page = prepared(("test page", found.shape), connection, lambda: found.statement.limit(5))
        driver: Any = connection.connection.driver_connection
        if seeded_engine.dialect.name == "postgresql":
            with round_trips(driver) as sent:
                rows = page.rows(connection, found.params)
            assert sent == ["Sync"]
            assert driver.info.transaction_status == 0  # IDLE: no transaction left open
            assert driver.autocommit is False
        else:
            rows = page.rows(connection, found.params)
            assert driver.in_transaction is False
    assert [row[0] for row in rows] == ids_in_date_order(seeded_engine, "cheshire-east")[:5]


def test_a_quick_sqlite_page_is_read_on_the_event_loop(client: TestClient) -> None:
    """An uncounted page skips the thread pool on SQLite; a counted one (which may read
    much more) and every PostgreSQL read go to the pool."""
    engine = engine_of(client)
    threads: list[str] = []

    def record(*_args: Any) -> None:
        threads.append(threading.current_thread().name)

    client.get("/findings?authority=cheshire-east")  # the register and coverage in memory
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get("/findings?authority=cheshire-east&count=false")
        quick = threads[:]
        threads.clear()
        client.get("/findings?authority=cheshire-east")
        counted = threads[:]
    finally:
        event.remove(engine, "before_cursor_execute", record)
    in_pool = "AnyIO worker thread"
    assert counted == [in_pool] * 3  # the data version, the total, the page
    if engine.dialect.name == "sqlite":
        assert len(quick) == 2 and in_pool not in quick
    else:
        assert quick == [in_pool] * 2


def test_a_findings_request_reads_on_one_connection(client: TestClient) -> None:
    """The data version and the page of a findings request are read on the one connection
    the request checks out of the pool; on PostgreSQL, after the pool's pre-ping, that is
    two round trips and no transaction. A conditional request, which FastAPI's own handler
    answers, still takes one connection for its data version and another for its page."""
    engine = engine_of(client)
    on_postgres = engine.dialect.name == "postgresql"
    checkouts: list[Any] = []

    with tempfile.TemporaryFile("w+") as trace:

        def checked_out(driver: Any, *_args: Any) -> None:
            checkouts.append(driver)
            if on_postgres:
                driver.pgconn.trace(trace.fileno())
                driver.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

        def checked_in(driver: Any, *_args: Any) -> None:
            if on_postgres and driver is not None:
                driver.pgconn.untrace()

        first = client.get("/findings?authority=cheshire-east&count=false")  # caches warm
        event.listen(engine.pool, "checkout", checked_out)
        event.listen(engine.pool, "checkin", checked_in)
        try:
            quick = client.get("/findings?authority=cheshire-east&count=false")
            one_connection = len(checkouts)
            trace.seek(0)
            lines = [line.split("\t") for line in trace.read().splitlines()]
            checkouts.clear()
            conditional = client.get(
                "/findings?authority=cheshire-east&count=false",
                headers={"If-None-Match": '"stale"'},
            )
            conditional_connections = len(checkouts)
        finally:
            event.remove(engine.pool, "checkout", checked_out)
            event.remove(engine.pool, "checkin", checked_in)
    assert quick.status_code == conditional.status_code == 200
    assert quick.json() == conditional.json() == first.json()
    assert one_connection == 1
    assert conditional_connections == 2
    if on_postgres:
        sent = [
            fields[2] for fields in lines if fields[0] == "F" and fields[2] in ("Sync", "Query")
        ]
        assert sent == ["Sync", "Sync"]  # the data version, the page


FOREVER = text(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
)


def test_the_statement_time_out_stops_a_prepared_statement(empty_engine: Engine) -> None:
    install_statement_timeout(empty_engine, 0.2)
    with empty_engine.connect() as connection:
        statement = Prepared.of(FOREVER, connection)
        with pytest.raises(DBAPIError) as raised:
            statement.rows(connection, {})
    assert is_statement_timeout(raised.value)
