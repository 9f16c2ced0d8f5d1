"""`make bench`: this service against Datasette on the same database, at national scale.

python -m scripts.bench [--findings N] [--seconds S] [--rounds R] [--no-postgres] ...

1. builds a synthetic corpus of N findings (default 1,000,000) in a fresh SQLite file (and a
   fresh PostgreSQL database) through the project's migrations (scripts/bench/corpus.py);
2. times the real seed job on the shipped documents (scripts/bench/seeding.py);
3. starts this service (one uvicorn worker) and Datasette on the same SQLite file, each
   pinned to CPU 0, and drives them with wrk pinned to CPU 1, scenario by scenario, at 1 and
   16 connections: after a warm-up, R rounds of S seconds, alternating API, Datasette (and
   the API on PostgreSQL) so that noise from the rest of the machine falls on all of them
   alike; every request in a run asks a different question (scripts/bench/scenarios.py);
4. prints the table, and a last line `bench: min ratio vs datasette = X.XX`, the smallest
   ratio of the API's requests/s to Datasette's over every scenario at 16 connections.

`--parser` runs only the parser's part (scripts/bench/parsing.py): extraction at 1x and 10x
its input, and a decompression bomb's peak memory.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import OperationalError

from scripts.bench import corpus, load, parsing, seeding, servers
from scripts.bench.scenarios import DATABASE_NAME, SCENARIOS, Scenario
from scripts.bench.tools import ensure_datasette, ensure_wrk

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVER_CPU, CLIENT_CPU = 0, 1
PARAMETERS_PER_SCENARIO = 20_000
HEADLINE_CONNECTIONS = 16


@dataclass
class Figures:
    runs: list[load.Run] = field(default_factory=list)

    @property
    def rps(self) -> float:
        seconds = sum(run.seconds for run in self.runs)
        return sum(run.requests for run in self.runs) / seconds if seconds else 0.0

    @property
    def spread(self) -> float:
        """Relative spread of the rounds' requests/s: (max - min) / mean."""
        values = [run.rps for run in self.runs]
        return (max(values) - min(values)) / statistics.mean(values) if values else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p99(self) -> float:
        return max(run.p99_ms for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.errors + run.status_errors for run in self.runs)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--findings", type=int, default=1_000_000, help="corpus size")
    parser.add_argument("--seconds", type=float, default=10, help="length of one run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per server and scenario")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per server")
    parser.add_argument("--connections", default="1,16", help="comma-separated connection counts")
    parser.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS))
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "data" / "bench")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/ofsted_bench",
        help="a PostgreSQL database to (re)create for the PostgreSQL scenarios",
    )
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed job timing")
    parser.add_argument(
        "--seed-only",
        action="store_true",
        help="time the seed job on the shipped documents, what classification adds to it and "
        "the service's start-up, and stop (no HTTP benchmark)",
    )
    parser.add_argument(
        "--parser",
        action="store_true",
        help="time extraction at 1x and 10x its input, and a decompression bomb's peak memory, "
        "and stop (no HTTP benchmark)",
    )
    parser.add_argument(
        "--parser-scale", type=float, default=1.0, help="--parser: multiply the input sizes by this"
    )
    parser.add_argument(
        "--parser-timeout",
        type=float,
        default=300,
        help="--parser: stop one extraction after this many seconds",
    )
    parser.add_argument(
        "--reuse-corpus",
        action="store_true",
        help="keep a corpus from an earlier run with the same --findings, if there is one",
    )
    parser.add_argument("--port", type=int, default=8300, help="first of four TCP ports")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of the project (`git worktree add ../before <commit>`): its "
        "service runs on the same SQLite file in the same rounds, and each scenario's line "
        "gives its requests/s and ratio to Datasette beside this one's, so a change is "
        "measured against its parent on the same run of the machine",
    )
    return parser.parse_args(argv)


def say(message: str = "", **kwargs: object) -> None:
    print(message, flush=True, **kwargs)  # type: ignore[call-overload]


def build_corpora(args: argparse.Namespace) -> tuple[Path, str | None]:
    folder = args.workdir / f"corpus-{args.findings}"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / f"{DATABASE_NAME}.sqlite3"
    stamp = folder / "complete"
    cache = args.workdir / "templates.json"
    if not (args.reuse_corpus and stamp.is_file()):
        stamp.unlink(missing_ok=True)
        timings = corpus.generate(f"sqlite:///{database}", args.findings, cache=cache, log=say)
        stamp.write_text("sqlite\n")
        say(f"corpus (SQLite): {timings['findings']:,.0f} findings, {timings['inspections']:,.0f} "
            f"inspections in {timings['total_s']:.0f}s")  # fmt: skip
    postgres_url = None if args.no_postgres else args.postgres_url
    if postgres_url and not (args.reuse_corpus and "postgres" in stamp.read_text()):
        try:
            timings = corpus.generate(postgres_url, args.findings, cache=cache, log=say)
        except OperationalError as exc:
            say(f"PostgreSQL at {postgres_url} cannot be reached; its figures are left out "
                f"({str(exc).splitlines()[0]})")  # fmt: skip
            return database, None
        stamp.write_text("sqlite\npostgres\n")
        say(f"corpus (PostgreSQL): {timings['findings']:,.0f} findings in "
            f"{timings['total_s']:.0f}s")  # fmt: skip
    return database, postgres_url


