"""In-process CPU per request, by layer: where a findings page's CPU goes inside the service.

    python -m scripts.bench.profile                       # the bench's 1,000,000-finding corpus
    python -m scripts.bench.profile --findings 100000     # a smaller corpus (built if missing)
    python -m scripts.bench.profile --database data/ofsted.sqlite3 --scenarios authority

The app is driven through ASGI in this process (no sockets, no server): what is measured is
the app's own CPU from the request's scope to the last byte of its body, with the HTTP parsing
of a server (uvicorn's httptools) left out. Two passes over the same URLs of each scenario
(the bench's own, from `scripts.bench.scenarios`):

1. unprofiled: CPU seconds of the process (all threads: the thread pool's SQLite reads
   included) per request, after a warm-up pass;
2. under cProfile, in every thread: each function's own time is put in a layer by the module
   it belongs to, less cProfile's own cost for the calls it counted there, and the layer's
   share is applied to the unprofiled figure. cProfile adds about the same time to every
   call it sees, to the called function's own time and to the caller's, so code of many
   small calls (a search's snippets: a regular expression's matches, word by word) looked
   several times costlier than it is; that cost is measured first, on calls of a function
   that does nothing (`calibrate`), and taken from each function by the calls it received
   and made (`split`). The total is measured; the split is an estimate.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import os
import pstats
import random
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.db import make_engine, migrate
from app.main import create_app
from scripts.bench.scenarios import DATABASE_NAME, SCENARIOS, Scenario

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# A function's layer: the first rule whose text is in its file name followed by ":" and its
# name (for a C function, in its name). Order matters: the specific before the general; a
# layer may have several rules.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SQLite (the engine itself)", ("sqlite3.", "_sqlite3", "psycopg")),
    ("JSON", ("orjson", "/json/")),
    ("logging", ("/logging/", "app/http/logs.py")),
    (
        "row shaping",
        (
            "sqlalchemy/engine/result.py",
            "sqlalchemy/engine/row.py",
            "sqlalchemy/engine/cursor.py",
            "sqlalchemy/engine/_py_",
            "app/routes/",
            "app/schemas/",
            "app/listing/__init__.py",
            "app/listing/ranked.py",
            "app/listing/export.py",
            "app/http/responses.py",
            # the store's functions that make rows into the API's items
            "_json",
            "app/store/findings.py:<listcomp>",
            "app/store/authorities.py:by_id",
            # a search's snippets, made for each item
            "app/search.py:snippet",
            "app/search.py:_spans",
            "app/search.py:_matches",
            "app/search.py:<listcomp>",
        ),
    ),
    # a prepared statement run on the driver's connection (app/store/prepared.py)
    ("statement execution (SQLAlchemy, driver)", ("app/store/prepared.py:rows",)),
    (
        "statement building",
        (
            "sqlalchemy/sql/",
            "sqlalchemy/orm/",
            "sqlmodel/",
            "app/store/",
            "app/search.py",
            "app/listing/keyset.py",
        ),
    ),
    ("statement execution (SQLAlchemy, driver)", ("sqlalchemy/",)),
    (
        "parameter reading",
        (
            "fastapi/dependencies/",
            "fastapi/_compat",
            "pydantic",
            "app/http/fastpath.py",
            "app/params/",
            "app/main.py",
            "starlette/datastructures.py",
            "urllib/parse.py",
        ),
    ),
    ("routing", ("starlette/routing.py", "fastapi/routing.py")),
    (
        "ASGI and middleware",
        ("starlette/", "fastapi/", "app/http/"),
    ),
    (
        "event loop and thread hop",
        ("asyncio/", "anyio/", "threading.py", "concurrent/", "queue.py", "contextvars"),
    ),
)
OTHER = "other"


def layer_of(filename: str, function: str) -> str:
    where = function if filename == "~" else f"{filename.replace(os.sep, '/')}:{function}"
    for layer, marks in LAYERS:
        if any(mark in where for mark in marks):
            return layer
    return OTHER


class Driver:
    """Calls the app through ASGI, as a server would, and keeps nothing of the response but its
    status and size."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def get(self, url: str) -> tuple[int, int]:
        parts = urlsplit(url)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": parts.path,
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"application/json")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        status = 0
        size = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, size

    async def run(self, urls: list[str]) -> None:
        for url in urls:
            status, _ = await self.get(url)
            if status != 200:
                raise SystemExit(f"{url} answered {status}: the corpus does not fit the scenario")


