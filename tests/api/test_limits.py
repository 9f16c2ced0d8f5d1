"""Limits, each answered by a clear 4xx in the one error body: query string length, value
length, repeated parameters, body size, page size, and a time limit on every statement."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.http.state import engine_of
from app.http.timeouts import install_statement_timeout, is_statement_timeout
from app.main import create_app
from app.models import Finding
from tests.api.helpers import get

# A statement that runs for minutes on either database: counting to a billion.
SLOW = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
    "SELECT count(*) FROM c"
)
# Twenty rows, each counting through ten thousand (about 10 ms of work a row on SQLite).
ROW_BY_ROW = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20), "
    "n(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM n WHERE y < 10000) "
    "SELECT x, (SELECT count(*) FROM n WHERE y % x = 0) FROM c"
)


def test_a_query_string_over_the_limit_is_a_414(client: TestClient) -> None:
    response = client.get("/findings?q=" + "a" * 4095)
    assert response.status_code == 414
    assert response.json() == {
        "status": 414,
        "error": "uri_too_long",
        "message": "The query string is 4,097 bytes long; the limit is 4,096",
        "details": [],
    }
    assert client.get("/findings?limit=1&q=" + "a" * 490).status_code == 200


def test_a_parameter_repeated_too_often_is_a_422(client: TestClient) -> None:
    response = client.get("/findings?" + "&".join(["theme=assessment"] * 51))
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": "too_many_values",
        "message": "theme: 51 values given; at most 50",
        "details": [
            {"parameter": "theme", "message": "51 values given; at most 50", "input": None}
        ],
    }
    many = client.get("/findings?limit=1&" + "&".join(["theme=assessment"] * 50))
    assert many.status_code == 200


def test_a_parameter_value_over_the_limit_is_a_422(client: TestClient) -> None:
    response = client.get("/findings?authority=" + "x" * 501)
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": "parameter_too_long",
        "message": "authority: the value is 501 characters long; at most 500",
        "details": [
            {
                "parameter": "authority",
                "message": "the value is 501 characters long; at most 500",
                "input": None,
            }
        ],
    }


def test_page_size_is_bounded(client: TestClient) -> None:
    assert len(get(client, "/findings?limit=500")["items"]) == 130
    response = client.get("/findings?limit=501")
    assert response.status_code == 422
    assert response.json()["message"] == "limit: Input should be less than or equal to 500"


def test_a_body_over_the_limit_is_a_413_even_where_none_is_read(client: TestClient) -> None:
    response = client.request("GET", "/findings", content=b"x" * (64 * 1024 + 1))
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "error": "content_too_large",
        "message": "The request body is larger than the limit of 65,536 bytes",
        "details": [],
    }
    assert client.request("GET", "/health", content=b"x" * 1024).status_code == 200


def test_limits_change_with_settings(seeded_engine: Engine) -> None:
    settings = Settings(max_query_bytes=300, max_parameter_values=2, max_parameter_length=10)
    with TestClient(create_app(seeded_engine, settings)) as client:
        assert client.get("/findings?q=" + "a" * 299).status_code == 414
        assert client.get("/findings?theme=assessment&theme=workforce&theme=leadership").json()[
            "message"
        ] == ("theme: 3 values given; at most 2")
        assert client.get("/findings?authority=cheshire-east").json()["message"] == (
            "authority: the value is 13 characters long; at most 10"
        )


def test_the_openapi_document_states_the_limits(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    parameters = {p["name"]: p["schema"] for p in spec["paths"]["/findings"]["get"]["parameters"]}
    assert parameters["q"]["anyOf"][0] == {"type": "string", "maxLength": 500}
    assert parameters["theme"]["anyOf"][0]["maxItems"] == 50
    assert parameters["authority"]["anyOf"][0] == {
        "type": "array",
        "items": {"type": "string", "maxLength": 500},
        "maxItems": 50,
    }
    assert parameters["limit"]["maximum"] == 500
    for item in spec["paths"].values():
        for operation in item.values():
            assert {"413", "414", "503"} <= set(operation["responses"])


# --- the statement time limit ------------------------------------------------------------------


@pytest.fixture
def limited_engine(empty_engine: Engine) -> Iterator[Engine]:
    install_statement_timeout(empty_engine, 0.5)
    yield empty_engine


def test_a_statement_over_the_time_limit_is_stopped(limited_engine: Engine) -> None:
    started = time.monotonic()
    with pytest.raises(OperationalError) as raised, limited_engine.connect() as connection:
        connection.execute(text(SLOW))
    elapsed = time.monotonic() - started
    assert is_statement_timeout(raised.value)
    assert 0.4 < elapsed < 3
    with limited_engine.connect() as connection:  # the pool's connections still work
        assert connection.execute(text("SELECT 1")).scalar() == 1


def test_time_spent_waiting_for_the_reader_does_not_count(limited_engine: Engine) -> None:
    """A CSV export streams rows to a slow client: only the database's own work is timed.
    The rows cost the database about 0.2 s in all; the reader waits 0.5 s after each batch
    of four, 2.5 s in all, more than twice the limit of 1 s."""
    install_statement_timeout(limited_engine, 1.0)
    with limited_engine.connect() as connection:
        result = connection.execution_options(yield_per=4).execute(text(ROW_BY_ROW))
        rows = []
        for partition in result.partitions():
            rows.extend(partition)
            time.sleep(0.5)
    assert [row[0] for row in rows] == list(range(1, 21))
    assert rows[1][1] == 5_000


def test_a_query_that_runs_too_long_is_a_503_saying_so(seeded_writable_engine: Engine) -> None:
    app = create_app(seeded_writable_engine, Settings(statement_timeout_seconds=0.5))

    @app.get("/slow-query-for-tests")
    def slow(request: Request) -> dict[str, int]:
        with engine_of(request).connect() as connection:
            connection.execute(select(Finding.id).limit(1))  # type: ignore[call-overload]
            return {"count": connection.execute(text(SLOW)).scalar_one()}

    with TestClient(app) as client:
        started = time.monotonic()
        response = client.get("/slow-query-for-tests")
        assert time.monotonic() - started < 3
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert response.json() == {
            "request_id": response.headers["x-request-id"],
            "status": 503,
            "error": "query_timeout",
            "message": "The query took longer than the server's limit of 0.5 s and was "
            "stopped: retry later, or narrow it with more filters or a search with fewer OR "
            "and prefix terms",
            "details": [],
        }
        assert client.get("/findings?limit=1").status_code == 200
