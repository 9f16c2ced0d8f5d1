"""Seed throughput: the real seed job on the shipped corpus, into a fresh SQLite database.

`python -m seed load seed/documents` runs as a subprocess, as an operator runs it; its peak
memory is the largest sum of resident set sizes over the job's whole process tree (the job
and any worker processes it starts), sampled every 20 ms from /proc, and its CPU time that of
the whole tree (the job and its workers, once they have ended).

What the theme and polarity model costs: every shipped document is extracted here without
labels, then labelled by the model alone, and the model's CPU time is set against the rest of
the seed job's (`classification_cost`). The tree's CPU time is sampled with its memory, so the
last 20 ms of each process may be missed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from app.classifier import Labels, default_model
from app.extraction import ExtractionError, extract
from app.extraction.labelling import label_findings
from app.extraction.reading import read_bytes
from app.vocabulary import Polarity
from seed import DOCUMENTS_DIR

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True, slots=True)
class SeedRun:
    seconds: float
    documents: int
    pages: int
    findings: int
    peak_rss_mb: float
    exit_code: int
    cpu_seconds: float

    @property
    def documents_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_rss(root: int, cpu: dict[int, float] | None = None) -> int:
    """Bytes resident in `root` and all its descendants; `cpu` gets each one's CPU seconds
    so far (user and system), by pid."""
    tree = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, []))
        try:
            resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            if cpu is not None:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cpu[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            continue
        total += resident * PAGE_SIZE
    return total


def measure(database: Path, log: Path, documents: Path = DOCUMENTS_DIR) -> SeedRun:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    peak = 0
    cpu: dict[int, float] = {}
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "seed", "load", str(documents)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid, cpu))
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    with sqlite3.connect(database) as connection:
        documents_loaded, pages = connection.execute(
            "select count(*), coalesce(sum(pages), 0) from documents"
        ).fetchone()
        findings = connection.execute("select count(*) from findings").fetchone()[0]
    return SeedRun(
        seconds,
        documents_loaded,
        pages,
        findings,
        peak / 2**20,
        process.returncode,
        sum(cpu.values()),
    )


class _NoLabels:
    """A stand-in model for extracting without labels."""

    version = ""

    def classify_all(self, findings: list[object]) -> list[Labels]:
        return [Labels((), Polarity.NEUTRAL, 1.0) for _ in findings]


@dataclass(frozen=True, slots=True)
class ClassificationCost:
    seconds: float
    """CPU seconds the model took to label every finding of the shipped documents."""
    findings: int


def classification_cost(documents: Path = DOCUMENTS_DIR) -> ClassificationCost:
    """The model's CPU time over every finding of the shipped documents, in this process."""
    model = default_model()
    seconds = 0.0
    findings = 0
    for path in sorted(documents.iterdir()):
        if path.suffix.lower() not in (".pdf", ".txt"):
            continue
        try:
            document = extract(read_bytes(path.read_bytes()), model=_NoLabels())  # type: ignore[arg-type]
        except ExtractionError:
            continue
        started = time.process_time()
        label_findings(document, model)
        seconds += time.process_time() - started
        findings += len(document.findings)
    return ClassificationCost(seconds, findings)


def startup_seconds(database: Path, port: int, runs: int = 5) -> list[float]:
    """The service's start-up on the seeded database: from launching uvicorn to the first
    200 from /health, `runs` times, sorted."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port),
             "--no-access-log"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while time.perf_counter() - started < 60:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                        break
                except OSError:
                    time.sleep(0.02)
            times.append(time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait()
    return sorted(times)