class ThreadProfiles:
    """cProfile in every thread that starts while it is on (cProfile alone sees one thread)."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def _start_here(self, *_: object) -> None:
        profile = cProfile.Profile(time.thread_time)  # CPU, not waiting
        with self._lock:
            self.profiles.append(profile)
        profile.enable()  # replaces this hook for the rest of the thread

    def __enter__(self) -> ThreadProfiles:
        threading.setprofile(self._start_here)
        self._start_here()
        return self

    def __exit__(self, *_: object) -> None:
        threading.setprofile(None)  # type: ignore[arg-type]
        for profile in self.profiles:
            profile.disable()

    def top(self, layer: str, count: int = 15) -> list[tuple[float, str]]:
        """The functions with the most own time in `layer`, for finding what to cut."""
        found = [
            (own, f"{filename}:{line} {function}")
            for (filename, line, function), (_cc, _nc, own, _cum, _callers) in self._table().items()
            if layer_of(filename, function) == layer
        ]
        return sorted(found, reverse=True)[:count]

    def _table(self) -> dict[Any, Any]:
        stats: pstats.Stats | None = None
        for profile in self.profiles:
            try:
                found = pstats.Stats(profile)
            except TypeError:  # a thread that ran nothing while profiled (an idle pool thread)
                continue
            if stats is None:
                stats = found
            else:
                stats.add(found)
        return {} if stats is None else stats.stats  # type: ignore[attr-defined]

    def clear(self) -> None:
        """Forget what was seen so far (the warm-up), in every thread."""
        for profile in self.profiles:
            profile.clear()

    def layers(self, cost: CallCost) -> dict[str, float]:
        """Own CPU seconds by layer, less cProfile's own cost (`split`)."""
        return split(self._table(), cost)


@dataclass(frozen=True)
class CallCost:
    """What cProfile adds to the own time it records, for each call it sees: to the called
    function's (`received`) and to the caller's (`made`), in seconds."""

    received: float
    made: float


def _noop() -> None:
    pass


def _calls(count: int) -> None:
    for _ in range(count):
        _noop()


def calibrate(count: int = 200_000) -> CallCost:
    """cProfile's cost a call on this machine: `count` calls of a function that does
    nothing, profiled, and what each side recorded beyond the unprofiled loop's cost."""
    started = time.thread_time()
    _calls(count)
    bare = (time.thread_time() - started) / count  # the loop and the call, unprofiled
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    _calls(count)
    profile.disable()
    table = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    own = {function: stats[2] for (_f, _l, function), stats in table.items()}
    return CallCost(
        received=max(0.0, own["_noop"] / count - bare / 2),
        made=max(0.0, own["_calls"] / count - bare / 2),
    )


def split(table: dict[Any, Any], cost: CallCost) -> dict[str, float]:
    """Own CPU seconds by layer from a profile's table (pstats': (file, line, function) to
    (primitive calls, calls, own time, cumulative time, callers)).

    Each function's own time goes to its layer, less cProfile's cost for the calls it
    received and made (`calibrate`): without that, code of many small calls (a search's
    snippets, word by word) looked several times costlier than it is. A C function's own
    time (``dict.get``, ``isinstance``) goes to its callers' layers, in proportion to the
    time each caller spent in it (less cProfile's cost for those calls; a C function that
    calls back into Python, `sorted` with a key, keeps that cost); only the engine's and the
    JSON encoder's C functions are layers of their own."""
    made: dict[Any, int] = {}
    for *_stats, callers in table.values():
        for caller, caller_stats in callers.items():
            made[caller] = made.get(caller, 0) + caller_stats[1]
    totals: dict[str, float] = {}

    def add(layer: str, seconds: float) -> None:
        totals[layer] = totals.get(layer, 0.0) + max(0.0, seconds)

    for key, (_cc, nc, tt, _ct, callers) in table.items():
        filename, _line, function = key
        layer = layer_of(filename, function)
        if filename == "~" and layer == OTHER and callers:
            for (c_file, _c_line, c_function), caller_stats in callers.items():
                add(layer_of(c_file, c_function), caller_stats[2] - cost.received * caller_stats[1])
            continue
        add(layer, tt - cost.received * nc - cost.made * made.get(key, 0))
    return totals