def seed_throughput(args: argparse.Namespace) -> seeding.SeedRun:
    run = seeding.measure(args.workdir / "seed" / "seed.sqlite3", args.workdir / "seed.log")
    say(
        f"seed job: {run.documents} documents, {run.pages} pages, {run.findings:,} findings in "
        f"{run.seconds:.1f}s: {run.documents_per_s:.1f} documents/s, "
        f"{run.pages_per_s:.0f} pages/s, peak RSS {run.peak_rss_mb:.0f} MB (exit {run.exit_code})"
    )
    say(classification_line(run))
    startup = seeding.startup_seconds(args.workdir / "seed" / "seed.sqlite3", args.port)
    say(
        "service start-up (launch to the first /health answer, 5 runs): "
        + ", ".join(f"{seconds:.2f}s" for seconds in startup)
    )
    return run


def classification_line(run: seeding.SeedRun) -> str:
    """What the theme and polarity model adds to the seed job: its CPU time over the rest of
    the job's (the job and its workers)."""
    cost = seeding.classification_cost()
    rest = run.cpu_seconds - cost.seconds
    return (
        f"seed job: classification {cost.seconds:.2f}s of CPU for {cost.findings:,} findings "
        f"({1000 * cost.seconds / max(cost.findings, 1):.2f} ms each) of the job's "
        f"{run.cpu_seconds:.1f}s: it adds {100 * cost.seconds / rest:.0f}% to the rest"
    )


