"""Capacity: a real server (uvicorn, as `make run` starts it) answers 64 concurrent requests,
a quarter of them CSV exports that hold a connection while they stream, with no error; and
the connection pool is sized from the worker threads and the export slots, so a request
thread never waits for a connection (the deadlock of a pool smaller than the thread pool).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import anyio
import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from scripts.load_test import count_logged_errors, run_coroutine, run_load, serve

PORTS = range(8240, 8300)  # this project's range on the shared machine


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8240-8299")


@pytest.fixture
def server(seeded_writable_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # 16 threads (and so 24 connections) keeps a shared PostgreSQL well within its limit;
    # the 64 requests queue for threads, never for connections.
    monkeypatch.setenv("WORKER_THREADS", "16")
    url = seeded_writable_engine.url.render_as_string(hide_password=False)
    with serve(free_port(), url) as (base, log_path):
        yield base
    assert count_logged_errors(log_path) == 0, log_path.read_text()


PATHS = [
    "/findings?limit=50",
    "/findings?q=child*",
    "/findings/facets",
    "/inspections/4",
    "/stats/grades",
    "/authorities/cheshire-east/timeline",
    "/findings?format=csv",
    "/inspections?format=csv",
]


def test_64_concurrent_requests_all_succeed(server: str) -> None:
    async def fire() -> list[tuple[str, int]]:
        limits = httpx2.Limits(max_connections=64)
        async with httpx2.AsyncClient(base_url=server, limits=limits, timeout=60) as client:
            paths = [PATHS[index % len(PATHS)] for index in range(64)]
            responses = await asyncio.gather(*(client.get(path) for path in paths))
            return [
                (path, response.status_code)
                for path, response in zip(paths, responses, strict=True)
            ]

    answers = run_coroutine(fire())
    assert len(answers) == 64
    assert [answer for answer in answers if answer[1] != 200] == []


def test_a_short_load_at_64_connections_has_no_errors(server: str) -> None:
    report = run_load(server, seconds=5, connections=64)
    assert report.failures == []
    assert report.failure_count == 0
    assert report.requests >= 64
    assert set(report.statuses) == {200}


def test_the_pool_has_a_connection_for_every_thread_and_export(tmp_path: object) -> None:
    settings = Settings()
    assert settings.pool_size == settings.worker_threads + settings.max_concurrent_exports == 40
    engine = make_engine(f"sqlite:///{tmp_path}/pool.sqlite3")
    assert engine.pool.size() == 40  # type: ignore[attr-defined]
    engine.dispose()


def test_the_app_runs_routes_on_as_many_threads_as_configured(seeded_engine: Engine) -> None:
    app = create_app(seeded_engine, Settings(worker_threads=12))

    @app.get("/threads-for-tests")
    async def threads() -> dict[str, float]:
        return {"tokens": anyio.to_thread.current_default_thread_limiter().total_tokens}

    with TestClient(app) as client:
        assert client.get("/threads-for-tests").json() == {"tokens": 12}
