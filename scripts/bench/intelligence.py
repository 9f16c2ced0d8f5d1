"""`make bench`'s findings-intelligence part: the embeddings' cost in the seed job, their
size, and the latency of `GET /findings/{id}/similar` and hybrid search at 1,000,000
findings, on SQLite and PostgreSQL, one uvicorn worker.

python -m scripts.bench.intelligence [--findings N] [--requests R] [--no-postgres]

1. the seed job: the CPU time the embedding model takes over every finding of the shipped
   documents, as a worker spends it (in a process forked from one that has the model), against
   the rest of the job's CPU (the seed job timed by scripts/bench/seeding.py, or
   `--seed-cpu`), and the model's throughput in findings per second;
2. the bench corpus (scripts/bench/corpus.py, built if not there) is given an embedding per
   finding. The corpus's texts are shuffled sentences of the shipped findings, so each
   sentence's token vectors are summed once with the real model and a finding's vector is its
   sentences' sums added up and made unit length: the model's mean pooling of the same tokens
   (a token that would straddle two sentences aside), about 50 times faster than tokenizing
   a million texts;
3. the stored size (bytes in the table; PostgreSQL's pg_total_relation_size) and the index's
   size in memory;
4. the service started on each database (one worker), warmed up (the first request reads
   every embedding), then R requests of each kind one after another on one connection, each
   a different finding or query: p50, p99 and the mean;
5. the approximation of the index past 150,000 findings (app/intelligence/index.py): for 200
   findings, the share of the index's top 10 that score at least the exact 10th best.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sqlalchemy import text

from app.db import make_engine
from app.intelligence.embedding import DIMENSIONS, embedding_model
from scripts.bench import corpus, servers
from scripts.bench.scenarios import DATABASE_NAME

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(‘'\"])")
QUERIES = (
    "section 47 enquiries", "management oversight of casework", "children missing from care",
    "care leavers accommodation", "quality of assessments", "domestic abuse referrals",
    "social worker caseloads", "child sexual exploitation", "private fostering",
    "supervision of social workers", "return home interviews", "voice of the child in plans",
    "corporate parenting", "early help thresholds", "placement stability", "pathway plans",
    "disabled children", "unaccompanied asylum-seeking children", "audit and quality assurance",
    "strategy meetings with police",
)  # fmt: skip


def say(message: str = "") -> None:
    print(message, flush=True)


def embedding_cost() -> tuple[float, int]:
    """CPU seconds the model takes over every finding of the shipped documents, in a
    worker forked from a process with the model loaded, and how many findings."""
    from scripts.bench.seeding import _in_a_fresh_process
    from seed import DOCUMENTS_DIR

    embedding_model()

    def timed(_model: object, data: bytes) -> tuple[float, int]:
        from app.extraction import ExtractionError, read_and_extract
        from app.intelligence.store import findings_embeddings

        try:
            document = read_and_extract(data)
        except ExtractionError:
            return 0.0, 0
        started = time.process_time()
        findings_embeddings(document)
        return time.process_time() - started, len(document.findings)

    seconds, count = 0.0, 0
    for path in sorted(DOCUMENTS_DIR.iterdir()):
        if path.suffix.lower() in (".pdf", ".txt"):
            spent, found = _in_a_fresh_process(timed, None, path.read_bytes())  # type: ignore[arg-type]
            seconds += spent
            count += found
    return seconds, count


def fill(url: str, log: bool = True) -> float:
    """Give every finding of the corpus at `url` its embedding (sentence sums, above).
    Returns the seconds it took."""
    model = embedding_model()
    engine = make_engine(url)
    started = time.perf_counter()
    sums: dict[str, np.ndarray] = {}
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM finding_embeddings"))
        raw = connection.connection.dbapi_connection
        assert raw is not None
        writer = corpus._copy_rows if postgres else corpus._executemany
        last = 0
        while True:
            rows = connection.execute(
                text("SELECT id, text FROM findings WHERE id > :last ORDER BY id LIMIT 20000"),
                {"last": last},
            ).all()
            if not rows:
                break
            pieces = [[p for p in _SENTENCE.split(body) if p.strip()] for _, body in rows]
            new = sorted({p for parts in pieces for p in parts if p not in sums})
            if new:
                for piece, vector in zip(new, _sentence_sums(model, new), strict=True):
                    sums[piece] = vector
            batch = []
            for (finding_id, _), parts in zip(rows, pieces, strict=True):
                total = np.sum([sums[p] for p in parts], axis=0) if parts else np.zeros(DIMENSIONS)
                norm = float(np.linalg.norm(total)) or 1.0
                vector = (total / norm).astype("<f4").tobytes()
                batch.append((finding_id, model.version, vector))
            writer(raw, "finding_embeddings", ["finding_id", "model", "vector"], batch)
            last = rows[-1][0]
            if log:
                print(f"embeddings: {last:,} findings", end="\r", flush=True)
    if postgres:
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE finding_embeddings")
            )
    engine.dispose()
    return time.perf_counter() - started


def _sentence_sums(model: object, sentences: list[str]) -> np.ndarray:
    """Each sentence's token vectors summed (not yet averaged or normalised)."""
    tokenizer = model.tokenizer  # type: ignore[attr-defined]
    table = model.table  # type: ignore[attr-defined]
    out = np.zeros((len(sentences), DIMENSIONS), dtype=np.float64)
    for first in range(0, len(sentences), 1000):
        encodings = tokenizer.encode_batch(
            sentences[first : first + 1000], add_special_tokens=False
        )
        for i, encoding in enumerate(encodings):
            if encoding.ids:
                ids = np.clip(np.asarray(encoding.ids), 0, table.shape[0] - 1)
                out[first + i] = table[ids].sum(axis=0)
    return out


