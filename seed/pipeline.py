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
from dataclasses import dataclass
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

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None
        if self.jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=context)

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
            return lambda: extract_bytes(data)
        future: Future[Extraction] = self._pool.submit(extract_bytes, data)
        return future.result

    @property
    def window(self) -> int:
        return 2 * self.jobs
