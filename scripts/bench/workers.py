"""Requests/s of this service at 1, 2 and 4 uvicorn workers, on the database `make run` builds.

    python -m scripts.bench.workers [--database data/ofsted.sqlite3] [--seconds 10] [--rounds 3]

Each worker count serves the same questions (the shipped corpus's findings by authority,
year and theme, a search, an inspection) from the same SQLite file; `wrk` drives 16
connections, unpinned, as the machine would in use (on a 2-core machine wrk shares the cores
with the workers, as a reverse proxy would). Rounds alternate between worker counts so a
change in the machine's load falls on all of them. Prints the median requests/s and the
worst p99 of each, and their ratio to one worker: what `make run`'s default
(`WORKERS`, one per core) is chosen by.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
from pathlib import Path
from urllib.parse import quote

from scripts.bench.load import Run, drive
from scripts.bench.servers import PROJECT_ROOT, _running
from scripts.bench.tools import ensure_wrk


def questions(database: Path, count: int = 2_000, seed: int = 1) -> list[str]:
    """Request paths an analyst's session would send, drawn from what the database holds."""
    rng = random.Random(seed)
    with sqlite3.connect(database) as db:
        slugs = [row[0] for row in db.execute(
            "SELECT DISTINCT a.slug FROM authorities a JOIN inspections i ON i.authority_id = a.id"
        )]  # fmt: skip
        themes = [row[0] for row in db.execute("SELECT DISTINCT theme FROM finding_themes")]
        inspections = [row[0] for row in db.execute("SELECT id FROM inspections")]
    words = ["supervision", "drift", "care leavers", "management oversight", "early help"]
    paths = []
    for _ in range(count):
        kind = rng.randrange(5)
        if kind == 0:
            paths.append(f"/findings?authority={rng.choice(slugs)}&limit=20")
        elif kind == 1:
            year = rng.randrange(2012, 2026)
            paths.append(f"/findings?theme={rng.choice(themes)}&year={year}&limit=20")
        elif kind == 2:
            paths.append(f"/findings?q={quote(rng.choice(words))}&limit=20&count=false")
        elif kind == 3:
            paths.append(f"/inspections/{rng.choice(inspections)}")
        else:
            paths.append(f"/findings/facets?authority={rng.choice(slugs)}")
    return paths


def serve(database: Path, workers: int, port: int, log: Path) -> object:
    command = [
        sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--log-level", "warning",
        "--no-access-log",
    ]  # fmt: skip
    url = f"sqlite:///{database.resolve()}"
    return _running(command, f"http://127.0.0.1:{port}/health", {"DATABASE_URL": url}, log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=PROJECT_ROOT / "data" / "ofsted.sqlite3")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8400)
    args = parser.parse_args()
    if not args.database.exists():
        raise SystemExit(f"{args.database}: no such database; run `make seed` first")
    ensure_wrk()
    paths = questions(args.database)
    counts = [int(part) for part in args.workers.split(",")]
    runs: dict[int, list[Run]] = {count: [] for count in counts}
    logs = PROJECT_ROOT / "data" / "bench" / "logs"
    for round_number in range(args.rounds):
        for count in counts if round_number % 2 == 0 else counts[::-1]:
            with serve(args.database, count, args.port, logs / f"workers-{count}.log") as base:
                drive(base, paths, connections=args.connections, seconds=2)  # warm-up
                run = drive(base, paths, connections=args.connections, seconds=args.seconds)
            runs[count].append(run)
            errors = run.errors + run.status_errors
            print(f"round {round_number + 1}: {count} worker(s): {run.rps:,.0f} requests/s, "
                  f"p99 {run.p99_ms:.1f} ms, errors {errors}", flush=True)  # fmt: skip
    print(f"machine: {os.cpu_count()} cores; {args.connections} connections; "
          f"{args.rounds} rounds of {args.seconds:g}s; {args.database.name}")  # fmt: skip
    base_rps = statistics.median(run.rps for run in runs[counts[0]])
    for count in counts:
        rps = statistics.median(run.rps for run in runs[count])
        p99 = max(run.p99_ms for run in runs[count])
        errors = sum(run.errors + run.status_errors for run in runs[count])
        print(f"workers {count}: {rps:,.0f} requests/s (x{rps / base_rps:.2f}), "
              f"worst p99 {p99:.1f} ms, errors {errors}")  # fmt: skip


if __name__ == "__main__":
    main()