def urls_for(database: Path, scenario: Scenario, count: int) -> list[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        params = scenario.parameters(db, random.Random(1), count)
    return scenario.api_paths(params)


async def cpu_per_request(app: Any, urls: list[str]) -> float:
    """Unprofiled: the process's CPU seconds a request, after a warm-up pass."""
    async with app.router.lifespan_context(app):
        driver = Driver(app)
        await driver.run(urls)  # warm-up: caches, compiled statements, the thread pool
        started = time.process_time()
        await driver.run(urls)
        return (time.process_time() - started) / len(urls)


async def profiled(app: Any, urls: list[str], profiles: ThreadProfiles) -> None:
    """The same passes under cProfile. The profiles are on before the event loop's thread
    pool starts its threads, so that each of them is profiled; the warm-up is forgotten."""
    async with app.router.lifespan_context(app):
        driver = Driver(app)
        await driver.run(urls)
        profiles.clear()
        await driver.run(urls)


def measure(app: Any, urls: list[str]) -> tuple[float, ThreadProfiles]:
    # the access log: written, and dropped
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        cpu = asyncio.run(cpu_per_request(app, urls))
        with ThreadProfiles() as profiles:
            asyncio.run(profiled(app, urls, profiles))
    return cpu, profiles


def corpus_path(args: argparse.Namespace) -> Path:
    if args.database:
        return Path(args.database)
    folder = args.workdir / f"corpus-{args.findings}"
    database = folder / f"{DATABASE_NAME}.sqlite3"
    if not (folder / "complete").is_file():
        from scripts.bench import corpus

        folder.mkdir(parents=True, exist_ok=True)
        corpus.generate(
            f"sqlite:///{database}", args.findings, cache=args.workdir / "templates.json"
        )
        (folder / "complete").write_text("sqlite\n")
    return database


def report(name: str, cpu: float, layers: dict[str, float]) -> list[str]:
    total = sum(layers.values()) or 1.0
    lines = [f"{name}: {cpu * 1000:.3f} ms of CPU a request"]
    order = [*dict.fromkeys(layer for layer, _ in LAYERS), OTHER]
    for layer in sorted(order, key=lambda layer: -layers.get(layer, 0.0)):
        share = layers.get(layer, 0.0) / total
        lines.append(f"  {layer:<42} {share * cpu * 1000:7.3f} ms  {share:6.1%}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.profile", description=__doc__)
    parser.add_argument("--findings", type=int, default=1_000_000, help="the bench corpus's size")
    parser.add_argument("--database", help="profile this SQLite file instead of a bench corpus")
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "data" / "bench")
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    parser.add_argument("--scenarios", default="authority,four_filters,search,deep_page,facets")
    parser.add_argument(
        "--top", type=int, default=0, help="also list each layer's N costliest functions"
    )
    args = parser.parse_args(argv)
    database = corpus_path(args)
    wanted = args.scenarios.split(",")
    if len(wanted) > 1:  # each scenario in a fresh interpreter: no threads or caches carried over
        print(f"in-process CPU per request, {database} ({args.requests} requests a scenario)")
        for name in wanted:
            command = [sys.executable, "-m", "scripts.bench.profile", "--database", str(database)]
            command += ["--requests", str(args.requests), "--scenarios", name]
            command += ["--top", str(args.top)]
            lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            print(lines.split("\n", 1)[1], end="", flush=True)
        return 0
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)  # a corpus kept from an earlier run may predate the latest migration
    app = create_app(engine)
    print(f"in-process CPU per request, {database} ({args.requests} requests a scenario)")
    cost = calibrate()
    for scenario in (s for s in SCENARIOS if s.name in wanted):
        urls = urls_for(database, scenario, args.requests)
        cpu, profiles = measure(app, urls)
        layers = profiles.layers(cost)
        print("\n".join(report(scenario.title, cpu, layers)), flush=True)
        for layer in sorted(layers, key=lambda layer: -layers[layer]) if args.top else ():
            print(f"  {layer}, its costliest functions (own time, profiled):")
            for own, where in profiles.top(layer, args.top):
                print(f"    {own * 1000 / args.requests:8.4f} ms  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