def stored_bytes(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            size = connection.scalar(text("SELECT pg_total_relation_size('finding_embeddings')"))
        else:
            try:
                size = connection.scalar(
                    text("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE '%finding_embeddings%'")
                )
            except Exception:  # no dbstat: the rows' own bytes
                size = connection.scalar(
                    text("SELECT SUM(length(vector) + length(model) + 8) FROM finding_embeddings")
                )
    engine.dispose()
    return int(size or 0)


def stored_count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(text("SELECT count(*) FROM finding_embeddings"))
    engine.dispose()
    return int(count or 0)


FAILED: list[str] = []
"""Requests that were not answered 200, with their status (reported after the figures)."""


def timings(base: str, paths: list[str]) -> list[float]:
    host, port = base.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    spent: list[float] = []
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            FAILED.append(f"{response.status} {path}")
        spent.append(1000 * (time.perf_counter() - started))
    connection.close()
    return spent


def describe(name: str, spent: list[float]) -> str:
    ordered = sorted(spent)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (
        f"{name:<44} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  mean {statistics.mean(spent):6.1f} ms"
        f"  ({len(spent)} requests)"
    )


def agreement(url: str, samples: int = 200) -> float:
    """How close the index's answers are to exact search: over `samples` findings, the share
    of the index's top 10 (the finding itself aside) that score at least the exact 10th best
    score. (The corpus has many near-copies of one text, so the exact top 10 as a set is
    arbitrary among ties; its 10th score is not.)"""
    from app.intelligence.index import read_index

    engine = make_engine(url)
    with engine.connect() as connection:
        index = read_index(connection)
    engine.dispose()
    if index.coarse is None:
        return 1.0
    rng = random.Random(7)
    full = np.asarray(index.vectors, dtype=np.float32)
    good = 0
    for row in rng.sample(range(len(index)), samples):
        query = full[row]
        tenth = -np.partition(-(full @ query), 10)[10]
        _, scores = index.top(query, 11)
        good += int((scores[1:] >= tenth - 1e-3).sum())
    return good / (10 * samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.intelligence")
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "data" / "bench")
    parser.add_argument(
        "--postgres-url", default="postgresql://postgres@127.0.0.1:5432/ofsted_bench"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed job's part")
    parser.add_argument("--seed-cpu", type=float, default=None, help="the seed job's CPU seconds")
    parser.add_argument("--seed-only", action="store_true", help="only the seed job's part")
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--reuse-corpus", action="store_true")
    parser.add_argument("--only", choices=["SQLite", "PostgreSQL"], help="time one database only")
    parser.add_argument(
        "--reuse-embeddings",
        action="store_true",
        help="keep the corpus's embeddings when every finding has one",
    )
    args = parser.parse_args(argv)

    if not args.no_seed:
        if args.seed_cpu is None:
            from scripts.bench import seeding

            run = seeding.measure(args.workdir / "seed" / "seed.sqlite3", args.workdir / "seed.log")
            args.seed_cpu = run.cpu_seconds
            say(
                f"seed job: {run.documents} documents, {run.findings:,} findings in "
                f"{run.seconds:.1f}s, {run.cpu_seconds:.1f}s of CPU (the job and its workers)"
            )
        seconds, count = embedding_cost()
        line = (
            f"embeddings: {seconds:.2f}s of CPU for {count:,} findings of the shipped documents "
            f"({count / seconds:,.0f} findings/s, {1000 * seconds / count:.2f} ms each)"
        )
        if args.seed_cpu:
            rest = args.seed_cpu - seconds
            line += f"; they add {100 * seconds / rest:.0f}% to the rest of the seed job's CPU"
        say(line)
    if args.seed_only:
        return 0

    folder = args.workdir / f"corpus-{args.findings}"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / f"{DATABASE_NAME}.sqlite3"
    stamp = folder / "complete"
    urls = {"SQLite": f"sqlite:///{database}"}
    if not (args.reuse_corpus and stamp.is_file()):
        corpus.generate(urls["SQLite"], args.findings, cache=args.workdir / "templates.json")
        stamp.write_text("sqlite\n")
    if not args.no_postgres:
        if not (args.reuse_corpus and "postgres" in stamp.read_text()):
            corpus.generate(args.postgres_url, args.findings, cache=args.workdir / "templates.json")
            stamp.write_text("sqlite\npostgres\n")
        urls["PostgreSQL"] = args.postgres_url
    for name, url in urls.items():
        if args.reuse_embeddings and stored_count(url) == args.findings:
            continue
        seconds = fill(url)
        say(f"embeddings ({name}): {args.findings:,} written in {seconds:.0f}s; "
            f"stored: {stored_bytes(url) / 2**20:,.0f} MiB")  # fmt: skip

    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        top = connection.execute("SELECT max(id) FROM findings").fetchone()[0]
    rng = random.Random(11)
    similar = [f"/findings/{rng.randint(1, top)}/similar" for _ in range(args.requests)]
    hybrid = [
        f"/findings?q={rng.choice(QUERIES).replace(' ', '+')}&mode=hybrid&limit=20"
        + (f"&year={rng.randint(2014, 2025)}" if rng.random() < 0.5 else "")
        for _ in range(args.requests)
    ]
    semantic = [p.replace("mode=hybrid", "mode=semantic") for p in hybrid]
    filtered = [f"{p}?authority=cheshire-east" for p in similar]
    for port, (name, url) in enumerate(urls.items(), start=args.port):
        if args.only and name != args.only:
            continue
        log = args.workdir / "logs" / f"intelligence-{name}.log"
        with servers.api(url, port, 0, log) as base:
            started = time.perf_counter()
            timings(base, similar[:1])
            say(f"{name}: first request (reads every embedding): "
                f"{time.perf_counter() - started:.1f}s")  # fmt: skip
            timings(base, similar[-20:] + hybrid[-20:])  # warm-up
            for title, paths in (
                ("similar", similar),
                ("similar, one authority", filtered),
                ("hybrid search (half with a year)", hybrid),
                ("semantic search (half with a year)", semantic),
            ):
                say(describe(f"{name}: {title}", timings(base, paths)))
    if FAILED:
        say(f"note: {len(FAILED)} requests were not answered 200, e.g. {FAILED[:3]}")
    index_share = agreement(urls["SQLite"])
    engine = make_engine(urls["SQLite"])
    from app.intelligence.index import read_index

    with engine.connect() as connection:
        index = read_index(connection)
    engine.dispose()
    say(
        f"index in memory: {index.nbytes / 2**20:,.0f} MiB for {len(index):,} findings "
        f"({'exact' if index.coarse is None else 'coarse + float16 rerank'}); "
        f"of its top 10, {100 * index_share:.1f}% score as high as exact search's 10th"
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(main())
