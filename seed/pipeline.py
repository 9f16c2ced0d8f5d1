"""Extraction in worker processes, storing in this one, in document order.

Reading a PDF and classifying its findings is CPU work that needs no database, so up to
`jobs` documents (one per core by default) are extracted at once, each in a child process of
its own with a time limit (`app.workers`), while this process writes each finished document
in its own transaction, in the order the files were given. At most two documents per job
are in flight at once, so memory does not grow with the number of documents. Leaving the
`with` block, however it is left, kills whatever is still being extracted.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from app.workers import Extraction, ExtractionJob, Work, extract_bytes

__all__ = ["Extraction", "Extractor", "default_jobs", "extract_bytes"]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Extractor:
    """Up to `jobs` documents extracted at once, each in its own process, each given at most
    `seconds` (a document that takes longer fails with a reason that says so)."""

    def __init__(self, jobs: int, seconds: float, work: Work = extract_bytes) -> None:
        self.jobs = max(1, jobs)
        self.seconds = seconds
        self._work = work
        # Threads only wait: each starts one child process and waits for its answer.
        self._waiters = ThreadPoolExecutor(self.jobs, thread_name_prefix="extraction")
        self._running: set[ExtractionJob] = set()
        self._lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> Extractor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            self._closed = True
            for job in self._running:
                job.kill()
        self._waiters.shutdown(wait=True, cancel_futures=True)

    def submit(self, data: bytes) -> Callable[[], Extraction]:
        """Start extracting (as soon as a job is free); the returned function waits for
        the result."""
        future: Future[Extraction] = self._waiters.submit(self._extract, data)
        return future.result

    def _extract(self, data: bytes) -> Extraction:
        with self._lock:
            if self._closed:
                return Extraction(None, "stopped before it was extracted")
            job = ExtractionJob(data, self._work)
            self._running.add(job)
        try:
            return job.wait(self.seconds)
        finally:
            with self._lock:
                self._running.discard(job)

    @property
    def window(self) -> int:
        return 2 * self.jobs
