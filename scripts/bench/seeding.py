"""Seed throughput: the real seed job on the shipped corpus, into a fresh SQLite database.

`python -m seed load seed/documents` runs as a subprocess, as an operator runs it; its peak
memory is the largest sum of resident set sizes over the job's whole process tree (the job
and any worker processes it starts), sampled every 20 ms from /proc.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

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


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants."""
    tree = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, []))
        try:
            resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
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
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "seed", "load", str(documents)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    with sqlite3.connect(database) as connection:
        documents_loaded, pages = connection.execute(
            "select count(*), coalesce(sum(pages), 0) from documents"
        ).fetchone()
        findings = connection.execute("select count(*) from findings").fetchone()[0]
    return SeedRun(seconds, documents_loaded, pages, findings, peak / 2**20, process.returncode)
