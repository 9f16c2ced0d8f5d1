"""The app served for real by uvicorn on a free local port, for the tests that need real
connections: slow readers, clients that go away, partial requests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI

from app.main import create_app
from tests.pipeline.test_pipeline import crash_on_marker

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8100, 8200)
"""The TCP ports the live servers of the tests may use."""


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free TCP port in {PORTS.start}-{PORTS.stop - 1}")


def wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"uvicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"uvicorn did not answer at {url} within 60 s:\n{log.read_text()}")


def slow_extraction_app() -> FastAPI:
    """The app, with uploads read by tests.pipeline.test_pipeline.crash_on_marker: a file starting
    with SLOW takes a minute to read (for `uvicorn --factory`)."""
    app = create_app()
    app.state.extraction_work = crash_on_marker
    return app


@contextmanager
def serve(
    database_url: str,
    log: Path,
    environment: dict[str, str] | None = None,
    app: str = "app.main:app",
    options: tuple[str, ...] = (),
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn serving `app` on a free port, on `database_url`: yields (url, process)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    protocol = "app.http.serving:HeaderTimeoutProtocol"
    command += ["--log-level", "warning", "--http", protocol, *options]
    env = {**os.environ, "DATABASE_URL": database_url, **(environment or {})}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_up(process, url, log)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


__all__ = ["PROJECT_ROOT", "free_port", "serve", "slow_extraction_app", "wait_until_up"]
