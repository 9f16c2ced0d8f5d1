"""The SQL cost of a search, with no Python server around it: how far the service's search can
go against Datasette's on the same SQLite file.

    python -m scripts.bench.search_sql                 # the bench's 1,000,000-finding corpus
    python -m scripts.bench.search_sql --searches 100

Runs, with the standard library's sqlite3 in one thread, the bench's own searches (the first
`--searches` of `scripts.bench.scenarios`' search scenario, drawn as `make bench` draws them)
through three statements, once to warm the cache and once timed, and prints the milliseconds
a search of each:

* the service's ranking (`ORDER BY bm25(findings_fts), rowid LIMIT 51`, as the findings
  list's first page of a search asks FTS5 for it);
* Datasette's canned query's ranking (`ORDER BY rank LIMIT 51`, `scripts.bench.scenarios`);
* counting the matches alone, without ranking them.

The ratio of the second to the first is what the service could reach against Datasette on
search if all of its Python cost nothing.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from pathlib import Path

from scripts.bench.scenarios import DATABASE_NAME, SCENARIOS

PROJECT_ROOT = Path(__file__).resolve().parents[2]

STATEMENTS = {
    "service (bm25, rowid)": "SELECT rowid, bm25(findings_fts) FROM findings_fts WHERE "
    "findings_fts MATCH ? ORDER BY bm25(findings_fts), rowid LIMIT 51",
    "Datasette (rank)": "SELECT rowid, rank FROM findings_fts WHERE findings_fts MATCH ? "
    "ORDER BY rank LIMIT 51",
    "count only": "SELECT count(*) FROM findings_fts WHERE findings_fts MATCH ?",
}


def searches(db: sqlite3.Connection, count: int) -> list[str]:
    scenario = next(s for s in SCENARIOS if s.name == "search")
    drawn = scenario.parameters(db, random.Random(f"bench-{scenario.name}"), count)
    return [params["q"] for params in drawn]


def ms_a_search(db: sqlite3.Connection, sql: str, queries: list[str]) -> float:
    for q in queries:  # warm: the pages these searches read, in the page cache
        db.execute(sql, (q,)).fetchall()
    started = time.perf_counter()
    for q in queries:
        db.execute(sql, (q,)).fetchall()
    return 1000 * (time.perf_counter() - started) / len(queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.search_sql", description=__doc__)
    parser.add_argument("--findings", type=int, default=1_000_000, help="the bench corpus's size")
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "data" / "bench")
    parser.add_argument("--searches", type=int, default=300)
    args = parser.parse_args(argv)
    database = args.workdir / f"corpus-{args.findings}" / f"{DATABASE_NAME}.sqlite3"
    if not database.is_file():
        raise SystemExit(f"{database}: no bench corpus; build it with `make bench` first")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        queries = searches(db, args.searches)
        print(f"{database}: the bench's first {len(queries)} searches, ms a search")
        figures = {name: ms_a_search(db, sql, queries) for name, sql in STATEMENTS.items()}
    for name, ms in figures.items():
        print(f"  {name:<24} {ms:7.2f} ms")
    ceiling = figures["Datasette (rank)"] / figures["service (bm25, rowid)"]
    print(f"  Datasette / service: {ceiling:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
