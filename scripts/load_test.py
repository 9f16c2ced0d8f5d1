"""Load test: many concurrent connections over varied queries for a fixed time, reporting
any response that is not a 2xx and any connection error (there must be none).

    python -m scripts.load_test --url http://127.0.0.1:8000 --seconds 60 --connections 64
    python -m scripts.load_test --serve --port 8200 --seconds 60 --connections 64

`--serve` starts the service itself (uvicorn, one process, like `make run`) on the given
port against DATABASE_URL (default: the seeded SQLite file), waits for /health, runs the
load, and stops it; the server's JSON log goes to a file whose error lines are counted.
`make load` runs the second form. The harness of `make bench` can call `run_load()` (or
`serve()` around it) and read the `LoadReport` it returns.

The queries are discovered from the data on the server (ids of inspections, findings,
documents and authorities) and mix every read endpoint: lists with filters, full-text
searches, facets, statistics, timelines, neighbours, detail pages and CSV exports.
Requests come from one asyncio client (httpx2) with one keep-alive connection per worker,
so the load is `connections` requests in flight at every moment.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx2

ROOT = Path(__file__).resolve().parent.parent

STATIC_PATHS = (
    "/health",
    "/themes",
    "/grades",
    "/findings?limit=50",
    "/findings?limit=50&sort=-date&count=false",
    "/findings?q=%22management+oversight%22",
    "/findings?q=supervis*&theme=management-oversight",
    "/findings?q=child*+AND+NOT+placement&kind=recommendation",
    "/findings?q=(neglect+OR+exploitation)+AND+risk&polarity=negative",
    "/findings?theme=front-door&theme=assessment&year_from=2012&year_to=2020",
    "/findings?kind=recommendation&timeframe=immediately",
    "/findings?grade=inadequate&area=leadership&limit=100",
    "/findings?region=North+West&type=ilacs&sort=authority",
    "/findings/facets",
    "/findings/facets?q=child*&by=theme,year",
    "/findings/facets?grade=inadequate&by=grade,area,theme&theme=front-door",
    "/inspections",
    "/inspections?grade=inadequate&area=overall-effectiveness",
    "/inspections?type=ilacs&year_from=2018",
    "/judgements?area=overall-effectiveness",
    "/judgements?grade=good&year_from=2015",
    "/authorities",
    "/authorities?region=London",
    "/stats/themes",
    "/stats/themes?by=region&polarity=negative",
    "/stats/grades",
    "/stats/grades?per=inspection&by=region",
    "/changes?since=0",
    "/findings?format=csv&theme=management-oversight",
    "/inspections?format=csv",
    "/stats/themes?format=csv",
)


@dataclass(slots=True)
class LoadReport:
    url: str
    seconds: float
    connections: int
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """One line per non-2xx response or connection error (the first 50 in full)."""
    failure_count: int = 0
    paths: int = 0
    server_errors_logged: int | None = None
    server_log: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure_count == 0 and not self.server_errors_logged

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def summary(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "seconds": round(self.seconds, 1),
            "connections": self.connections,
            "distinct_queries": self.paths,
            "requests": self.requests,
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "non_2xx_or_errors": self.failure_count,
            "latency_ms": {
                "mean": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else 0,
                "p50": round(self.percentile(0.50), 1),
                "p95": round(self.percentile(0.95), 1),
                "p99": round(self.percentile(0.99), 1),
                "max": round(max(self.latencies_ms, default=0.0), 1),
            },
            "server_errors_logged": self.server_errors_logged,
            "server_log": self.server_log,
            "failures": self.failures[:50],
        }


async def discover(client: httpx2.AsyncClient) -> list[str]:
    """Detail and per-authority paths for ids that exist on this server."""
    paths: list[str] = []
    inspections = (await client.get("/inspections?limit=30")).json()["items"]
    for item in inspections:
        paths.append(f"/inspections/{item['id']}")
        paths.extend(f"/documents/{document['id']}" for document in item["documents"][:1])
    slugs = sorted({item["authority"]["slug"] for item in inspections})
    for slug in slugs[:10]:
        paths += [
            f"/authorities/{slug}",
            f"/authorities/{slug}/timeline",
            f"/authorities/{slug}/neighbours",
            f"/findings?authority={slug}&limit=20",
        ]
    findings = (await client.get("/findings?limit=30&count=false")).json()["items"]
    paths.extend(f"/findings/{item['id']}" for item in findings)
    return paths


async def _worker(
    client: httpx2.AsyncClient,
    paths: Sequence[str],
    offset: int,
    deadline: float,
    report: LoadReport,
) -> None:
    index = offset
    while time.monotonic() < deadline:
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            response = await client.get(path)
            await response.aread()
        except httpx2.HTTPError as exc:
            report.requests += 1
            report.failure_count += 1
            if len(report.failures) < 50:
                report.failures.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        report.requests += 1
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        report.statuses[response.status_code] += 1
        if not 200 <= response.status_code < 300:
            report.failure_count += 1
            if len(report.failures) < 50:
                report.failures.append(f"{path}: {response.status_code} {response.text[:300]}")


async def run_load_async(url: str, seconds: float, connections: int) -> LoadReport:
    report = LoadReport(url, seconds, connections)
    limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections)
    timeout = httpx2.Timeout(60.0)
    async with httpx2.AsyncClient(base_url=url, limits=limits, timeout=timeout) as client:
        paths = [*STATIC_PATHS, *await discover(client)]
        report.paths = len(paths)
        started = time.monotonic()
        deadline = started + seconds
        stride = max(1, len(paths) // connections)
        await asyncio.gather(
            *(
                _worker(client, paths, worker * stride, deadline, report)
                for worker in range(connections)
            )
        )
        report.seconds = time.monotonic() - started
    return report


T = TypeVar("T")


def run_load(url: str, seconds: float = 60, connections: int = 64) -> LoadReport:
    """Run the load against a server already listening at `url`."""
    return run_coroutine(run_load_async(url, seconds, connections))


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, in a thread of its own when this thread already runs an event loop
    (as it does inside a Playwright session)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


PROTOCOL = "app.http.serving:HeaderTimeoutProtocol"
"""As `make run` starts uvicorn: headers that take too long close the connection."""


@contextlib.contextmanager
def serve(
    port: int, database_url: str | None = None, log_path: Path | None = None
) -> Iterator[tuple[str, Path]]:
    """The service on 127.0.0.1:`port` for the duration of the block; yields its URL and
    the path of its log."""
    env = dict(os.environ)
    if database_url:
        env["DATABASE_URL"] = database_url
    log_path = log_path or Path(tempfile.mkstemp(prefix="ofsted-load-", suffix=".log")[1])
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log", "--http", PROTOCOL],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_until_healthy(url, server)
            yield url, log_path
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before it was ready")
        with contextlib.suppress(httpx2.HTTPError):
            if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server at {url} was not healthy within {timeout:.0f} s")


def count_logged_errors(log_path: Path) -> int:
    """Lines of the server's log at level error or above (JSON lines, or uvicorn's own)."""
    errors = 0
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            errors += line.startswith(("ERROR", "CRITICAL"))
            continue
        errors += isinstance(entry, dict) and entry.get("level") in ("error", "critical")
    return errors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.load_test",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a running server")
    parser.add_argument("--serve", action="store_true", help="start the server on --port")
    parser.add_argument("--port", type=int, default=8200, help="port for --serve")
    parser.add_argument("--database-url", help="DATABASE_URL for --serve")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if args.serve:
        with serve(args.port, args.database_url) as (url, log_path):
            report = run_load(url, args.seconds, args.connections)
        report.server_log = str(log_path)
        report.server_errors_logged = count_logged_errors(log_path)
    else:
        report = run_load(args.url, args.seconds, args.connections)
    summary = report.summary()
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    verdict = "OK: every response was a 2xx" if report.ok else "FAILED: see failures above"
    print(verdict, file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