def parameters(database: Path, scenario: Scenario) -> list[dict[str, str]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return scenario.parameters(connection, random.Random(f"bench-{scenario.name}"),
                                   PARAMETERS_PER_SCENARIO)  # fmt: skip


def check(url: str, path: str) -> None:
    """One request before measuring: a server that errors is reported, not timed."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url + path, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"bench: {url}{path} answered {exc.code}: {exc.read()[:300]!r}") from exc


def measure(
    targets: dict[str, tuple[str, list[str]]],
    connections: int,
    args: argparse.Namespace,
) -> dict[str, Figures]:
    """Warm every target up, then alternate them round by round."""
    figures = {name: Figures() for name in targets}
    for url, paths in targets.values():
        check(url, paths[0])
        load.drive(url, paths, connections=connections, seconds=args.warmup, cpu=CLIENT_CPU)
    for _ in range(args.rounds):
        for name, (url, paths) in targets.items():
            run = load.drive(
                url, paths, connections=connections, seconds=args.seconds, cpu=CLIENT_CPU
            )
            figures[name].runs.append(run)
    return figures


def table(rows: list[dict[str, object]], postgres: bool) -> Iterator[str]:
    header = (
        f"{'scenario':<46} {'conn':>4} | {'API req/s':>9} {'p50':>6} {'p99':>6} | "
        f"{'Datasette':>9} {'p50':>6} {'p99':>6} | {'ratio':>5}"
    )
    if postgres:
        header += f" | {'PG req/s':>8} {'p50':>6} {'p99':>6} {'PG/SQLite':>9}"
    yield header
    yield "-" * len(header)
    for row in rows:
        api, ds = row["api"], row["datasette"]
        assert isinstance(api, Figures) and isinstance(ds, Figures)
        line = (
            f"{row['title']!s:<46} {row['connections']!s:>4} | {api.rps:>9.0f} {api.p50:>6.1f} "
            f"{api.p99:>6.1f} | {ds.rps:>9.0f} {ds.p50:>6.1f} {ds.p99:>6.1f} | "
            f"{api.rps / ds.rps if ds.rps else 0:>5.2f}"
        )
        pg = row.get("postgres")
        if isinstance(pg, Figures):
            line += (
                f" | {pg.rps:>8.0f} {pg.p50:>6.1f} {pg.p99:>6.1f} "
                f"{pg.rps / api.rps if api.rps else 0:>9.2f}"
            )
        yield line


def baseline_table(rows: list[dict[str, object]]) -> Iterator[str]:
    """Per scenario: this service's and the baseline's requests/s, each one's ratio to
    Datasette, and this one's to the baseline's."""
    header = (
        f"{'scenario':<46} {'conn':>4} | {'API req/s':>9} {'/DS':>5} | "
        f"{'baseline':>9} {'/DS':>5} | {'API/baseline':>12}"
    )
    yield header
    yield "-" * len(header)
    for row in rows:
        api, ds, base = row["api"], row["datasette"], row["baseline"]
        assert isinstance(api, Figures) and isinstance(ds, Figures) and isinstance(base, Figures)
        yield (
            f"{row['title']!s:<46} {row['connections']!s:>4} | {api.rps:>9.0f} "
            f"{api.rps / ds.rps if ds.rps else 0:>5.2f} | {base.rps:>9.0f} "
            f"{base.rps / ds.rps if ds.rps else 0:>5.2f} | "
            f"{api.rps / base.rps if base.rps else 0:>12.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    started = time.perf_counter()
    if args.seed_only:
        seed_throughput(args)
        return 0
    if args.parser:
        parsing.run(say, args.parser_scale, args.parser_timeout)
        return 0
    ensure_wrk()
    datasette_command = ensure_datasette(args.workdir / "venv-datasette")
    database, postgres_url = build_corpora(args)
    seed_run = None if args.no_seed else seed_throughput(args)
    wanted = set(args.scenarios.split(","))
    scenarios = [s for s in SCENARIOS if s.name in wanted]
    counts = [int(c) for c in args.connections.split(",")]
    rows: list[dict[str, object]] = []
    logs = args.workdir / "logs"
    with ExitStack() as stack:
        api_url = stack.enter_context(
            servers.api(f"sqlite:///{database}", args.port, SERVER_CPU, logs / "api.log")
        )
        datasette_url = stack.enter_context(
            servers.datasette(
                datasette_command, database, args.port + 1, SERVER_CPU, logs / "datasette.log"
            )
        )
        baseline_url = None
        if args.baseline:
            baseline_url = stack.enter_context(
                servers.api(
                    f"sqlite:///{database}", args.port + 3, SERVER_CPU,
                    logs / "api-baseline.log", checkout=args.baseline.resolve(),
                )
            )  # fmt: skip
        postgres_api = None
        if postgres_url:
            postgres_api = stack.enter_context(
                servers.api(postgres_url, args.port + 2, SERVER_CPU, logs / "api-postgres.log")
            )
        for scenario in scenarios:
            params = parameters(database, scenario)
            api_paths = scenario.api_paths(params)
            datasette_paths = scenario.datasette_paths(params)
            for connections in counts:
                say(f"running: {scenario.title}, {connections} connection(s)")
                targets = {
                    "api": (api_url, api_paths),
                    "datasette": (datasette_url, datasette_paths),
                }
                if baseline_url:
                    targets["baseline"] = (baseline_url, api_paths)
                if postgres_api:
                    targets["postgres"] = (postgres_api, api_paths)
                figures = measure(targets, connections, args)
                rows.append(
                    {"title": scenario.title, "name": scenario.name,
                     "connections": connections, **figures}
                )  # fmt: skip
    say()
    say(
        f"corpus: {args.findings:,} findings; {args.rounds} rounds of {args.seconds:.0f}s per "
        "server, alternating; latencies in ms (p50: median of rounds, p99: worst round)"
    )
    for line in table(rows, postgres_url is not None):
        say(line)
    if args.baseline:
        say()
        say(f"against the baseline ({args.baseline}), the same rounds:")
        for line in baseline_table(rows):
            say(line)
    noisy = [
        f"{row['name']}/{row['connections']}/{name}"
        for row in rows
        for name in ("api", "datasette", "postgres", "baseline")
        if isinstance(row.get(name), Figures) and row[name].spread > 0.25  # type: ignore[union-attr]
    ]
    errors = sum(
        row[name].errors  # type: ignore[union-attr]
        for row in rows
        for name in ("api", "datasette", "postgres", "baseline")
        if isinstance(row.get(name), Figures)
    )
    if noisy:
        say(f"note: rounds differed by more than 25% in: {', '.join(noisy)} (a busy machine?)")
    if errors:
        say(f"note: {errors} requests failed or were not 2xx")
    if seed_run is not None:
        say(
            f"seed job: {seed_run.documents_per_s:.1f} documents/s, "
            f"{seed_run.pages_per_s:.0f} pages/s, peak RSS {seed_run.peak_rss_mb:.0f} MB"
        )
    by_name = {(row["name"], row["connections"]): row for row in rows}
    for connections in counts:
        first, deep = (
            by_name.get(("authority", connections)),
            by_name.get(("deep_page", connections)),
        )
        if first and deep:
            say(
                f"deep keyset page vs first page ({connections} conn): "
                f"{deep['api'].rps / first['api'].rps:.2f}x the requests/s"  # type: ignore[union-attr]
            )
    say(f"bench: took {time.perf_counter() - started:.0f}s")
    headline = [row for row in rows if row["connections"] == HEADLINE_CONNECTIONS] or rows
    ratios = [
        row["api"].rps / row["datasette"].rps  # type: ignore[union-attr]
        for row in headline
        if row["datasette"].rps  # type: ignore[union-attr]
    ]
    say(f"bench: min ratio vs datasette = {min(ratios) if ratios else 0:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
