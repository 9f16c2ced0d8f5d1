"""The servers under test, each started as its own process on loopback and stopped by pid."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scripts.bench.scenarios import DATABASE_NAME, datasette_metadata
from scripts.bench.tools import pinning

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: the server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: no answer from {url} after {seconds:.0f}s")


@contextmanager
def _running(
    command: list[str],
    ready_url: str,
    env: dict[str, str],
    log: Path,
    cwd: Path = PROJECT_ROOT,
) -> Iterator[str]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait(ready_url, process)
            yield ready_url.split("/", 3)[0] + "//" + ready_url.split("/", 3)[2]
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@contextmanager
def api(
    database_url: str, port: int, cpu: int, log: Path, checkout: Path = PROJECT_ROOT
) -> Iterator[str]:
    """This service: one uvicorn worker, pinned to `cpu`; `checkout`: the service as another
    checkout of the project has it (a baseline), run by this one's Python and packages."""
    command = [
        *pinning(cpu),
        sys.executable, "-m", "uvicorn", "app.main:app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    env = {"DATABASE_URL": database_url, "PYTHONPATH": str(checkout)}
    with _running(command, f"http://127.0.0.1:{port}/health", env, log, cwd=checkout) as url:
        yield url


@contextmanager
def datasette(command: Path, database: Path, port: int, cpu: int, log: Path) -> Iterator[str]:
    """Datasette on the same SQLite file, with the scenarios as canned queries."""
    metadata = log.parent / "datasette-metadata.json"
    metadata.write_text(json.dumps(datasette_metadata(), indent=2))
    if database.stem != DATABASE_NAME:  # Datasette names the database after the file
        raise ValueError(f"the corpus file must be named {DATABASE_NAME}.sqlite3")
    arguments = [
        *pinning(cpu),
        str(command), "serve", str(database), "--metadata", str(metadata),
        "--host", "127.0.0.1", "--port", str(port),
        "--setting", "sql_time_limit_ms", "60000",
        "--setting", "max_returned_rows", "1000",
    ]  # fmt: skip
    with _running(arguments, f"http://127.0.0.1:{port}/-/versions.json", {}, log) as url:
        yield url
