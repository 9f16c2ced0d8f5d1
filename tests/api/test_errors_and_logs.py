"""Errors and logs: no stack trace, SQL or file path ever reaches a client; one error body
everywhere; a request id on every response and log line; security headers on every
response; CORS from settings; /health when the database cannot be reached."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.db import make_engine
from app.http.logs import JsonFormatter
from app.http.state import engine_of
from app.main import create_app

CSP = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
INTERNAL_ERROR = "Something went wrong on our side; quote the request id when reporting it"


@pytest.fixture(scope="module")
def faulty(seeded_engine: Engine) -> Iterator[TestClient]:
    """The app with routes that fail the ways code can fail, for these tests only."""
    app = create_app(seeded_engine)
    add_faulty_routes(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def add_faulty_routes(app: FastAPI) -> None:
    @app.get("/fail/python")
    def python_error() -> None:
        raise KeyError("/srv/ofsted/app/secret.py: Traceback (most recent call last)")

    @app.get("/fail/sql")
    def sql_error(request: Request) -> None:
        with engine_of(request).connect() as connection:
            connection.execute(text("SELECT secret_column FROM no_such_table"))

    @app.get("/fail/database")
    def database_down() -> None:
        raise OperationalError(
            "SELECT * FROM findings", {}, ConnectionRefusedError("connection refused on :5432")
        )


def leaks(body: str) -> list[str]:
    """Whatever in a response body looks like a trace, SQL or a path on the server."""
    patterns = [r"Traceback", r"File \"", r"SELECT", r"FROM ", r"/srv/", r"\.py\b",
                r"sqlalchemy", r"psycopg", r"sqlite3", r"no_such_table", r"secret"]  # fmt: skip
    return [pattern for pattern in patterns if re.search(pattern, body)]


@pytest.mark.parametrize("path", ["/fail/python", "/fail/sql"])
def test_an_unexpected_error_is_a_500_with_the_request_id_and_nothing_else(
    faulty: TestClient, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app")
    response = faulty.get(path, headers={"X-Request-ID": "incident-42"})
    assert response.status_code == 500
    assert response.json() == {
        "status": 500,
        "error": "internal_error",
        "message": INTERNAL_ERROR,
        "details": [],
        "request_id": "incident-42",
    }
    assert leaks(response.text) == []
    assert response.headers["x-request-id"] == "incident-42"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    # The log has the whole story, under the same id.
    (logged,) = [r for r in caplog.records if r.name == "app.errors"]
    assert logged.getMessage() == "unhandled error"
    assert logged.request_id == "incident-42"  # type: ignore[attr-defined]
    assert logged.exc_info is not None
    entry = json.loads(JsonFormatter().format(logged))
    assert entry["request_id"] == "incident-42"
    assert entry["path"] == path
    assert "Traceback (most recent call last)" in entry["exception"]


def test_a_database_fault_is_a_503_to_retry_without_the_sql(faulty: TestClient) -> None:
    response = faulty.get("/fail/database", headers={"X-Request-ID": "db-down-1"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "status": 503,
        "error": "database_unavailable",
        "message": "The database is unavailable; retry shortly",
        "details": [],
        "request_id": "db-down-1",
    }
    assert leaks(response.text) == []


def test_every_response_has_a_request_id(client: TestClient) -> None:
    made = client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/health").headers["x-request-id"] != made
    given = client.get("/findings?limit=1", headers={"X-Request-ID": "trace-abc.123"})
    assert given.headers["x-request-id"] == "trace-abc.123"
    for unsafe in ("has spaces", "x" * 129, "new\tline", "<script>"):
        replaced = client.get("/health", headers={"X-Request-ID": unsafe})
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"]), unsafe


def test_access_log_lines_are_json_with_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app")
    client.get("/findings?limit=1&theme=assessment", headers={"X-Request-ID": "log-test-7"})
    (record,) = [
        r
        for r in caplog.records
        if r.name == "app.access" and getattr(r, "request_id", None) == "log-test-7"
    ]
    entry = json.loads(JsonFormatter().format(record))
    assert entry["duration_ms"] >= 0
    del entry["time"], entry["duration_ms"]
    assert entry == {
        "level": "info",
        "logger": "app.access",
        "message": "GET /findings 200",
        "request_id": "log-test-7",
        "method": "GET",
        "path": "/findings",
        "query": "limit=1&theme=assessment",
        "status": 200,
    }


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/findings?limit=1", 200),
        ("/findings?limit=1&format=csv", 200),
        ("/inspections/999", 404),
        ("/findings?theme=colour", 422),
        ("/findings?colour=red", 422),
        ("/no/such/path", 404),
        ("/openapi.json", 200),
    ],
)
def test_security_headers_are_on_every_response(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name


def test_security_headers_on_304_and_405(client: TestClient) -> None:
    etag = client.get("/themes").headers["etag"]
    not_modified = client.get("/themes", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.headers["x-frame-options"] == "DENY"
    not_allowed = client.put("/themes")
    assert not_allowed.status_code == 405
    assert not_allowed.json() == {
        "status": 405,
        "error": "method_not_allowed",
        "message": "PUT is not allowed here; allowed: GET, HEAD",
        "details": [],
    }
    assert not_allowed.headers["allow"] == "GET, HEAD"
    assert not_allowed.headers["content-security-policy"] == CSP


def test_the_interactive_docs_may_run_their_inline_script(client: TestClient) -> None:
    policy = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'none'" in policy


def test_no_cors_headers_unless_origins_are_configured(client: TestClient) -> None:
    response = client.get("/themes", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_origins_come_from_settings(seeded_engine: Engine) -> None:
    settings = Settings(cors_origins=["https://explorer.example"])
    with TestClient(create_app(seeded_engine, settings)) as client:
        allowed = client.get("/themes", headers={"Origin": "https://explorer.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://explorer.example"
        assert allowed.headers["access-control-expose-headers"] == (
            "ETag, Last-Modified, Link, X-Coverage, X-Request-ID"
        )
        other = client.get("/themes", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = client.options(
            "/findings",
            headers={
                "Origin": "https://explorer.example",
                "Access-Control-Request-Method": "GET",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
        refused = client.options(
            "/documents",
            headers={
                "Origin": "https://explorer.example",
                "Access-Control-Request-Method": "POST",
            },
        )
        assert refused.status_code == 400


def test_health_when_the_database_cannot_be_reached() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:9/nowhere")
    with TestClient(create_app(engine)) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json() == {
            "status": "unavailable",
            "database": "unreachable",
            "schema_revision": None,
            "data_version": None,
            "search_ranking": None,
            "message": "The database cannot be reached",
        }
        findings = client.get("/findings", headers={"X-Request-ID": "no-db"})
        assert findings.status_code == 503
        assert findings.headers["retry-after"] == "5"
        assert findings.json() == {
            "status": 503,
            "error": "unavailable",
            "message": "The database cannot be reached",
            "details": [],
            "request_id": "no-db",
        }
    engine.dispose()
