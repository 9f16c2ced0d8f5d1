"""Extraction in worker processes, storing in this one, in document order.

Reading a PDF and classifying its findings is CPU work that needs no database, so up to
`jobs` documents (one per core by default) are extracted at once, each in a child process of
its own with a time limit (`app.workers`), while this process writes each finished document
in its own transaction, in the order the files were given (`LoadQueue`, the one loading
path of `seed load` and `seed sync`). At most two documents per job are in flight at once,
so memory does not grow with the number of documents. Leaving the `with` block, however it
is left, kills whatever is still being extracted.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.extraction import ExtractionError
from app.loading import LoadResult, SourceFile, already_loaded, store_document
from app.workers import Extraction, ExtractionJob, Work, extract_bytes

__all__ = ["Extraction", "Extractor", "LoadQueue", "Record", "default_jobs", "extract_bytes"]

Record = Callable[[Session, LoadResult], None]
"""Writes what the caller keeps about a document's outcome, in the transaction that stores
the document (or, for a document that is not stored, in one of its own)."""


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


class LoadQueue:
    """Documents loaded in the order they are added, one transaction each: a document
    already loaded (same sha256) is skipped, any other is extracted by `workers` and stored
    when its turn comes. `finished` hears of each result in that order."""

    def __init__(
        self, engine: Engine, workers: Extractor, finished: Callable[[LoadResult], None]
    ) -> None:
        self.engine = engine
        self.workers = workers
        self.finished = finished
        self._pending: deque[Callable[[], LoadResult]] = deque()

    def add(self, item: SourceFile | LoadResult, record: Record | None = None) -> None:
        """Begin a document (or take a result already known, a file that could not be
        read), finishing the oldest ones while more than the workers' window are pending."""
        self._pending.append(self._begin(item, record))
        while len(self._pending) > self.workers.window:
            self._finish_one()

    def drain(self) -> None:
        while self._pending:
            self._finish_one()

    def _finish_one(self) -> None:
        self.finished(self._pending.popleft()())

    def _begin(
        self, item: SourceFile | LoadResult, record: Record | None
    ) -> Callable[[], LoadResult]:
        if isinstance(item, LoadResult):
            return lambda: self._recorded(item, record)
        with Session(self.engine) as session:
            existing = already_loaded(session, item.sha256)
        if existing is not None:
            skipped = LoadResult(
                item.filename, "skipped", reason="already loaded", document_id=existing
            )
            return lambda: self._recorded(skipped, record)
        extraction = self.workers.submit(item.data)
        return lambda: self._store(item, extraction(), record)

    def _store(
        self, source: SourceFile, extraction: Extraction, record: Record | None
    ) -> LoadResult:
        if extraction.document is None:
            return self._recorded(
                LoadResult(source.filename, "failed", reason=extraction.reason), record
            )
        with Session(self.engine) as session:
            try:
                result = store_document(session, source, source.sha256, extraction.document)
                if record is not None:
                    record(session, result)
                session.commit()
                return result
            except ExtractionError as exc:
                session.rollback()
                failed = LoadResult(source.filename, "failed", reason=exc.reason)
            except Exception as exc:  # a bug or a database fault: report it, keep going
                session.rollback()
                failed = LoadResult(
                    source.filename,
                    "failed",
                    reason=f"internal error: {type(exc).__name__}: {exc}",
                )
        return self._recorded(failed, record)

    def _recorded(self, result: LoadResult, record: Record | None) -> LoadResult:
        if record is not None:
            with Session(self.engine) as session:
                record(session, result)
                session.commit()
        return result
