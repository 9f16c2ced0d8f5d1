"""Extraction in worker processes, storing in this one, in document order.

Reading a PDF and classifying its findings is CPU work that needs no database, so it runs in
a pool of processes (one per core by default) while this process writes each finished
document in its own transaction, in the order the files were given. At most two documents
per worker are in flight at once, so memory does not grow with the number of documents.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from types import TracebackType

from app.extraction import ExtractedDocument, ExtractionError, extract
from app.extraction.reading import read_bytes


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a worker sends back: the document, or why there is none."""

    document: ExtractedDocument | None
    reason: str | None = None


def extract_bytes(data: bytes) -> Extraction:
    try:
        return Extraction(extract(read_bytes(data)))
    except ExtractionError as exc:
        return Extraction(None, exc.reason)
    except Exception as exc:  # a parser bug: report it against this file, keep going
        return Extraction(None, f"internal error: {type(exc).__name__}: {exc}")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Extractor:
    """A pool of extraction workers, or none when `jobs` is 1."""

    def __init__(self, jobs: int, work: Callable[[bytes], Extraction] = extract_bytes) -> None:
        self.jobs = max(1, jobs)
        self._work = work
        self._pool: ProcessPoolExecutor | None = None
        self._context: BaseContext | None = None
        if self.jobs > 1:
            # Workers start from a fresh server process, never forked from this one: a
            # forked worker would hold this process's database connections open, and a
            # killed seed job would leave its half-written transaction hanging on the
            # server instead of being rolled back at once.
            methods = multiprocessing.get_all_start_methods()
            method = "forkserver" if "forkserver" in methods else "spawn"
            self._context = multiprocessing.get_context(method)
            if method == "forkserver":
                self._context.set_forkserver_preload(["seed.pipeline"])
            self._pool = self._new_pool(self.jobs)

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=self._context)

    def __enter__(self) -> Extractor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=kind is not None)

    def submit(self, data: bytes) -> Callable[[], Extraction]:
        """Start extracting; the returned function waits for the result."""
        if self._pool is None:
            return lambda: self._work(data)
        future: Future[Extraction] = self._pool.submit(self._work, data)

        def result() -> Extraction:
            try:
                return future.result()
            except BrokenProcessPool:
                return self._alone(data)

        return result

    def _alone(self, data: bytes) -> Extraction:
        """A worker died (PDFium can crash on a hostile file), which breaks the whole pool
        and every document in flight. Start a new pool for what follows, and read this file
        again in a process of its own: if that one dies too, this file is the cause."""
        pool = self._pool
        if pool is not None and getattr(pool, "_broken", False):
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool(self.jobs)
        with self._new_pool(1) as alone:
            try:
                return alone.submit(self._work, data).result()
            except BrokenProcessPool:
                return Extraction(
                    None, "the file crashed the PDF reader (a damaged or malicious PDF?)"
                )

    @property
    def window(self) -> int:
        return 2 * self.jobs
