"""The one path a document takes into the database: read, extract, classify, store.

    bytes ─► worker process (`app.workers`): sniff and read (PDF or text) ─► extract
             (`app.extraction`) ─► label themes and polarity (`app.classifier`)
          ─► this process: one transaction (`commit_document`): rows by natural key
             (`app.loading`) ─► change log ─► commit, or roll back and say why

Every way in takes it: the seed job (`python -m seed`, `seed load`) and the sync job through
`LoadQueue`, `seed reparse` through `reparse`, an upload through `store` (`app.ingest`, whose
worker is awaited rather than pooled), and tests and scripts in this process through
`load_document` and `reparse_document`. A file already loaded (same sha256) is skipped, not
read twice; a document that cannot be read or understood comes back `failed` with the reason,
and leaves no rows.

Up to `jobs` documents (one per core by default) are extracted at once, each in a child
process of its own with a time limit, while this process writes each finished document in
its own transaction, in the order the files were given. At most two documents per job are in
flight at once, so memory does not grow with the number of documents. Leaving an
`Extractor`'s `with` block, however it is left, kills whatever is still being extracted.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlmodel import col

from app.config import Settings
from app.extraction import ExtractedDocument, ExtractionError, NotAnOfstedReport, read_and_extract
from app.extraction.authorities import AuthorityRegister, default_register
from app.loading import (
    LoadResult,
    SourceFile,
    already_loaded,
    documents_to_reparse,
    no_source,
    skipped,
    store_document,
    store_reparsed,
    stored_source,
)
from app.models import Document
from app.workers import Extraction, ExtractionJob, Work, extract_bytes, extraction_work

__all__ = [
    "Extractor",
    "LoadQueue",
    "Record",
    "commit_document",
    "default_jobs",
    "extractor",
    "load_document",
    "reparse",
    "reparse_document",
    "skipped_if_loaded",
    "store",
]

Record = Callable[[Session, LoadResult], None]
"""Writes what the caller keeps about a document's outcome, in the transaction that stores
the document (or, for a document that is not stored, in one of its own)."""

Write = Callable[[Session, ExtractedDocument], LoadResult]
"""Stores an extracted document in the session given (`store_document`, `store_reparsed`)."""


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


def extractor(settings: Settings, jobs: int, register: AuthorityRegister) -> Extractor:
    """`jobs` worker processes, each document given EXTRACTION_TIMEOUT_SECONDS, read within
    MAX_PDF_INFLATED_BYTES, MAX_PDF_PAGES and EXTRACTION_MEMORY_BYTES, and its authority named
    from `register`."""
    shipped = register is default_register() or register.entries == default_register().entries
    work = extraction_work(settings, None if shipped else register)
    return Extractor(jobs, settings.extraction_timeout_seconds, work)


def skipped_if_loaded(engine: Engine, source: SourceFile) -> LoadResult | None:
    """`skipped` when a file with the same bytes (sha256) is loaded already."""
    with Session(engine) as session:
        existing = already_loaded(session, source.sha256)
    return None if existing is None else skipped(source, existing)


def store(
    engine: Engine, source: SourceFile, document: ExtractedDocument, record: Record | None = None
) -> LoadResult:
    """Store an extracted document, and `record` its outcome, in one transaction; anything
    raised rolls both back and is raised."""
    return _in_one_transaction(
        engine, lambda session: store_document(session, source, source.sha256, document), record
    )


def commit_document(
    engine: Engine,
    name: str,
    extraction: Extraction,
    write: Write,
    record: Record | None = None,
    document_id: int | None = None,
) -> LoadResult:
    """Store an extraction with `write` in a transaction of its own, with its `record`; or,
    when there is no document to store or storing it fails, a `failed` result with the
    reason, nothing of the document kept, and the failure recorded in a transaction of its
    own."""
    if extraction.document is None:
        failed = LoadResult(name, "failed", reason=extraction.reason, document_id=document_id)
        return _recorded(engine, failed, record)
    document = extraction.document
    try:
        return _in_one_transaction(engine, lambda session: write(session, document), record)
    except ExtractionError as exc:
        reason = exc.reason
    except Exception as exc:  # a bug or a database fault: report it, keep going
        reason = f"internal error: {type(exc).__name__}: {exc}"
    return _recorded(
        engine, LoadResult(name, "failed", reason=reason, document_id=document_id), record
    )


def _in_one_transaction(
    engine: Engine, write: Callable[[Session], LoadResult], record: Record | None
) -> LoadResult:
    with Session(engine) as session:
        try:
            result = write(session)
            if record is not None:
                record(session, result)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return result


def _recorded(engine: Engine, result: LoadResult, record: Record | None) -> LoadResult:
    if record is not None:
        with Session(engine) as session:
            record(session, result)
            session.commit()
    return result


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
        known = item if isinstance(item, LoadResult) else skipped_if_loaded(self.engine, item)
        if known is not None:
            return lambda: _recorded(self.engine, known, record)
        assert isinstance(item, SourceFile)
        source = item
        extraction = self.workers.submit(source.data)

        def write(session: Session, document: ExtractedDocument) -> LoadResult:
            return store_document(session, source, source.sha256, document)

        return lambda: commit_document(self.engine, source.filename, extraction(), write, record)


def reparse(
    engine: Engine,
    workers: Extractor,
    parser_version: str,
    model_version: str,
    everything: bool,
    finished: Callable[[LoadResult], None],
) -> list[LoadResult]:
    """Re-extract, in place, every document an older parser version read or an older model
    labelled (or all): each read by `workers`, as a load is, and stored in its own
    transaction (`store_reparsed`: the document and the records whose keys survive keep
    their ids)."""
    with Session(engine) as session:
        document_ids = documents_to_reparse(session, parser_version, model_version, everything)
        names: dict[int, str] = {
            row.id: row.filename
            for row in session.execute(
                select(col(Document.id), col(Document.filename)).where(
                    col(Document.id).in_(document_ids)
                )
            )
        }
    results: list[LoadResult] = []
    for document_id in document_ids:
        result = _reparse_one(engine, workers, document_id, names[document_id])
        results.append(result)
        finished(result)
    return results


def _reparse_one(engine: Engine, workers: Extractor, document_id: int, name: str) -> LoadResult:
    with Session(engine) as session:
        content = stored_source(session, document_id)
    if content is None:
        return LoadResult(name, "failed", reason=no_source(document_id), document_id=document_id)

    def write(session: Session, document: ExtractedDocument) -> LoadResult:
        return store_reparsed(session, document_id, document)

    return commit_document(engine, name, workers.submit(content)(), write, document_id=document_id)


def load_document(
    session: Session, source: SourceFile, register: AuthorityRegister | None = None
) -> LoadResult:
    """The same path in this process and in the caller's transaction (tests, scripts): a
    file already loaded is skipped, any other read, extracted and stored. Raises
    ExtractionError with the reason; the caller rolls back."""
    existing = already_loaded(session, source.sha256)
    if existing is not None:
        return skipped(source, existing)
    return store_document(session, source, source.sha256, read_and_extract(source.data, register))


def reparse_document(
    session: Session, document_id: int, register: AuthorityRegister | None = None
) -> LoadResult:
    """`reparse` of one document in this process and in the caller's transaction."""
    content = stored_source(session, document_id)
    if content is None:
        raise NotAnOfstedReport(no_source(document_id))
    return store_reparsed(session, document_id, read_and_extract(content, register))
