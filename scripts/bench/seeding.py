"""Seed throughput: the real seed job on the shipped corpus, into a fresh SQLite database.

`python -m seed load seed/documents` runs as a subprocess, as an operator runs it; its peak
memory is the largest sum of resident set sizes over the job's whole process tree (the job
and any worker processes it starts), sampled every 20 ms from /proc, and its CPU time that of
the whole tree (the job and its workers, once they have ended).

What the theme and polarity model costs: every shipped document is extracted here without
labels, then labelled by the model alone in a freshly forked process, as a worker of the seed
job labels it, and the model's CPU time is set against the rest of the seed job's
(`classification_cost`). The tree's CPU time is sampled with its memory, so the
last 20 ms of each process may be missed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.classifier import Labels, Model, default_model
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


@dataclass
class TreeCpu:
    """The CPU seconds of a process tree, from samples of /proc. A process's last few
    milliseconds fall between samples, so each process's children that its parent has reaped
    are counted from the parent's own record of them (cutime and cstime: exact, and
    including children too short-lived to be sampled) rather than from their last sample."""

    own: dict[int, float] = field(default_factory=dict)
    """Each process's user and system seconds at its last sample."""
    reaped: dict[int, float] = field(default_factory=dict)
    """Each process's reaped children's seconds at its last sample."""
    parent: dict[int, int] = field(default_factory=dict)
    last: dict[int, int] = field(default_factory=dict)
    """The sample in which each process was last seen."""
    samples: int = 0

    def record(self, pid: int, fields: list[str]) -> None:
        self.own[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        self.reaped[pid] = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS
        self.parent[pid] = int(fields[1])
        self.last[pid] = self.samples

    @property
    def seconds(self) -> float:
        total = sum(self.own.values())
        for pid, reaped in self.reaped.items():
            gone = [
                child
                for child, parent in self.parent.items()
                if parent == pid and self.last[child] < self.last[pid]
            ]
            total += max(0.0, reaped - sum(self.own[child] for child in gone))
        return total


def tree_rss(root: int, cpu: TreeCpu | None = None) -> int:
    """Bytes resident in `root` and all its descendants; `cpu` records each one's CPU
    seconds so far."""
    tree = _children()
    total, stack = 0, [root]
    if cpu is not None:
        cpu.samples += 1
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, []))
        try:
            resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            if cpu is not None:
                cpu.record(pid, Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split())
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
    cpu = TreeCpu()
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
        cpu.seconds,
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
    """The model's CPU time over every finding of the shipped documents. Each document is
    extracted and labelled as a seed job's worker does it: in a process of its own, forked
    from one that has the model loaded (`app.workers`), which reads the document, cuts its
    findings, then labels them (only that is timed), so that what a fresh process pays the
    first time it labels (memory it writes for the first time) counts too."""
    model = default_model()
    seconds = 0.0
    findings = 0
    for path in sorted(documents.iterdir()):
        if path.suffix.lower() in (".pdf", ".txt"):
            timed, labelled = _in_a_fresh_process(_labelling_time, model, path.read_bytes())
            seconds += timed
            findings += labelled
    return ClassificationCost(seconds, findings)


def _labelling_time(model: Model, data: bytes) -> tuple[float, int]:
    """CPU seconds to label a document's findings, and how many there are (0, 0 for a file
    that does not extract)."""
    try:
        document = extract(read_bytes(data), model=_NoLabels())  # type: ignore[arg-type]
    except ExtractionError:
        return 0.0, 0
    started = time.process_time()
    label_findings(document, model)
    return time.process_time() - started, len(document.findings)


def _in_a_fresh_process(
    work: Callable[[Model, bytes], tuple[float, int]], model: Model, data: bytes
) -> tuple[float, int]:
    """`work(model, data)` in a child forked from this process."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        os.write(writer, repr(work(model, data)).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as answer:
        seconds, findings = answer.read().decode().strip("()").split(",")
    os.waitpid(pid, 0)
    return float(seconds), int(findings)


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
